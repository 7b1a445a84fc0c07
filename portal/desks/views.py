"""``<street>/@worklist``: what waits for the street office, oldest first, each line linking to
where the work is done (page and JSON)."""
from pyramid.renderers import render_to_response
from pyramid.view import view_config

from portal import clock
from portal.catalog import query
from portal.content.models import Street
from portal.desks import worklist
from portal.i18n import _

TITLES = {
    worklist.REVIEW: _("Ballot submitted for review"),
    worklist.PUBLISH: _("Approved ballot whose notice is not published"),
    worklist.PAPER: _("Paper ballots to review"),
    worklist.EXTENSION: _("Extension requested"),
    worklist.ROOMS: _("Room-number list to release"),
    worklist.PRELIMINARY: _("Voting closed: preliminary results to publish"),
    worklist.OBJECTIONS: _("Objections to answer or decide"),
}
TARGETS = {worklist.PAPER: "@paper", worklist.ROOMS: "@rooms", worklist.OBJECTIONS: "@objections"}


def street_ballots(request, street):
    portal = request.portal
    return [b for phase in worklist.WORK_PHASES
            for b in query.objects(portal, type_name="Ballot", under=query.path_of(street), phase=phase)]


def link(request, kind, ballot, detail):
    if kind == worklist.ROOMS:
        return request.resource_url(ballot, "@rooms", query={"list": detail["list"]})
    return request.resource_url(ballot, TARGETS[kind]) if kind in TARGETS else request.resource_url(ballot)


@view_config(context=Street, name="@worklist", permission="view_worklist")
def worklist_view(context, request):
    now = clock.now()
    rows, counts = worklist.worklist(street_ballots(request, context), now)
    items = [{"kind": kind, "title": request.localizer.translate(TITLES[kind]), "ballot": ballot.title,
              "community": ballot.community.title, "since": clock.local(since).strftime("%Y-%m-%d"),
              "waiting_days": worklist.waiting_days(since, now), "detail": detail,
              "@id": link(request, kind, ballot, detail)} for kind, since, ballot, detail in rows]
    if request.wants_json:
        return render_to_response("json", {"items": items, "counts": counts}, request=request)
    return render_to_response("portal.templates:worklist.pt", {
        "title": _("Worklist"), "items": items, "counts": [(TITLES[k], counts[k]) for k in worklist.KINDS]},
        request=request)
