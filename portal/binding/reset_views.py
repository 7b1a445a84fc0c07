"""An owner who forgot the password sets a new one with a code sent to the account's mobile.

The answer to "send me a code" is the same whether or not the number has an account (a code is
sent only if it has one), and asking is throttled like sign-up codes, so nobody learns from this
page who has an account.  A new password ends every earlier session and token.
"""
from pyramid.view import view_config

from portal import clock
from portal.api.errors import json_error, require_body, validate
from portal.binding import codes
from portal.binding.schemas import PhoneSchema, ResetSchema
from portal.binding.signup_views import PhoneCodePage, phone_codes, send_code
from portal.content.models import Portal
from portal.i18n import _
from portal.security import sessions
from portal.security.accounts import OWNER, login_for

PURPOSE = "reset"
SENT = _("If ${phone} belongs to an account, a code was sent to it. It is valid for 10 minutes.")


def owner_of(request, phone):
    account = request.portal.accounts.by_login(login_for(request.registry.personal_data, phone))
    return account if account is not None and account.kind == OWNER else None


def ask_code(request, phone):
    """Send a reset code if the number has an owner account; the same message either way."""
    return send_code(request, phone, purpose=PURPOSE, deliver=owner_of(request, phone) is not None, sent=SENT)


def reset(request, values):
    """The account with its new password; CodeRefused (the same words as sign-up's) otherwise."""
    codes.check_phone_code(phone_codes(request), request.registry.personal_data, values["phone"], values["code"],
                           clock.real_now(), PURPOSE)
    account = owner_of(request, values["phone"])
    if account is None:      # the code was right, so the number is the caller's own: no secret to keep
        raise codes.CodeRefused(_("This mobile number has no account. Create one instead."))
    account.set_password(values["new_password"])
    sessions.end_all(account)
    request.audit("account.password_reset", request.root, account=account.uid)
    return account


@view_config(context=Portal, name="@reset", json=False)
class ResetPage(PhoneCodePage):
    """Step 1 asks for the number; step 2 (after the code is sent) for the code and a new password."""

    title = _("Forgot your password?")
    final, final_title, final_schema = "reset", _("Set the new password"), ResetSchema
    done = _("Your password has been changed.")

    def page_values(self):
        return dict(super().page_values(), reset=True)

    def ask(self, phone):
        return ask_code(self.request, phone)

    def finish(self, values):
        return reset(self.request, values)


@view_config(context=Portal, name="@reset", json=True, request_method="POST", renderer="json")
def reset_api(context, request):
    body = require_body(request)
    try:
        if "code" not in body:
            values = validate(request, PhoneSchema(), body)
            return {"sent": True, "message": request.localizer.translate(ask_code(request, values["phone"]))}
        account = reset(request, validate(request, ResetSchema(), body))
    except codes.CodeRefused as refused:
        request.response.status_int = 400      # returned, not raised: tries and counts are kept
        return json_error(request, 400, "refused", refused.message).json_body
    return {"token": request.registry.portal_tokens.issue(account)}
