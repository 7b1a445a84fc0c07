"""Filed documents as JSON: list, read, and file one with its upload (multipart)."""
from pyramid.view import view_config

from portal import clock
from portal.api.errors import json_error, validate
from portal.documents import service
from portal.documents.models import Document, Documents
from portal.documents.schemas import DocumentSchema


def document_json(request, document):
    return {
        "@id": request.resource_url(document).rstrip("/"), "@type": "Document", "id": document.__name__,
        "doc_type": document.doc_type, "title": document.title, "filing_number": document.filing_number,
        "filing_date": document.filing_date.isoformat(), "notes": document.notes, "review_state": document.state,
        "file": request.resource_url(document, "@file"),
        "versions": [{"title": v["title"], "filing_number": v["filing_number"],
                      "filing_date": v["filing_date"].isoformat(), "uploaded": v["when"].isoformat(),
                      "filename": v["file"]["filename"], "size": v["file"]["size"],
                      "file": request.resource_url(document, "@file", query={"v": n})}
                     for n, v in enumerate(document.versions)],
    }


@view_config(context=Documents, json=True, request_method="GET", permission="view", renderer="json")
def list_documents(context, request):
    return {"items": [document_json(request, d) for _type, _title, members in
                      service.published(context, lambda d: request.has_permission("view", d)) for d in members]}


@view_config(context=Document, json=True, request_method="GET", permission="view", renderer="json")
def read_document(context, request):
    return document_json(request, context)


@view_config(context=Documents, json=True, request_method="POST", permission="add_document", renderer="json")
def file_document(context, request):
    upload = request.POST.get("file")
    if upload is None or not hasattr(upload, "file"):
        from portal.uploads import MISSING_FILE

        raise json_error(request, 400, "invalid", MISSING_FILE, {"file": MISSING_FILE})
    fields = {k: request.POST.get(k, "") for k in ("doc_type", "title", "filing_number", "filing_date", "notes")}
    fields["upload"] = {"filename": upload.filename, "fp": upload.file, "mimetype": upload.type}
    values = validate(request, DocumentSchema(), fields)
    upload = values.pop("upload")
    try:
        document = service.create(context, values, upload["filename"], upload["fp"].read(),
                                  request.identity.uid, clock.now())
    except service.Refused as refused:
        raise json_error(request, 400, "invalid", refused.message, {"file": refused.message})
    request.audit("document.create", document, doc_type=document.doc_type)
    request.response.status_int = 201
    return document_json(request, document)
