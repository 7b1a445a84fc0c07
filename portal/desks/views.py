"""``<street>/@worklist``: what waits for the street office, oldest first, each line linking to
where the work is done (page and JSON)."""
from urllib.parse import quote, urlencode

from pyramid.renderers import render_to_response
from pyramid.view import view_config

from portal import clock
from portal.catalog import query
from portal.content.models import Street
from portal.desks import worklist
from portal.i18n import _
from portal.releases.rules import TITLES as ROOM_LISTS

TITLES = {
    worklist.REVIEW: _("Ballot submitted for review"),
    worklist.PUBLISH: _("Approved ballot whose notice is not published"),
    worklist.PAPER: _("Paper ballots to review"),
    worklist.EXTENSION: _("Extension requested"),
    worklist.ROOMS: _("Room-number list to release"),
    worklist.PRELIMINARY: _("Voting closed: preliminary results to publish"),
    worklist.OBJECTIONS: _("Objections to answer or decide"),
    worklist.UNBIND: _("Owner asks to unbind another account"),
}
BATCH = 50
LINE_WORDS = {"since": _("Waiting since"), "publish_by": _("publish by")}   # translated once per page
COUNTED = {worklist.PAPER: _("${count} paper ballots waiting"), worklist.OBJECTIONS: _("${count} objections open")}
TARGETS = {worklist.PAPER: "@paper", worklist.ROOMS: "@rooms", worklist.OBJECTIONS: "@objections"}


def street_ballots(request, street):
    portal = request.portal
    return [b for phase in worklist.WORK_PHASES
            for b in query.objects(portal, type_name="Ballot", under=query.path_of(street), phase=phase)]


def street_registers(request, street):
    """The registers of the street's communities where an owner asks to unbind another account."""
    return [c["register"] for c in query.objects(request.portal, type_name="Community",
                                                 under=query.path_of(street), unbind_asked=True)]


def link(base, kind, ballot, detail):
    """Where the work of a line is done.  ``base`` is the application URL: the ballot's path is
    spelt from its names (ASCII slugs), which costs a tenth of resource_url on a 300-line list."""
    url = base + quote(query.path_of(ballot)) + "/"
    if kind == worklist.UNBIND:
        return url + "@unbind?" + urlencode({"i": detail["owner"]})
    if kind == worklist.ROOMS:
        return url + "@rooms?" + urlencode({"list": detail["list"]})
    return url + TARGETS[kind] if kind in TARGETS else url


def subject(kind, obj):
    """A line's ballot, or for an unbinding its unit, with the community's name."""
    if kind == worklist.UNBIND:
        return {"ballot": None, "unit": obj.title, "subject": obj.title, "community": obj.__parent__.__parent__.title}
    return {"ballot": obj.title, "subject": obj.title, "community": obj.community.title}


@view_config(context=Street, name="@worklist", permission="view_worklist")
def worklist_view(context, request):
    """Every line is counted; the oldest ``limit`` from ``start`` (50 by default) are spelt out."""
    now = clock.now()
    base = request.application_url
    rows, counts = worklist.worklist(street_ballots(request, context), now, street_registers(request, context))
    start, limit = query.batch_params(request.params, default=BATCH)
    translate = request.localizer.translate
    titles = {kind: translate(title) for kind, title in TITLES.items()}
    lists = {kind: translate(title) for kind, title in ROOM_LISTS.items()}

    waited = {}

    def waiting(days):
        """"(today)", "(3 days)": one translation per distinct number of days."""
        if days not in waited:
            waited[days] = translate(_("(today)") if days <= 0 else _("(${days} days)", mapping={"days": days}))
        return waited[days]

    def note(kind, detail):
        """What a line's figure counts, or which list it is, in words."""
        if kind in COUNTED:
            return translate(_(COUNTED[kind], mapping={"count": detail["count"]}))
        return lists.get(detail.get("list"), "") if kind == worklist.ROOMS else ""

    def item(kind, since, ballot, detail):
        days = worklist.waiting_days(since, now)
        return {"kind": kind, "title": titles[kind], **subject(kind, ballot),
                "since": clock.local(since).strftime("%Y-%m-%d"), "waiting_days": days, "waited": waiting(days),
                "detail": detail, "note": note(kind, detail), "@id": link(base, kind, ballot, detail)}

    items = [item(*row) for row in rows[start:start + limit]]
    batch = query.Batch(items, len(rows), start, limit)
    pages = {name: request.resource_url(context, "@worklist", query={"start": at, "limit": limit})
             for name, at in (("next", batch.next_start), ("previous", batch.previous_start)) if at is not None}
    if request.wants_json:
        return render_to_response("json", {"items": items, "items_total": len(rows), "counts": counts,
                                           "batching": pages}, request=request)
    return render_to_response("portal.templates:worklist.pt", {
        "title": _("Worklist"), "heading": _("Worklist: ${place}", mapping={"place": context.title}), "items": items, "counts": [(TITLES[k], counts[k]) for k in worklist.KINDS],
        "words": {key: translate(word) for key, word in LINE_WORDS.items()}, "batch": batch, "pages": pages},
        request=request)
