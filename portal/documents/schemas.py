"""Input of a filed document and of a new version (form and API alike)."""
import colander
import deform

from portal import schematypes, uploads
from portal.documents.models import TYPES
from portal.i18n import _
from portal.preparers import strip



@colander.deferred
def upload_widget(node, kw):
    from portal.register.schemas import MemoryTmpStore

    return deform.widget.FileUploadWidget(MemoryTmpStore(), accept=".pdf,.png,.jpg,.jpeg")


class VersionSchema(colander.MappingSchema):
    title = colander.SchemaNode(colander.String(), title=_("Title"), preparer=strip,
                                validator=colander.Length(1, 200))
    filing_number = colander.SchemaNode(colander.String(), title=_("Filing number"), preparer=strip,
                                        validator=colander.Length(1, 60))
    filing_date = colander.SchemaNode(schematypes.Date(), title=_("Filing date"))
    notes = colander.SchemaNode(colander.String(), title=_("Notes"), missing="", preparer=strip,
                                widget=deform.widget.TextAreaWidget(rows=3))
    upload = colander.SchemaNode(uploads.FileData(), title=_("The file (PDF, PNG or JPEG, at most 5 MB)"),
                                 widget=upload_widget)


class DocumentSchema(VersionSchema):
    doc_type = colander.SchemaNode(colander.String(), title=_("Kind of document"),
                                   widget=deform.widget.SelectWidget(values=list(TYPES.items())),
                                   validator=colander.OneOf(list(TYPES)), insert_before="title")
