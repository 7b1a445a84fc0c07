"""Public notices: a ballot's notice, and the list of notices below a community, street or district."""
from pyramid.httpexceptions import HTTPNotFound
from pyramid.view import view_config

from portal import clock
from portal.ballots import lifecycle, rules
from portal.ballots.models import Ballot
from portal.content.models import Node
from portal.register.rules import format_area
from portal.content.folder import communities_under


def notices_under(request, node):
    now, found = clock.now(), []
    for community in communities_under(node):
        for ballot in community["ballots"].values():
            lifecycle.catch_up(ballot, now)
            if ballot.published is not None and request.has_permission("view", ballot):
                found.append(ballot)
    return sorted(found, key=lambda b: b.published, reverse=True)


def notice_values(ballot):
    opens, closes = ballot.window()
    totals = ballot.electorate.totals
    return {"ballot": ballot, "published": clock.local(ballot.published).strftime("%Y-%m-%d"),
            "opens": clock.local(opens).strftime("%Y-%m-%d %H:%M"),
            "closes": clock.local(closes).strftime("%Y-%m-%d %H:%M"),
            "total_owners": totals.owners, "total_area": format_area(totals.area), "total_units": totals.units}


@view_config(context=Ballot, name="@notice", json=False, permission="view", renderer="portal.templates:notice.pt")
def notice_page(context, request):
    if context.electorate is None:
        raise HTTPNotFound()
    values = notice_values(context)
    values.update(categories=rules.CATEGORIES, rule_words=rules.RULE_WORDS, matter_words=rules.matter_words,
                  extensions=[n for n in context.notices if n["kind"] == "extension"])
    return values


@view_config(context=Node, name="@notices", json=False, permission="view", renderer="portal.templates:notices.pt")
def notices_page(context, request):
    return {"notices": [notice_values(b) for b in notices_under(request, context)]}


@view_config(context=Node, name="@notices", json=True, request_method="GET", permission="view", renderer="json")
def notices_json(context, request):
    return {"items": [{"@id": request.resource_url(v["ballot"], "@notice"), "title": v["ballot"].title,
                       "community": v["ballot"].community.title, "published": v["published"],
                       "opens": v["opens"], "closes": v["closes"], "total_owners": v["total_owners"],
                       "total_area": v["total_area"]}
                      for v in (notice_values(b) for b in notices_under(request, context))]}
