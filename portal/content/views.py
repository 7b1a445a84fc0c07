"""Pages of the tree: a node's page, and the add and edit forms."""
from pyramid.httpexceptions import HTTPFound
from pyramid.view import view_config

from portal import clock
from portal.content import schemas, services
from portal.content.models import Node
from portal.forms import FormPage
from portal.i18n import _
from portal.register.statistics import coverage

BATCH = 50


def batch(request, context):
    """One page of children, by name: ``?start=<name>``."""
    start = request.params.get("start") or None
    items = context.items(start=start, limit=BATCH + 1)
    following = items[BATCH][0] if len(items) > BATCH else None
    return items[:BATCH], following


def community_home(request, community):
    """What the community's page shows the visitor: ballots by phase, notices, documents."""
    from portal.ballots.views import ballot_groups
    from portal.documents import service as documents

    return {"ballot_groups": ballot_groups(request, community["ballots"]),
            "documents": documents.published(community["documents"],
                                             lambda d: request.has_permission("view", d))}


@view_config(context=Node, json=False, permission="view", renderer="portal.templates:node.pt")
def node_page(context, request):
    children, following = batch(request, context)
    fields = []
    if context.type_name in schemas.SCHEMAS:
        for node in schemas.edit_schema(context.type_name).children:
            if node.name != "title" and getattr(context, node.name, ""):
                value = getattr(context, node.name)
                if node.name == "kind":
                    value = dict(schemas.STREET_KINDS).get(value, value)
                fields.append((node.title, value))
    home = None
    if context.type_name == "Community":
        home = community_home(request, context)
    binding = None
    if context.type_name in ("Street", "Community"):
        cov = coverage(context)
        binding = [(_("Units bound"), cov.bound_units, cov.units),
                   (_("Owners bound"), cov.bound_owners, cov.owners)]
    return {
        "home": home,
        "binding": binding,
        "children": children,
        "next_url": request.resource_url(context, query={"start": following}) if following else None,
        "fields": fields,
        "count": len(context),
    }


@view_config(context=Node, name="@add", json=False, permission="add")
class AddPage(FormPage):
    buttons = (("add", _("Add")),)

    def schema(self):
        return schemas.add_schema(self.context.child_type.type_name)

    @property
    def title(self):
        return _("Add ${type}", mapping={"type": self.request.localizer.translate(self.context.child_type.type_title)})

    def succeed(self, values):
        child = services.create_child(self.context, self.context.child_type.type_name, values)
        self.request.audit("content.create", child, type=child.type_name)
        return HTTPFound(self.request.resource_url(child))


@view_config(context=Node, name="@edit", json=False, permission="edit")
class EditPage(FormPage):
    title = _("Edit")

    def schema(self):
        return schemas.edit_schema(self.context.type_name)

    def appstruct(self):
        return services.node_fields(self.context, schemas.field_names(self.context.type_name))

    def succeed(self, values):
        changed = services.update_node(self.context, values, clock.now())
        if changed:
            self.request.audit("content.edit", self.context, fields=",".join(changed))
        return HTTPFound(self.request.resource_url(self.context))
