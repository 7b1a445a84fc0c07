"""Signing in with WeChat (OAuth 2.0 ``snsapi_base``) and the official account's server messages.

``/@wechat`` sends the browser to WeChat's authorisation; ``/@wechat-callback`` exchanges the code
for the openid server to server.  A linked openid signs its account in; an unknown one is kept,
encrypted, in the session until the person signs in (or signs up) the usual way and confirms the
link on ``/@wechat-link``.  ``/@wechat-events`` takes follow / unfollow events, signature checked.
"""
import datetime
import secrets
from urllib.parse import urlencode

from pyramid.httpexceptions import HTTPFound
from pyramid.renderers import render_to_response
from pyramid.response import Response
from pyramid.view import view_config

from portal import clock
from portal.content.models import Portal
from portal.i18n import _
from portal.notify import links
from portal.notify.models import store_of
from portal.security import sessions

STATE = "wechat_state"
TICKET_LIFE = datetime.timedelta(minutes=10)


def message(request, text, status=400, link=None, link_title=None):
    response = render_to_response("portal.templates:message.pt", {
        "title": _("Sign in with WeChat"), "message": text, "link": link or request.application_url + "/",
        "link_title": link_title or _("Back to the start page")}, request=request)
    response.status_int = status
    return response


def callback_url(request):
    return request.application_url + "/@wechat-callback"


@view_config(context=Portal, name="@wechat", request_method="GET", permission="view")
def start(context, request):
    wechat = request.registry.wechat
    if wechat is None:
        return message(request, _("Signing in with WeChat is not available here."), status=404)
    state = secrets.token_urlsafe(16)
    request.session[STATE] = state
    return HTTPFound(wechat.oauth(callback_url(request), state).authorize_url)


@view_config(context=Portal, name="@wechat-callback", request_method="GET", permission="view")
def callback(context, request):
    wechat = request.registry.wechat
    if wechat is None:
        return message(request, _("Signing in with WeChat is not available here."), status=404)
    state = request.session.pop(STATE, None)
    if not state or request.params.get("state") != state or not request.params.get("code"):
        return message(request, _("The WeChat sign-in was not completed. Please start again."))
    openid = wechat.openid_for(request.params["code"], callback_url(request))
    if openid is None:
        return message(request, _("WeChat did not confirm the sign-in. Please start again."))
    personal = request.registry.personal_data
    store = store_of(request.portal)
    uid = links.account_for(store, personal, openid)
    account = request.portal.accounts.get(uid) if uid else None
    if account is not None:
        request.audit("wechat.signin", context, actor=account.uid)
        return HTTPFound(request.application_url + "/@my", headers=sessions.start(request, account))
    ticket = secrets.token_urlsafe(24)
    store.tickets[ticket] = (personal.encrypt(openid), clock.now() + TICKET_LIFE)
    target = "/@wechat-link?" + urlencode({"ticket": ticket})
    if request.identity is not None:
        return HTTPFound(request.application_url + target)
    request.session.flash(request.localizer.translate(
        _("Sign in (or sign up) once to link your WeChat; after that WeChat signs you in.")))
    return HTTPFound(request.resource_url(context, "@login", query={"came_from": target}))


@view_config(context=Portal, name="@wechat-link", permission="view")
def link_page(context, request):
    ticket = request.params.get("ticket", "")
    if request.identity is None:
        return HTTPFound(request.resource_url(context, "@login", query={
            "came_from": "/@wechat-link?" + urlencode({"ticket": ticket})}))
    store = store_of(request.portal)
    pending = store.tickets.get(ticket) if ticket else None
    if pending is None or pending[1] <= clock.now():
        return message(request, _("There is no WeChat waiting to be linked. Start from the WeChat sign-in."))
    if request.method != "POST":
        return render_to_response("portal.templates:wechat_link.pt", {"ticket": ticket}, request=request)
    personal = request.registry.personal_data
    del store.tickets[ticket]
    try:
        links.link(store, personal, request.identity.uid, personal.decrypt(pending[0]))
    except ValueError:
        return message(request, _("The WeChat sign-in was not completed. Please start again."))
    except links.LinkRefused as refused:
        return message(request, refused.message, status=409)
    request.audit("wechat.link", context)
    request.session.flash(request.localizer.translate(_("Your WeChat is linked: from now on it signs you in.")))
    return HTTPFound(request.application_url + "/@my")


@view_config(context=Portal, name="@wechat-events", require_csrf=False, permission="view")
def server_events(context, request):
    """WeChat's server messages: the URL check (GET, echo) and follow / unfollow events (POST)."""
    wechat = request.registry.wechat
    if wechat is None:
        return Response("not configured", status=404, content_type="text/plain")
    params = request.GET
    if not wechat.signature_ok(params.get("signature"), params.get("timestamp"), params.get("nonce")):
        return Response("bad signature", status=403, content_type="text/plain")
    if request.method == "GET":
        return Response(params.get("echostr", ""), content_type="text/plain")
    found = wechat.follow_event(request.body)
    if found is not None:
        event, openid = found
        links.set_following(store_of(request.portal), request.registry.personal_data, openid,
                            event == "subscribe", clock.now())
    return Response("success", content_type="text/plain")
