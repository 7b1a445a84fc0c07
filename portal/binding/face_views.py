"""Face verification: separate consent, the hand-over to the provider, its callback, the return.

The protocol is in ``portal.binding.face``; the provider's URL and shared secret come from the
settings ``portal.face_provider_url`` and ``portal.face_provider_secret``.
"""
from pyramid.httpexceptions import HTTPFound, HTTPNotFound
from pyramid.renderers import render_to_response
from pyramid.traversal import find_resource
from pyramid.view import view_config

from portal import clock
from portal.binding import face, service
from portal.binding.schemas import ConsentSchema
from portal.content.models import Portal
from portal.forms import FormPage
from portal.i18n import _
from portal.request import json_body

CONSENT_VERSION = "2026-11"


def pending_request(request):
    """The caller's own face request named by ``request_id``, or None."""
    nonce = request.params.get("request_id", "")
    record = request.portal.face_requests.get(nonce)
    account = request.identity
    if record is None or account is None or record["uid"] != account.uid:
        return None, None
    return nonce, record


def record_consent(request, community):
    account = request.identity
    account.biometric_consents = account.biometric_consents + (
        {"when": clock.now(), "version": CONSENT_VERSION, "purpose": "binding"},)
    request.audit("binding.consent", community, version=CONSENT_VERSION, account=account.uid)


def provider_form(request, nonce):
    """(provider URL, the signed fields to POST there) for the request ``nonce``."""
    provider = request.registry.face_provider
    record = request.portal.face_requests[nonce]
    name = request.registry.personal_data.decrypt(record["name_enc"])
    fields = face.outgoing(provider.secret, nonce, name, record["id_hash"], record["expires"],
                           request.application_url + "/@face-callback",
                           request.application_url + "/@face-return")
    return provider.url, fields


@view_config(context=Portal, name="@face-consent", json=False, permission="view")
class ConsentPage(FormPage):
    schema = ConsentSchema
    title = _("Consent to face verification")
    buttons = (("consent", _("I consent, continue")),)
    template = "portal.templates:face_consent.pt"

    def __call__(self):
        self.nonce, self.record = pending_request(self.request)
        if self.record is None or self.record["state"] != "pending":
            raise HTTPNotFound()
        return super().__call__()

    def action(self):
        return self.request.resource_url(self.context, "@face-consent", query={"request_id": self.nonce})

    def succeed(self, values):
        community = find_resource(self.context, self.record["community"])
        record_consent(self.request, community)
        url, fields = provider_form(self.request, self.nonce)
        return render_to_response("portal.templates:face_handover.pt",
                                  {"provider_url": url, "fields": fields, "title": _("Face verification")},
                                  request=self.request)


CALLBACK_REFUSALS = {400: _("The callback is malformed."), 403: _("The signature is wrong or the time is stale."),
                     404: _("There is no such verification request."),
                     409: _("This verification request is settled already."),
                     410: _("This verification request has expired.")}


def body_nonce(request):
    return str(json_body(request)["request_id"])


@view_config(context=Portal, name="@face-callback", request_method="POST", require_csrf=False,
             renderer="json")
def face_callback(context, request):
    """Called by the provider, server to server; signed, for a pending request, only once."""
    now = clock.real_now()               # security time: never the demo clock
    try:
        record = face.accept_callback(request.portal.face_requests, request.registry.face_provider.secret,
                                      json_body(request), now)
    except face.CallbackRefused as refused:
        request.response.status_int = refused.status
        return {"accepted": False, "reason": refused.reason,
                "message": request.localizer.translate(CALLBACK_REFUSALS[refused.status])}
    community = find_resource(context, record["community"])
    account = request.portal.accounts.get(record["uid"])
    if record["state"] == "passed" and not record.get("matched", True):
        # the face matched the ID given, but the details are not this register's: the failure was
        # recorded when they were given; refused now, in the words of any failure
        face.refuse(request.portal.face_requests, body_nonce(request), service.NO_MATCH)
        return {"accepted": True, "bound": False}
    if record["state"] == "passed":
        try:
            service.bind(community, account, record["id_hash"], "face", now)
        except service.Refused as refused:
            face.refuse(request.portal.face_requests, body_nonce(request), refused.message,
                        bound_elsewhere=isinstance(refused, service.BoundElsewhere))
            request.audit("binding.refused", community, actor=account.uid, method="face", account=account.uid)
            return {"accepted": True, "bound": False}
        request.audit("binding.bind", community, actor=account.uid, method="face", account=account.uid)
        return {"accepted": True, "bound": True}
    service.record_failure(request.portal, request.registry.portal_secret, account, record["id_hash"], now)
    request.audit("binding.failed", community, actor=account.uid, method="face")
    return {"accepted": True, "bound": False}


@view_config(context=Portal, name="@face-return", json=False, permission="view")
def face_return(context, request):
    nonce, record = pending_request(request)
    if record is None:
        return HTTPFound(request.application_url + "/@my")
    translate = request.localizer.translate
    messages = {
        "passed": _("Face verification succeeded; your account is bound."),
        "failed": service.NO_MATCH,
        "refused": _(record.get("reason") or service.NO_MATCH),
        "expired": _("The verification took too long. Start again."),
        "pending": _("The verification has not finished yet. Reload this page in a moment."),
    }
    if record["state"] == "refused" and record.get("bound_elsewhere"):
        return offer_unbind_request(request, nonce, record)
    if record["state"] == "pending":
        return render_to_response("portal.templates:message.pt", {
            "title": _("Face verification"), "message": messages["pending"],
            "link": request.resource_url(context, "@face-return", query={"request_id": nonce}),
            "link_title": _("Check again")}, request=request)
    request.session.flash(translate(messages.get(record["state"], service.NO_MATCH)))
    return HTTPFound(request.application_url + "/@my")


ASKING = (service.BOUND_ELSEWHERE,
          _("The street office checks the request and then unbinds the other account; votes already "
            "cast from it stay recorded. You can then bind this account."))


def offer_unbind_request(request, nonce, record):
    """The face proved the identity another account holds: offer to ask the street office."""
    from portal.confirm import confirm_page

    community = find_resource(request.root, record["community"])
    return confirm_page(request, _("Ask the street office to unbind the other account?"), ASKING,
                        request.resource_url(request.root, "@unbind-request", query={"request_id": nonce}),
                        _("Ask the street office to unbind the other account"),
                        request.resource_url(community), danger=False)


@view_config(context=Portal, name="@unbind-request", request_method="POST", permission="view")
def unbind_request_after_face(context, request):
    """File the request from a face verification that proved the identity (the caller's own)."""
    from portal.binding.asking import ask_to_unbind

    nonce, record = pending_request(request)
    if record is None or record["state"] != "refused" or not record.get("bound_elsewhere"):
        return HTTPFound(request.application_url + "/@my")
    community = find_resource(context, record["community"])
    translate = request.localizer.translate
    try:
        ask_to_unbind(request, community, record["id_hash"], "face")
        message, requested = _("Your request has reached the street office."), True
    except service.Refused as refused:
        message, requested = refused.message, False
    del request.portal.face_requests[nonce]        # used: the verification proves nothing more
    if request.wants_json:
        return render_to_response("json", {"requested": requested, "message": translate(message)}, request=request)
    request.session.flash(translate(message))
    return HTTPFound(request.resource_url(community, "@bind"))
