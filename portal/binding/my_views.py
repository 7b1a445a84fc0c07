"""``/@my``: an owner's communities, units and areas, what each ballot asks of them now, and the
latest notices and filed documents there."""
from pyramid.httpexceptions import HTTPFound
from pyramid.traversal import find_resource
from pyramid.view import view_config

from portal import clock
from portal.catalog import query
from portal.content.models import Portal
from portal.binding import service
from portal.register import rules
from portal.voting import owner_view

LATEST = 3
ORDER = (owner_view.TO_VOTE, owner_view.VOTED, owner_view.UPCOMING, owner_view.PRELIMINARY,
         owner_view.COUNTING, owner_view.FINAL, owner_view.ENDED)


def voted_at(ballot, uid):
    """When the account's units voted on ``ballot``, or None."""
    from portal.voting.service import voter_units

    box = ballot.box
    if box is None:
        return None
    records = [box.current(k) for k in box.owners_for_units(voter_units(ballot, uid)) if box.has_voted(k)]
    return records[0]["when"] if records else None


def ballot_rows(request, community):
    """[(ballot, owner_view.Status)] of the community's ballots the owner may see, what to do first on top."""
    from portal.ballots.views import visible_ballots

    now, uid, chinese = clock.now(), request.identity.uid, request.locale_name == "zh_Hans"
    rows = [(b, owner_view.status(b, voted_at(b, uid), now, request.has_permission("view_results", b), chinese))
            for b in visible_ballots(request, community["ballots"]) if b.phase() not in ("draft", "review")]
    return sorted(rows, key=lambda row: ORDER.index(row[1].key))


def latest_notices(request, community):
    """The newest published notices of ``community`` the owner may read, from the catalog."""
    batch = query.batch(request.portal, 0, LATEST, sort="published", reverse=True, type_name="Ballot",
                        under=query.path_of(community), principals=query.principals_of(request), published=True)
    return [obj for obj in batch.items if request.has_permission("view", obj)]


def latest_documents(request, community):
    """The community's filed documents the owner may read, newest filing first (a community files a
    handful, like its documents panel shows them all)."""
    readable = [d for d in community["documents"].values() if request.has_permission("view", d)]
    return sorted(readable, key=lambda d: d.filing_date, reverse=True)[:LATEST]


def my_communities(request):
    account = request.identity
    found = []
    for path in account.communities:
        try:
            community = find_resource(request.root, path)
        except KeyError:
            continue
        units = service.my_units(community, account.uid)
        found.append({"community": community, "units": units,
                      "area": rules.format_area(sum(u.area for u in units)),
                      "ballots": ballot_rows(request, community),
                      "notices": latest_notices(request, community),
                      "documents": latest_documents(request, community)})
    return found


@view_config(context=Portal, name="@my", json=False, permission="view", renderer="portal.templates:my.pt")
def my_page(context, request):
    if request.identity is None:
        return HTTPFound(request.resource_url(context, "@login", query={"came_from": "/@my"}))
    return {"communities": my_communities(request), "format_area": rules.format_area}


@view_config(context=Portal, name="@my", json=True, request_method="GET", permission="view", renderer="json")
def my_json(context, request):
    if request.identity is None:
        return {"communities": []}
    translate = request.localizer.translate
    return {"communities": [
        {"@id": request.resource_url(c["community"]).rstrip("/"), "title": c["community"].title,
         "area": c["area"], "units": [{"title": u.title, "area": rules.format_area(u.area), "kind": u.kind}
                                      for u in c["units"]],
         "ballots": [{"@id": request.resource_url(b).rstrip("/"), "title": b.title, "phase": b.phase(),
                      "status": s.key, "message": translate(s.message)}
                     for b, s in c["ballots"]]} for c in my_communities(request)]}
