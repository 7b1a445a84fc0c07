"""An owner binds their account to a community's register, and unbinds it.

The code letter completes the binding at once; face verification sends the owner to the
provider after a separate consent (see ``face_views``).  A failure never says whether the ID
number is in the register, and failures are throttled per account and per identity.
"""
from pyramid.httpexceptions import HTTPFound
from pyramid.view import view_config

from portal import clock
from portal.api.errors import json_error, require_body, validate
from portal.binding import codes, face, service
from portal.binding.asking import ask_to_unbind, request_status
from portal.binding.schemas import BindSchema
from portal.content.models import Community
from portal.forms import FormError, FormPage
from portal.i18n import _
from portal.security.accounts import OWNER

STAFF_CANNOT = _("Staff accounts cannot bind to a register. Sign in with an owner account.")
BLOCKED = _("Too many failed attempts. Try again after ${time}.")


def attempt(request, community, values, ask=False):
    """Bind by code, or start face verification.  Returns ("bound", units), ("face", nonce) or,
    with ``ask``, ("asked", request) once the street office is asked to unbind the account that
    holds the identity; raises service.Refused (a failure already recorded) otherwise.  A letter
    whose identity another account holds is not used up, so it binds once that account is gone."""
    account, portal, now = request.identity, request.portal, clock.now()
    real = clock.real_now()            # throttles and face requests run on real time, never the demo clock
    personal, secret = request.registry.personal_data, request.registry.portal_secret
    if account.kind != OWNER:
        raise service.Refused(STAFF_CANNOT)
    register = community["register"]
    id_hash = service.identity_of(personal, values["id_type"], values["id_number"])
    until = service.blocked_until(portal, secret, account, id_hash, real)
    if until is not None:
        raise service.Refused(_(BLOCKED, mapping={"time": clock.local(until).strftime("%H:%M")}))

    def fail(message=service.NO_MATCH):
        # one answer whether the details or a made-up code failed: it must not tell a stranger
        # whether a name and ID number are in the register (only the holder of a real letter
        # learns that its code expired or was used)
        service.record_failure(portal, secret, account, id_hash, real)
        request.audit("binding.failed", community, method=values["method"])
        return service.Refused(message)

    matched = service.matches(register, personal, values["name"], id_hash)
    if values["method"] == "face":
        # the face check goes ahead either way; a request whose details did not match is
        # refused when the provider answers, with the same words as any other failure
        if not matched:
            fail()
        nonce = face.new_request(portal.face_requests, account.uid, request.resource_path(community),
                                 id_hash, personal.encrypt(values["name"]), real, matched=matched)
        return "face", nonce
    if not matched:
        raise fail()
    try:
        if not codes.check_letter(register, personal, values["code"], id_hash, now):
            raise fail()
    except codes.CodeRefused as refused:
        raise fail(refused.message) from None
    if ask:
        return "asked", ask_to_unbind(request, community, id_hash, "code")
    if service.bound_elsewhere(register, id_hash, account.uid):
        raise service.BoundElsewhere()
    codes.redeem_letter(register, personal, values["code"], id_hash, now)
    units = service.bind(community, account, id_hash, "code", now)
    request.audit("binding.bind", community, method="code", account=account.uid)
    return "bound", units


@view_config(context=Community, name="@bind", json=False, permission="bind")
class BindPage(FormPage):
    schema = BindSchema
    title = _("Bind my account to this community")
    buttons = (("bind", _("Bind")), ("request_unbind", _("Ask the street office to unbind the other account")))
    template = "portal.templates:bind.pt"
    offer_request = False       # shown once the identity was proved and another account holds it

    def make_form(self):
        form = super().make_form()
        if not self.offer_request:
            form.buttons = form.buttons[:1]
        else:                           # binding again would be refused again: asking is the way on
            form.buttons[0].css_class, form.buttons[1].css_class = "btn-default", "btn-primary"
        return form

    def page_values(self):
        status, waiting = request_status(self.request, self.context)
        return {"request_status": status, "request_waiting": waiting and not self.offer_request}

    def succeed(self, values):
        ask = "request_unbind" in self.request.POST
        try:
            outcome, detail = attempt(self.request, self.context, values, ask=ask)
        except service.Refused as refused:
            # shown, not raised as a FormError: the failure count must be kept
            kept = {k: values.get(k) for k in ("name", "id_type", "id_number", "method", "code")}
            self.offer_request = isinstance(refused, service.BoundElsewhere)
            return self.show(self.failed(self.make_form(), FormError(refused.message), kept), status=400)
        if outcome == "face":
            return HTTPFound(self.request.resource_url(self.request.root, "@face-consent",
                                                       query={"request_id": detail}))
        translate = self.request.localizer.translate
        if outcome == "asked":
            self.request.session.flash(translate(_("Your request has reached the street office.")))
            return HTTPFound(self.request.resource_url(self.context, "@bind"))
        self.request.session.flash(translate(_("You are bound to ${community}.", mapping={
            "community": self.context.title})))
        return HTTPFound(self.request.application_url + "/@my")


