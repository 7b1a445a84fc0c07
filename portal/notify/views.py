"""Delivery figures and the rooms not reached (``<ballot>/@delivery``), street staff's reminder
(``<ballot>/@remind``) and an owner's reminder setting (``/@reminders``): pages and JSON."""
import colander
from pyramid.httpexceptions import HTTPFound
from pyramid.renderers import render_to_response
from pyramid.view import view_config

from portal import clock
from portal.api.errors import refused, json_error, validate
from portal.ballots.models import Ballot
from portal.content.models import Portal
from portal.i18n import _
from portal.notify import delivery, queue
from portal.notify.models import store_of
from portal.notify.rules import CUSTOM_TEMPLATES
from portal.notify.schemas import ReminderSchema, ReminderSettingSchema
from portal.request import json_body

TEMPLATE_TITLES = {
    "last_days": _("Voting closes soon: please vote"),
    "quorum_short": _("Too few owners have voted yet: please vote"),
    "paper_available": _("You may also vote on paper at the committee's office"),
}


def refuse(request, context, status, message):
    return refused(request, context, status, message, _("Proof of delivery"))


def payload(request):
    if request.wants_json or request.content_type == "application/json":
        return json_body(request) or {}
    return dict(request.POST)


@view_config(context=Ballot, name="@delivery", request_method="GET", permission="view")
def delivery_view(context, request):
    staff = request.has_permission("view_unreached", context)
    if not (staff or request.has_permission("view_delivery", context)):
        return refuse(request, context, 403, _("You are not allowed to do this here."))
    if context.electorate is None:
        return refuse(request, context, 409, _("Nothing is sent before the notice is published."))
    figures = delivery.figures(request.portal, context)
    rooms = None
    if staff:                           # room numbers only, to the street, audited like the lists
        rooms = delivery.unreached_rooms(request.portal, context)
        request.audit("delivery.rooms", context, count=len(rooms))
    data = {"figures": figures, "unreached_rooms": rooms}
    if request.wants_json:
        return render_to_response("json", data, request=request)
    return render_to_response("portal.templates:delivery.pt", dict(
        data, ballot=context, can_remind=staff and context.phase() == "voting",
        templates=[(t, TEMPLATE_TITLES[t]) for t in CUSTOM_TEMPLATES]), request=request)


@view_config(context=Ballot, name="@remind", request_method="POST", permission="view_rooms")
def remind(context, request):
    if request.wants_json:
        values = validate(request, ReminderSchema(), payload(request))
    else:
        try:
            values = ReminderSchema().deserialize({"template": request.POST.get("template", "")})
        except colander.Invalid:
            return refuse(request, context, 400, _("Choose one of the approved reminders."))
    if context.phase() != "voting":
        return refuse(request, context, 409, _("Reminders are sent only while voting is open."))
    count = queue.custom_reminder(request.portal, context, values["template"], clock.now())
    request.audit("notify.remind", context, template=values["template"], count=count)
    if request.wants_json:
        return render_to_response("json", {"queued": count, "template": values["template"]}, request=request)
    request.session.flash(request.localizer.translate(
        _("${count} reminders are queued.", mapping={"count": count})))
    return HTTPFound(request.resource_url(context, "@delivery"))


@view_config(context=Portal, name="@reminders", permission="view")
def reminders(context, request):
    """An owner turns reminders off and on (legal notices are sent regardless)."""
    account = request.identity
    if account is None:
        if request.wants_json:
            raise json_error(request, 401, "unauthenticated", _("Please sign in first."))
        return HTTPFound(request.resource_url(context, "@login", query={"came_from": "/@reminders"}))
    store = store_of(request.portal)
    if request.method == "POST":
        data = payload(request)
        if request.wants_json:
            values = validate(request, ReminderSettingSchema(), data)
        else:
            try:
                values = ReminderSettingSchema().deserialize({"reminders": data.get("reminders", "")})
            except colander.Invalid:
                return refuse(request, context, 400, _("Choose whether to receive reminders."))
        if values["reminders"] == "off":
            store.optout[account.uid] = clock.now()
        elif account.uid in store.optout:
            del store.optout[account.uid]
        request.audit("notify.reminders", context, reminders=values["reminders"])
        if not request.wants_json:
            request.session.flash(request.localizer.translate(_("Your reminder setting is saved.")))
            return HTTPFound(request.application_url + "/@my")
    on = account.uid not in store.optout
    if request.wants_json:
        return render_to_response("json", {"reminders": "on" if on else "off"}, request=request)
    return render_to_response("portal.templates:reminders.pt", {"on": on}, request=request)
