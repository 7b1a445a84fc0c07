"""Input of owner sign-up, binding and staff actions (forms and API alike)."""
import colander
import deform

from portal import schematypes
from portal.i18n import _
from portal.register import idnumbers
from portal.security.accounts import MOBILE_RE
from portal.security.schemas import new_password_node


def strip(value):
    return value.strip().replace(" ", "") if isinstance(value, str) else value


def mobile_node():
    return colander.SchemaNode(
        colander.String(), title=_("Mobile number"), preparer=strip,
        validator=colander.Regex(MOBILE_RE, _("Enter an 11-digit mainland mobile number.")),
        widget=deform.widget.TextInputWidget(attributes={"inputmode": "tel", "autocomplete": "tel"}),
    )


class PhoneSchema(colander.MappingSchema):
    phone = mobile_node()


class SignupSchema(colander.MappingSchema):
    phone = mobile_node()
    code = colander.SchemaNode(colander.String(), title=_("Code from the text message"), preparer=strip,
                               widget=deform.widget.TextInputWidget(
                                   attributes={"inputmode": "numeric", "autocomplete": "one-time-code"}))
    password = new_password_node(widget=deform.widget.CheckedPasswordWidget())


class ResetSchema(colander.MappingSchema):
    """A new password for the account of a mobile number, with the code sent to it."""
    phone = mobile_node()
    code = colander.SchemaNode(colander.String(), title=_("Code from the text message"), preparer=strip,
                               widget=deform.widget.TextInputWidget(
                                   attributes={"inputmode": "numeric", "autocomplete": "one-time-code"}))
    new_password = new_password_node(widget=deform.widget.CheckedPasswordWidget())


METHODS = (("code", _("Binding code letter from the street office")),
           ("face", _("Face verification")))


def check_method(node, values):
    if values["method"] == "code" and not values.get("code"):
        exc = colander.Invalid(node)
        exc["code"] = _("Enter the code from your letter.")
        raise exc


class BindSchema(colander.MappingSchema):
    name = colander.SchemaNode(colander.String(), title=_("Your name as registered"),
                               preparer=lambda v: v.strip() if isinstance(v, str) else v,
                               validator=colander.Length(1, 50))
    id_type = colander.SchemaNode(colander.String(), title=_("ID type"),
                                  widget=deform.widget.SelectWidget(values=list(idnumbers.TITLES.items())),
                                  validator=colander.OneOf(idnumbers.ID_TYPES), default=idnumbers.RESIDENT_ID)
    id_number = colander.SchemaNode(colander.String(), title=_("ID number"), preparer=strip)
    method = colander.SchemaNode(colander.String(), title=_("How to verify"),
                                 widget=deform.widget.RadioChoiceWidget(values=METHODS),
                                 validator=colander.OneOf([m for m, _t in METHODS]), default="code",
                                 missing="code")
    code = colander.SchemaNode(colander.String(), title=_("Binding code"), missing="", preparer=strip,
                               description=_("Only for the code letter, e.g. ABCD-EFGH-JKLM."))
    biometric_consent = colander.SchemaNode(
        schematypes.Boolean(), missing=False, title=_("I consent to face verification"),
        widget=deform.widget.HiddenWidget())

    def __init__(self, *args, **kw):
        super().__init__(*args, validator=check_method, **kw)


class ConsentSchema(colander.MappingSchema):
    biometric_consent = colander.SchemaNode(
        schematypes.Boolean(), title=_("I consent to the processing of my face image for this verification"),
        validator=colander.Function(lambda v: bool(v), _("Without your consent, choose the code letter instead.")))


UNBIND_REASONS = (("sold", _("The unit was sold")), ("wrong_person", _("Bound by the wrong person")),
                  ("owner_request", _("At the owner's request")), ("other", _("Other reason")))


class StaffUnbindSchema(colander.MappingSchema):
    reason = colander.SchemaNode(colander.String(), title=_("Reason"),
                                 widget=deform.widget.SelectWidget(values=UNBIND_REASONS),
                                 validator=colander.OneOf([r for r, _t in UNBIND_REASONS]))
