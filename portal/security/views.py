"""Signing in and out, changing one's password, and choosing the language."""
from urllib.parse import quote, urlencode, urlparse

from pyramid.httpexceptions import HTTPFound
from pyramid.security import forget
from pyramid.renderers import render_to_response
from pyramid.view import view_config

from portal import clock
from portal.api.errors import json_error, require_body, validate
from portal.content.models import Portal
from portal.forms import FormError, FormPage
from portal.i18n import LOCALE_COOKIE, LOCALES, _
from portal.security import sessions
from portal.security.login import attempt_login
from portal.security.schemas import LoginSchema, PasswordSchema

WRONG = _("The login name or password is wrong.")
BLOCKED = _("Too many failed attempts. Try again after ${time}.")


def login_form_html(request, came_from):
    """The sign-in form, posting to /@login and returning to ``came_from`` (the 403 page)."""
    page = LoginPage(request.root, request)
    page.came_from = came_from
    return page.make_form().render()


def safe_target(request, target):
    """Only paths on this site: never send a user off to another host after login."""
    target = target if isinstance(target, str) else ""
    if any(ord(c) < 0x21 or ord(c) == 0x7f or c == "\\" for c in target):
        return request.application_url + "/"    # no CR/LF into a header, no "/\\host"
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return request.application_url + "/"
    return request.application_url + quote(target, safe="/?&=%#:@!$'()*+,;~-._")


def check_login(request, values):
    """(account, None, False) on success, else (None, message, blocked); a failure is kept."""
    result = attempt_login(request.portal, request.registry.portal_secret, values["login"],
                           values["password"], request.client_addr, clock.real_now(),
                           request.registry.personal_data)
    if result.account is not None:
        request.audit("account.login", request.root, actor=result.account.uid,   # not yet request.identity
                      via="token" if request.wants_json else "session")
        return result.account, None, False
    if result.blocked_until is not None:
        until = clock.local(result.blocked_until).strftime("%H:%M")   # wall-clock time
        return None, _(BLOCKED, mapping={"time": until}), True
    request.audit("account.login_failed", request.root)
    return None, WRONG, False


@view_config(context=Portal, name="@login", json=False)
class LoginPage(FormPage):
    schema = LoginSchema
    title = _("Sign in")
    buttons = (("signin", _("Sign in")),)
    template = "portal.templates:login.pt"
    csrf_always = True

    came_from = None

    def action(self):
        came_from = self.came_from or self.request.params.get("came_from") or "/"
        return self.request.application_url + "/@login?" + urlencode({"came_from": came_from})

    def __call__(self):
        response = super().__call__()
        response.headers["Cache-Control"] = "no-store"
        return response

    def succeed(self, values):
        account, message, _blocked = check_login(self.request, values)
        if account is None:
            # The failure count must be kept, so it is not raised as a FormError (that rolls back).
            return self.show(self.failed(self.make_form(), FormError(message)), status=400)
        headers = sessions.start(self.request, account)
        came_from = self.request.params.get("came_from")
        if account.kind == "owner" and came_from in (None, "", "/"):
            came_from = "/@my"              # an owner's home: their communities, units and ballots
        elif came_from in (None, "", "/"):
            from portal.desks.landing import desk_path

            came_from = desk_path(self.request.portal, account) or came_from    # staff: their desk
        target = safe_target(self.request, came_from)
        return HTTPFound(target, headers=headers)


@view_config(context=Portal, name="@login", json=True, request_method="POST", renderer="json")
def login_api(context, request):
    values = validate(request, LoginSchema(), require_body(request))
    account, message, blocked = check_login(request, values)
    if account is None:
        # Returned, not raised: the failure count must be committed.
        status = 429 if blocked else 401
        request.response.status_int = status
        return json_error(request, status, "login_failed", message).json_body
    return {"token": request.registry.portal_tokens.issue(account), "login": account.login}


@view_config(context=Portal, name="@logout", request_method="POST")
def logout(context, request):
    """Sign out on the server: the account's token version moves on, so this session cookie and
    every bearer token issued before stop working, even copied ones (as a password change does)."""
    request.audit("account.logout", context)
    sessions.end_all(request.identity)
    headers = forget(request)
    if request.wants_json:
        return render_to_response("json", {"signed_out": True}, request=request)
    return HTTPFound(request.application_url + "/", headers=headers)


@view_config(context=Portal, name="@password", json=False, permission="view")
class PasswordPage(FormPage):
    schema = PasswordSchema
    title = _("Change password")

    def __call__(self):
        if self.request.identity is None:
            return HTTPFound(self.request.resource_url(self.context, "@login", query={"came_from": "/@password"}))
        return super().__call__()

    def succeed(self, values):
        account = self.request.identity
        if not account.check_password(values["current_password"]):
            raise FormError(_("The current password is wrong."), field="current_password")
        account.set_password(values["new_password"])
        self.request.audit("account.password", self.context)
        headers = sessions.start(self.request, account)
        self.request.session.flash(self.request.localizer.translate(_("Your password has been changed.")))
        return HTTPFound(self.request.application_url + "/", headers=headers)


@view_config(context=Portal, name="@password", json=True, request_method="POST", renderer="json")
def password_api(context, request):
    account = request.identity
    if account is None:
        raise json_error(request, 401, "unauthorized", _("Sign in first."))
    body = require_body(request)
    values = validate(request, PasswordSchema(), body)
    if not account.check_password(values["current_password"]):
        raise json_error(request, 400, "invalid", _("The current password is wrong."),
                         {"current_password": _("The current password is wrong.")})
    account.set_password(values["new_password"])
    request.audit("account.password", context)
    return {"token": request.registry.portal_tokens.issue(account)}


@view_config(context=Portal, name="@language")
def set_language(context, request):
    """The visible language switch; the choice is remembered in a cookie for a year."""
    code = request.params.get("set")
    response = HTTPFound(safe_target(request, request.params.get("came_from")))
    if code in LOCALES:
        response.set_cookie(LOCALE_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response


@view_config(context=Portal, name="@elderly")
def set_elderly(context, request):
    """The elderly-mode switch (长辈模式): larger type and controls, fewer links; remembered for a year."""
    from portal.ui import ELDERLY_COOKIE

    response = HTTPFound(safe_target(request, request.params.get("came_from")))
    if request.params.get("set") == "on":
        response.set_cookie(ELDERLY_COOKIE, "1", max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    elif request.params.get("set") == "off":
        response.delete_cookie(ELDERLY_COOKIE)
    return response
