"""Wiring filed documents: every new community gets its documents folder."""
from portal import evolve
from portal.content.folder import communities_under
from portal.documents.models import Documents


@evolve.step("0005-documents")
def add_documents_folders(portal):
    for community in communities_under(portal):
        if "documents" not in community:
            community.add("documents", Documents())


def add_documents(event, community):
    if "documents" not in community:
        community.add("documents", Documents())


def all_documents(portal):
    for community in communities_under(portal):
        yield from community["documents"].values()


def includeme(config):
    from portal.content.models import Community
    from portal.events import ObjectAdded

    config.add_subscriber(add_documents, (ObjectAdded, Community))
    config.add_workflowed_type("document", all_documents)
    config.add_node_panel("documents", Community, documents_panel, "portal.templates:panels/documents.pt",
                          order=30)


def documents_panel(request, community):
    """The community page's filed documents the visitor may read (nothing when there are none)."""
    from portal.documents import service

    groups = service.published(community["documents"], lambda d: request.has_permission("view", d))
    return {"documents": groups} if groups else None
