"""Creating documents and adding versions (no Pyramid here)."""
from portal import uploads
from portal.documents.models import Document
from portal.content.folder import root_of
from portal.events import ObjectModified, notify
from portal.search.indexing import reindex


class Refused(Exception):
    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field



def new_version(document, filename, data, values, who, now):
    message = uploads.problem(data, missing=uploads.MISSING_FILE)
    if message is not None:
        raise Refused(message, "upload")
    version = {"file": uploads.stored_file(filename, data, now), "by": who, "when": now,
               "filing_number": values["filing_number"], "filing_date": values["filing_date"],
               "title": values["title"]}
    document.versions = tuple(document.versions) + (version,)
    document.title = values["title"]
    document.filing_number = values["filing_number"]
    document.filing_date = values["filing_date"]
    if "notes" in values:
        document.notes = values["notes"]
    if document.__parent__ is not None:
        reindex(document)
        notify(ObjectModified(document))
    return version


def create(container, values, filename, data, who, now):
    document = Document(values["doc_type"], values["title"], values["filing_number"], values["filing_date"],
                        values.get("notes", ""))
    new_version(document, filename, data, values, who, now)       # refuses before anything is added
    container.add(container.new_id(), document)
    document.start_workflow(root_of(container).workflows["document"], who, now)
    reindex(document)
    return document


def published(container, request_can_view):
    """Documents of the community the caller may read, grouped by type in the order of TYPES."""
    from portal.documents.models import TYPES

    groups = []
    for doc_type, title in TYPES.items():
        members = [d for d in container.values() if d.doc_type == doc_type and request_can_view(d)]
        if members:
            groups.append((doc_type, title, members))
    return groups
