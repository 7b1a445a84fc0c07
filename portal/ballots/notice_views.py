"""Public notices: a ballot's notice, and the list of notices below a community, street or district."""
from pyramid.httpexceptions import HTTPNotFound
from pyramid.view import view_config

from portal import clock
from portal.ballots import rules
from portal.ballots.models import Ballot
from portal.catalog import query
from portal.content.models import Node
from portal.register.rules import format_area


def notices_under(request, node):
    """A batch (``start``, ``limit``) of the ballots at or below ``node`` whose notice is
    published and which the requester may view, newest first, from the catalog.  Nothing is
    caught up here: the scheduler and portal-tick do that, and a ballot's own page."""
    start, limit = query.batch_params(request.params)
    return query.batch(request.portal, start, limit, sort="published", reverse=True, type_name="Ballot",
                       under=query.path_of(node), principals=query.principals_of(request), published=True)


def batch_links(request, node, batch):
    links = {}
    for rel, start in (("next", batch.next_start), ("prev", batch.previous_start)):
        if start is not None:
            links[rel] = request.resource_url(node, "@notices", query={"start": start, "limit": batch.limit})
    return links


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
    from portal import letters

    notice_url = letters.public_url(request, context, "@notice")
    office, address, phone = letters.issuer(context.community)
    values.update(notice_url=notice_url, qr=letters.qr_svg(notice_url), office=office, office_address=address,
                  office_phone=phone)
    return values


@view_config(context=Node, name="@notices", json=False, permission="view", renderer="portal.templates:notices.pt")
def notices_page(context, request):
    batch = notices_under(request, context)
    return {"notices": [notice_values(b) for b in batch.items], "total": batch.total,
            "links": batch_links(request, context, batch)}


@view_config(context=Node, name="@notices", json=True, request_method="GET", permission="view", renderer="json")
def notices_json(context, request):
    batch = notices_under(request, context)
    data = {"items_total": batch.total, "items": [{"@id": request.resource_url(v["ballot"], "@notice"), "title": v["ballot"].title,
                       "community": v["ballot"].community.title, "published": v["published"],
                       "opens": v["opens"], "closes": v["closes"], "total_owners": v["total_owners"],
                       "total_area": v["total_area"]}
                      for v in (notice_values(b) for b in batch.items)]}
    links = batch_links(request, context, batch)
    if links:
        data["batching"] = links
    return data
