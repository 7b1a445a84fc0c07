"""Street staff see, export and release room-number lists; organizers see released ones.

Only in each list's window; every view, export and release is audited; the lists carry room
numbers only.
"""
from pyramid.httpexceptions import HTTPFound
from pyramid.renderers import render_to_response
from pyramid.response import Response
from pyramid.view import view_config

from portal import clock
from portal.api.errors import json_error, refused
from portal.ballots.models import Ballot
from portal.i18n import _
from portal.register.table import write_csv
from portal.releases import lists, rules


def released(ballot, kind):
    return (ballot.releases or {}).get(kind)


def access(request, ballot, kind):
    """None if the caller may see the list now, else (status, message)."""
    staff = request.has_permission("view_rooms", ballot)
    organizer = request.has_permission("view_released_rooms", ballot)
    if not (staff or organizer):
        return 403, _("You are not allowed to do this here.")
    message = rules.refusal(kind, ballot, clock.now())
    if kind not in rules.LISTS:
        return 400, message
    if not staff and not released(ballot, kind):
        if organizer:
            return 403, _("The street office has not released this list to you.")
        return 403, _("You are not allowed to do this here.")
    if message is not None:
        return 403, message
    return None


def refuse(request, ballot, status, message):
    return refused(request, ballot, status, message, _("Room numbers"))


def checked(request, context, action):
    """(kind, rooms) once the caller may see them (and the look is audited), else (None, refusal)."""
    kind = request.params.get("list", "")
    problem = access(request, context, kind)
    if problem is not None:
        return None, refuse(request, context, *problem)
    record = released(context, kind)
    if not request.has_permission("view_rooms", context) and record and "rooms" in record:
        found = list(record["rooms"])          # the organizer sees the list as it was released
    else:
        found = lists.rooms(context, kind)
    request.audit(action, context, list=kind, count=len(found))
    return kind, found


@view_config(context=Ballot, name="@rooms", permission="view")
def rooms(context, request):
    kind, found = checked(request, context, "rooms.view")
    if kind is None:
        return found
    counted = len(lists.counted_keys(context.electorate))
    if request.wants_json:
        return render_to_response("json", {"list": kind, "rooms": found, "total": len(found),
                                           "counted_units": counted}, request=request)
    start, until = rules.window(kind, context)
    return render_to_response("portal.templates:rooms.pt", {
        "title": rules.TITLES[kind], "kind": kind, "rooms": found, "until": rules.shown(until), "counted": counted,
        "parking_counts": context.electorate.include_parking,
        "can_release": request.has_permission("view_rooms", context), "released": released(context, kind),
    }, request=request)


@view_config(context=Ballot, name="@rooms.csv", permission="view")
def rooms_csv(context, request):
    kind, found = checked(request, context, "rooms.export")
    if kind is None:
        return found
    body = write_csv([request.localizer.translate(_("Room"))], [[room] for room in found])
    return Response(body, content_type="text/csv", content_disposition=f'attachment; filename="rooms-{kind}.csv"')


RELEASE_COSTS = (_("The organizer will see these ${count} room numbers as they are now: the list released is not "
                    "updated afterwards."),
                 _("A release cannot be taken back; it is kept in the audit log."))


@view_config(context=Ballot, name="@rooms-release", request_method="GET", json=False, permission="view_rooms")
def release_confirm(context, request):
    """The step before releasing: how many rooms the organizer will see, and that it is final."""
    from portal.confirm import confirm_page

    kind = request.params.get("list", "")
    message = rules.refusal(kind, context, clock.now())
    if message is not None:
        return refuse(request, context, 403 if kind in rules.LISTS else 400, message)
    costs = [_(RELEASE_COSTS[0], mapping={"count": len(lists.rooms(context, kind))}), RELEASE_COSTS[1]]
    return confirm_page(request, _("Release the list “${list}” to the organizer?", mapping={
                            "list": request.localizer.translate(rules.TITLES[kind])}), costs,
                        request.resource_url(context, "@rooms-release", query={"list": kind}),
                        _("Yes, release the list"), request.resource_url(context, "@rooms", query={"list": kind}),
                        danger=False)


@view_config(context=Ballot, name="@rooms-release", request_method="POST", permission="view_rooms")
def release(context, request):
    kind = request.params.get("list", "")
    message = rules.refusal(kind, context, clock.now())
    if message is not None:
        return refuse(request, context, 403 if kind in rules.LISTS else 400, message)
    # a release is a snapshot of its time: the organizer sees these rooms, not a live view that
    # would go on telling who has voted since
    context.releases = dict(context.releases or {},
                            **{kind: {"by": request.identity.uid, "when": clock.now(),
                                      "rooms": tuple(lists.rooms(context, kind))}})
    request.audit("rooms.release", context, list=kind)
    if request.wants_json:
        return render_to_response("json", {"released": kind}, request=request)
    request.session.flash(request.localizer.translate(_("The list is released to the organizer.")))
    return HTTPFound(request.resource_url(context, "@rooms", query={"list": kind}))