@view_config(context=Community, name="@bind", json=True, request_method="POST", permission="bind",
             renderer="json")
def bind_api(context, request):
    values = validate(request, BindSchema(), require_body(request))
    if values["method"] == "face" and not values["biometric_consent"]:
        raise json_error(request, 400, "consent_required", _(
            "Face verification needs your separate consent: send biometric_consent: true, "
            "or use the code letter."))
    try:
        outcome, detail = attempt(request, context, values)
    except service.Refused as refused:
        # returned, not raised: the failure count is kept
        status, code = (409, "bound_elsewhere") if isinstance(refused, service.BoundElsewhere) else (403, "not_bound")
        request.response.status_int = status
        return json_error(request, status, code, refused.message).json_body
    if outcome == "face":
        from portal.binding.face_views import record_consent, provider_form

        record_consent(request, context)
        url, fields = provider_form(request, detail)
        return {"bound": False, "method": "face", "provider_url": url, "form": fields}
    return {"bound": True, "units": [{"id": u.__name__, "title": u.title} for u in detail]}


def request_json(record):
    return {"state": record["state"], "requested": record["when"].isoformat(),
            "decided": record["decided"].isoformat() if record["decided"] else None}


@view_config(context=Community, name="@unbind-request", json=True, request_method="POST", permission="bind",
             renderer="json")
def unbind_request_api(context, request):
    """The owner proves the identity again (the code letter's fields of @bind) and asks the street
    office to unbind the account that holds it."""
    values = validate(request, BindSchema(), require_body(request))
    if values["method"] != "code":
        raise json_error(request, 400, "invalid", _(
            "Ask with the code letter here; after face verification, ask on the page the verification returns to."))
    try:
        _outcome, record = attempt(request, context, values, ask=True)
    except service.Refused as refused:
        request.response.status_int = 403
        return json_error(request, 403, "not_asked", refused.message).json_body
    return request_json(record)


UNBIND_COSTS = (_("Your account will no longer be bound to this community: you cannot vote here, and ballots "
                  "here no longer appear on your home page."),
                _("Votes already cast stay recorded as they are."),
                _("To bind again you need a new binding code letter from the street office (解除后需到街道办重新领取绑定码)."))


@view_config(context=Community, name="@unbind", request_method="GET", json=False, permission="bind")
def unbind_confirm(context, request):
    """The step before unbinding: what it does and what it costs; the button posts to the action."""
    from portal.confirm import confirm_page

    if request.identity is None:
        return HTTPFound(request.resource_url(request.root, "@login", query={"came_from": request.path}))
    return confirm_page(request, _("Unbind my account from ${community}?", mapping={"community": context.title}),
                        UNBIND_COSTS, request.resource_url(context, "@unbind"), _("Yes, unbind my account"),
                        request.application_url + "/@my")


@view_config(context=Community, name="@unbind", request_method="POST", permission="bind")
def unbind_page(context, request):
    removed = service.unbind(context, request.identity, clock.now())
    if removed:
        request.audit("binding.unbind", context, by="owner", account=request.identity.uid)
    if request.wants_json:
        from pyramid.renderers import render_to_response

        return render_to_response("json", {"unbound": removed}, request=request)
    request.session.flash(request.localizer.translate(_("Your account is no longer bound to ${community}.",
                                                        mapping={"community": context.title})))
    return HTTPFound(request.application_url + "/@my")
