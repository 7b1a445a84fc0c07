"""The input of districts, streets and communities: one colander schema each, used by the add
and edit forms and by the JSON API alike."""
import re

import colander
import deform

from portal import schematypes
from portal.i18n import _
from portal.preparers import strip

SLUG_RE = re.compile(r"^[a-z][a-z0-9-]{1,39}$")
RESERVED = frozenset(
    {"register", "ballots", "documents", "static", "static-deform", "api", "admin", "accounts",
     "login", "logout", "settings", "search", "openapi", "new", "edit"}
)



def check_slug(container, slug):
    """The message for a bad slug, or None when ``slug`` may name a new child of ``container``."""
    if not SLUG_RE.match(slug):
        return _("Use 2 to 40 lowercase letters (a-z), digits and hyphens, starting with a letter.")
    if slug in RESERVED:
        return _("This name is reserved; choose another.")
    if container is not None and slug in container:
        return _("This name is already used here; choose another.")
    return None


@colander.deferred
def slug_validator(node, kw):
    container = kw.get("context")

    def validate(node, value):
        message = check_slug(container, value)
        if message is not None:
            raise colander.Invalid(node, message)

    return validate


def text(title, required=True, max_length=200, **kw):
    return colander.SchemaNode(
        colander.String(),
        title=title,
        preparer=strip,
        validator=colander.Length(1 if required else 0, max_length),
        missing=colander.required if required else "",
        **kw,
    )


class NodeSchema(colander.MappingSchema):
    id = colander.SchemaNode(
        colander.String(),
        title=_("Short name in the web address"),
        description=_("Lowercase letters, digits and hyphens, e.g. shipai."),
        preparer=strip,
        validator=slug_validator,
    )
    title = text(_("Name"), max_length=100)


class DistrictSchema(NodeSchema):
    code = colander.SchemaNode(
        colander.String(),
        title=_("Administrative division code"),
        description=_("Six digits, e.g. 440106 for Tianhe."),
        preparer=strip,
        validator=colander.Regex(r"^\d{6}$", _("Enter six digits.")),
        missing="",
    )


STREET_KINDS = (("subdistrict", _("Subdistrict (街道)")), ("town", _("Town (镇)")))


class StreetSchema(NodeSchema):
    kind = colander.SchemaNode(
        colander.String(),
        title=_("Kind"),
        widget=deform.widget.SelectWidget(values=STREET_KINDS),
        validator=colander.OneOf([value for value, _title in STREET_KINDS]),
        default="subdistrict",
        missing="subdistrict",
    )
    office_address = text(_("Office address"), required=False)
    office_phone = text(
        _("Office telephone"), required=False, max_length=40,
    )


class CommunitySchema(NodeSchema):
    address = text(_("Address"))
    property_company = text(_("Property service company"), required=False)
    developer = text(_("Developer"), required=False)
    description = text(
        _("Notes"), required=False, max_length=2000, widget=deform.widget.TextAreaWidget(rows=4)
    )
    parking_counts = colander.SchemaNode(
        schematypes.Boolean(),
        title=_("Parking spaces and stalls count toward voting area and owners"),
        description=_("As the community's rules of procedure decide; by default they do not."),
        default=False,
        missing=False,
    )


SCHEMAS = {"District": DistrictSchema, "Street": StreetSchema, "Community": CommunitySchema}


def add_schema(type_name):
    return SCHEMAS[type_name]()


def edit_schema(type_name):
    """The same fields without the slug, which never changes once given."""
    schema = SCHEMAS[type_name]()
    del schema["id"]
    return schema


def field_names(type_name):
    return [node.name for node in edit_schema(type_name).children]
