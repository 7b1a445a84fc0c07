"""Input of logins, passwords, staff accounts and role grants (forms and API alike)."""
import colander
import deform

from portal.i18n import _
from portal.security.accounts import LOGIN_RE, MIN_PASSWORD, normalize_login


def lower_strip(value):
    return normalize_login(value) if isinstance(value, str) else value


class LoginSchema(colander.MappingSchema):
    login = colander.SchemaNode(colander.String(), title=_("Login name or mobile number"),
                                preparer=lower_strip,
                                widget=deform.widget.TextInputWidget(attributes={"autocomplete": "username"}))
    password = colander.SchemaNode(
        colander.String(), title=_("Password"),
        widget=deform.widget.PasswordWidget(attributes={"autocomplete": "current-password"}),
    )


def new_password_node(**kw):
    return colander.SchemaNode(
        colander.String(),
        title=_("New password"),
        description=_("At least 8 characters."),
        validator=colander.Length(MIN_PASSWORD, 200, min_err=_("Use at least 8 characters.")),
        **kw,
    )


class PasswordSchema(colander.MappingSchema):
    current_password = colander.SchemaNode(
        colander.String(), title=_("Current password"),
        widget=deform.widget.PasswordWidget(attributes={"autocomplete": "current-password"}),
    )
    new_password = new_password_node(widget=deform.widget.CheckedPasswordWidget())


@colander.deferred
def free_login(node, kw):
    accounts = kw["accounts"]

    def validate(node, value):
        if not LOGIN_RE.match(value):
            raise colander.Invalid(
                node, _("Use 3 to 40 lowercase letters, digits, dots, hyphens or underscores, "
                        "starting with a letter."))
        if accounts.login_taken(value):
            raise colander.Invalid(node, _("This login name is taken."))

    return validate


class AccountSchema(colander.MappingSchema):
    login = colander.SchemaNode(colander.String(), title=_("Login name"), preparer=lower_strip,
                                validator=free_login)
    title = colander.SchemaNode(colander.String(), title=_("Full name or office"),
                                preparer=lambda v: v.strip() if isinstance(v, str) else v,
                                validator=colander.Length(1, 100))
    password = new_password_node(widget=deform.widget.CheckedPasswordWidget())


@colander.deferred
def role_choices(node, kw):
    return deform.widget.SelectWidget(values=kw["roles"])


@colander.deferred
def role_validator(node, kw):
    return colander.OneOf([value for value, _title in kw["roles"]])


class GrantSchema(colander.MappingSchema):
    login = colander.SchemaNode(colander.String(), title=_("Login name of the account"),
                                preparer=lower_strip)
    role = colander.SchemaNode(colander.String(), title=_("Role"), widget=role_choices,
                               validator=role_validator)
