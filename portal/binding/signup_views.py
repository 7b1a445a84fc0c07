"""Owners create an account with their mobile number, confirmed by a code sent to it."""
import datetime

from pyramid.httpexceptions import HTTPFound
from pyramid.view import view_config

from portal import clock
from portal.api.errors import json_error, require_body, validate
from portal.binding import codes
from portal.binding.messages import send_after_commit
from portal.binding.schemas import PhoneSchema, SignupSchema
from portal.content.models import Portal
from portal.forms import FormError, FormPage
from portal.i18n import _
from portal.register.export import mask_phone
from portal.security import sessions
from portal.security.accounts import OWNER, Account, login_for
from portal.security.throttle import Rule

CODE_PER_PHONE = Rule("phone-code", 5, datetime.timedelta(hours=1))
CODE_PER_ADDRESS = Rule("phone-code-address", 20, datetime.timedelta(hours=1))
SENT = _("A code was sent to ${phone}. It is valid for 10 minutes.")
TOO_MANY = _("Too many codes were asked for. Try again after ${time}.")


def send_code(request, phone, purpose="phone", deliver=True, sent=SENT):
    """Send a sign-up code (or, with ``purpose="reset"``, a password-reset code) to ``phone``; a
    message to show, or raise Refused (too many).  Asked for a number without an account, the
    reset calls this with ``deliver=False``: counted and answered the same, but nothing is sent."""
    portal, secret, now = request.portal, request.registry.portal_secret, clock.real_now()   # security time
    keys = [(portal.throttle.key(secret, CODE_PER_PHONE, phone), CODE_PER_PHONE),
            (portal.throttle.key(secret, CODE_PER_ADDRESS, request.client_addr or "-"), CODE_PER_ADDRESS)]
    blocks = [b for b in (portal.throttle.blocked_until(k, r, now) for k, r in keys) if b]
    if blocks:
        raise codes.CodeRefused(_(TOO_MANY, mapping={"time": clock.local(max(blocks)).strftime("%H:%M")}))
    for key, rule in keys:
        portal.throttle.record_failure(key, rule, now)    # counts every code asked for
    code = codes.new_phone_code()
    codes.store_phone_code(phone_codes(request), request.registry.personal_data, phone, code, now, purpose)
    if deliver:
        text = request.localizer.translate(_("Your owners' portal code is ${code}. Do not tell anyone.",
                                             mapping={"code": code}))
        # one approved SMS template ("your code is ...") serves sign-up and reset alike
        send_after_commit(request.registry.message_sender, phone, text, "signup_code", {"code": code}, request.tm)
    return _(sent, mapping={"phone": mask_phone(phone)})


def phone_codes(request):
    return request.portal.phone_codes


def create_owner(request, values):
    """The new owner account; CodeRefused or FormError-worthy messages on failure."""
    personal = request.registry.personal_data
    codes.check_phone_code(phone_codes(request), personal, values["phone"], values["code"], clock.real_now())
    login = login_for(personal, values["phone"])
    accounts = request.portal.accounts
    if accounts.login_taken(login):
        raise codes.CodeRefused(_("This mobile number already has an account. Sign in with it."))
    account = Account(login, mask_phone(values["phone"]), values["password"], kind=OWNER)
    account.phone_enc = personal.encrypt(values["phone"])
    account.phone_hash = personal.identity_hash("phone", values["phone"])
    accounts.add(account)
    request.audit("account.signup", request.root, account=account.uid)
    return account


class PhoneCodePage(FormPage):
    """Two steps on one page: step 1 asks for the mobile number and sends a code; step 2 takes the
    code with what the page is for (``final``: a new account, a new password), then signs in."""

    template = "portal.templates:signup.pt"
    csrf_always = True
    sent = False
    final = final_title = final_schema = None   # the second step's button, its words, its schema
    done = None                                 # a message to flash when it worked

    @property
    def step_two(self):
        return self.sent or self.final in self.request.POST

    def schema(self):
        return self.final_schema() if self.step_two else PhoneSchema()

    @property
    def buttons(self):
        return ((self.final, self.final_title),) if self.step_two else (("send", _("Send the code")),)

    def page_values(self):
        return {"step_two": self.step_two}

    def ask(self, phone):
        return send_code(self.request, phone)

    def finish(self, values):
        """The account to sign in; raise CodeRefused when the code is wrong."""
        raise NotImplementedError

    def succeed(self, values):
        if "send" in self.request.POST:
            try:
                message = self.ask(values["phone"])
            except codes.CodeRefused as refused:
                raise FormError(refused.message, "phone")
            self.request.session.flash(self.request.localizer.translate(message))
            self.sent = True
            return self.show(self.make_form().render({"phone": values["phone"]}))
        try:
            account = self.finish(values)
        except codes.CodeRefused as refused:
            form = self.failed(self.make_form(), FormError(refused.message, "code"), {"phone": values["phone"]})
            return self.show(form, status=400)
        headers = sessions.start(self.request, account)
        if self.done is not None:
            self.request.session.flash(self.request.localizer.translate(self.done))
        return HTTPFound(self.request.application_url + "/@my", headers=headers)


@view_config(context=Portal, name="@register", json=False)
class SignupPage(PhoneCodePage):
    """Step 1 asks for the number; step 2 (after the code is sent) for code and password."""

    title = _("Create an owner account")
    final, final_title, final_schema = "create", _("Create account"), SignupSchema

    def finish(self, values):
        return create_owner(self.request, values)


@view_config(context=Portal, name="@register", json=True, request_method="POST", renderer="json")
def signup_api(context, request):
    body = require_body(request)
    try:
        if "code" not in body:
            values = validate(request, PhoneSchema(), body)
            return {"sent": True, "message": request.localizer.translate(send_code(request, values["phone"]))}
        account = create_owner(request, validate(request, SignupSchema(), body))
    except codes.CodeRefused as refused:
        request.response.status_int = 400      # returned, not raised: tries and counts are kept
        return json_error(request, 400, "refused", refused.message).json_body
    request.response.status_int = 201
    return {"token": request.registry.portal_tokens.issue(account)}


@view_config(context=Portal, name="@outbox", renderer="portal.templates:outbox.pt", permission="manage_portal")
def outbox(context, request):
    """Development only (``portal.outbox_page = true``), and even there for city administrators
    only: the text messages 'sent' carry sign-up codes."""
    from pyramid.httpexceptions import HTTPNotFound

    from portal.settings import flag

    if not flag(request.registry.settings, "outbox_page"):
        raise HTTPNotFound()
    return {"messages": list(reversed(request.registry.message_sender.messages()))[:50]}
