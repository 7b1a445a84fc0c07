"""Input of units, owners and register files (forms and API alike)."""
import colander
import deform

from portal import schematypes, uploads
from portal.i18n import _
from portal.preparers import strip
from portal.register import idnumbers, rules
from portal.register.importer import valid_phone
from portal.register.models import KIND_TITLES, SOURCE_TITLES



class AreaType(colander.String):
    """Square metres as text with at most two decimals <-> integer hundredths."""

    def serialize(self, node, appstruct):
        if appstruct in (colander.null, None):
            return colander.null
        return rules.format_area(appstruct)

    def deserialize(self, node, cstruct):
        text = super().deserialize(node, cstruct)
        if text is colander.null:
            return colander.null
        value = rules.parse_area(text)
        if value is None:
            raise colander.Invalid(node, _("The area must be a positive number with at most two decimals."))
        return value


def choice(title, titles, default):
    return colander.SchemaNode(
        colander.String(), title=title, default=default,
        widget=deform.widget.SelectWidget(values=list(titles.items())),
        validator=colander.OneOf(list(titles)),
    )


class UnitSchema(colander.MappingSchema):
    building = colander.SchemaNode(colander.String(), title=_("Building"), preparer=strip,
                                   validator=colander.Length(1, 20))
    unit_no = colander.SchemaNode(colander.String(), title=_("Unit (entrance)"), preparer=strip,
                                  validator=colander.Length(0, 20), missing="")
    room = colander.SchemaNode(colander.String(), title=_("Room number"), preparer=strip,
                               validator=colander.Length(1, 20))
    kind = choice(_("Kind"), KIND_TITLES, rules.DWELLING)
    area = colander.SchemaNode(AreaType(), title=_("Building area (m²)"),
                               description=_("At most two decimals, e.g. 88.50."))
    area_source = choice(_("Source of the area"), SOURCE_TITLES, "registered")
    developer_unsold = colander.SchemaNode(schematypes.Boolean(), title=_("Not yet sold by the developer"),
                                           default=False, missing=False)


def check_owner(node, values):
    message = idnumbers.problem(values["id_type"], values["id_number"])
    if message is not None and values["id_number"]:
        exc = colander.Invalid(node)
        exc["id_number"] = message
        raise exc


def check_phone(node, value):
    if value and not valid_phone(value):
        raise colander.Invalid(node, _("The phone must be an 11-digit mainland mobile number."))


class OwnerSchema(colander.MappingSchema):
    name = colander.SchemaNode(colander.String(), title=_("Owner's name"), preparer=strip,
                               validator=colander.Length(1, 50))
    id_type = choice(_("ID type"), idnumbers.TITLES, idnumbers.RESIDENT_ID)
    id_number = colander.SchemaNode(colander.String(), title=_("ID number"), preparer=strip,
                                    missing="",
                                    description=_("Leave empty to keep the number already recorded."))
    phone = colander.SchemaNode(colander.String(), title=_("Mobile phone"), preparer=strip, missing="",
                                validator=check_phone)
    reason = colander.SchemaNode(colander.String(), title=_("Reason for the change"), preparer=strip, missing="",
                                 validator=colander.Length(0, 500),
                                 description=_("Needed when the unit changed hands while a ballot's electorate is "
                                               "frozen (e.g. the registration of the sale)."))

    def __init__(self, *args, **kw):
        super().__init__(*args, validator=check_owner, **kw)


class MemoryTmpStore(dict):
    """deform's upload widget wants a store between renderings; one form post is enough here."""

    def preview_url(self, uid):
        return None


@colander.deferred
def upload_widget(node, kw):
    return deform.widget.FileUploadWidget(MemoryTmpStore(), accept=".csv,.xlsx")


class ImportSchema(colander.MappingSchema):
    upload = colander.SchemaNode(uploads.FileData(), title=_("Register file (CSV or XLSX)"),
                                 widget=upload_widget)
