"""``/@my``: an owner's communities, units and areas, and what they can do there."""
from pyramid.httpexceptions import HTTPFound
from pyramid.traversal import find_resource
from pyramid.view import view_config

from portal.binding import service
from portal.content.models import Portal
from portal.register import rules


def open_ballots(request, community):
    """The community's ballots an owner should see first: voting now, then upcoming."""
    from portal.ballots.views import visible_ballots

    ballots = visible_ballots(request, community["ballots"])
    return [b for b in ballots if b.phase() == "voting"] + [b for b in ballots if b.phase() == "notice"]


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
                      "ballots": open_ballots(request, community)})
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
    return {"communities": [
        {"@id": request.resource_url(c["community"]).rstrip("/"), "title": c["community"].title,
         "area": c["area"], "units": [{"title": u.title, "area": rules.format_area(u.area), "kind": u.kind}
                                      for u in c["units"]],
         "ballots": [{"@id": request.resource_url(b).rstrip("/"), "title": b.title, "phase": b.phase()}
                     for b in c["ballots"]]} for c in my_communities(request)]}
