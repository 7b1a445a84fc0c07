"""Filed documents: the community's list, filing a document, a document's page and its files."""
from pyramid.httpexceptions import HTTPFound, HTTPNotFound
from pyramid.response import Response
from pyramid.view import view_config

from portal import clock, uploads
from portal.documents import service
from portal.documents.models import TYPES, Document, Documents
from portal.documents.schemas import DocumentSchema, VersionSchema
from portal.forms import FormError, FormPage
from portal.i18n import _
from portal.request import index_in


def can_view(request):
    return lambda document: request.has_permission("view", document)


@view_config(context=Documents, json=False, permission="view", renderer="portal.templates:documents.pt")
def documents_page(context, request):
    return {"groups": service.published(context, can_view(request)), "community": context.__parent__}


@view_config(context=Documents, name="@add", json=False, permission="add_document")
class AddDocumentPage(FormPage):
    schema = DocumentSchema
    title = _("File a document")
    buttons = (("save", _("Save")),)

    def succeed(self, values):
        upload = values.pop("upload")
        try:
            document = service.create(self.context, values, upload["filename"], upload["fp"].read(),
                                      self.request.identity.uid, clock.now())
        except service.Refused as refused:
            raise FormError(refused.message, refused.field)
        self.request.audit("document.create", document, doc_type=document.doc_type)
        return HTTPFound(self.request.resource_url(document))


@view_config(context=Document, name="@new-version", json=False, permission="edit")
class NewVersionPage(FormPage):
    schema = VersionSchema
    title = _("Upload a new version")
    buttons = (("save", _("Save")),)

    def appstruct(self):
        d = self.context
        return {"title": d.title, "filing_number": d.filing_number, "filing_date": d.filing_date, "notes": d.notes}

    def succeed(self, values):
        upload = values.pop("upload")
        try:
            service.new_version(self.context, upload["filename"], upload["fp"].read(), values,
                                self.request.identity.uid, clock.now())
        except service.Refused as refused:
            raise FormError(refused.message, refused.field)
        self.request.audit("document.version", self.context, version=len(self.context.versions))
        return HTTPFound(self.request.resource_url(self.context))


@view_config(context=Document, json=False, permission="view", renderer="portal.templates:document.pt")
def document_page(context, request):
    from portal.ballots.views import state_title, transition_buttons

    return {"type_title": TYPES[context.doc_type], "buttons": transition_buttons(request, context),
            "state_title": state_title(request, context.definition(), context.state),
            "versions": list(reversed(list(enumerate(context.versions)))),
            "local": lambda when: clock.local(when).strftime("%Y-%m-%d %H:%M")}


@view_config(context=Document, name="@file", permission="view")
def document_file(context, request):
    index = index_in(request.params.get("v", str(len(context.versions) - 1)), len(context.versions))
    if index is None:
        raise HTTPNotFound()
    version = context.versions[index]
    stored = version["file"]
    return Response(uploads.read(stored["blob"]), content_type=stored["content_type"],
                    content_disposition=uploads.disposition(stored["filename"],
                                                            inline=not request.params.get("download")))
