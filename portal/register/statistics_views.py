"""``<node>/@statistics``: register coverage below a node, for anyone (no personal data)."""
from pyramid.view import view_config

from portal import clock
from portal.content.models import Node
from portal.register import rules
from portal.desks.figures import line_chart, thousands
from portal.i18n import _
from portal.register.statistics import Coverage, communities_under, coverage, coverage_of, cumulative

TIMELINE = _("Registers established (total)")


def local_month(when):
    return clock.local(when).strftime("%Y-%m")


def figures(cov):
    return {"communities": cov.communities, "communities_with_register": cov.with_register,
            "units": cov.units, "owners": cov.owners, "area": rules.format_area(cov.area),
            "bound_units": cov.bound_units, "bound_owners": cov.bound_owners}


def statistics(context):
    """(figures below ``context``, [(child, its figures)]): every community is read once."""
    if context.type_name == "Community":
        return coverage(context, local_month), []
    under = {}                  # child name -> its communities, from one catalog query
    for community in communities_under(context):
        node = community
        while node.__parent__ is not context:
            node = node.__parent__
        under.setdefault(node.__name__, []).append(community)
    rows = [(child, coverage_of(under.get(child.__name__, ()), local_month)) for child in context.values()]
    total = Coverage()
    for _child, cov in rows:
        total.add(cov)
    return total, rows


@view_config(context=Node, name="@statistics", json=False, permission="view",
             renderer="portal.templates:statistics.pt")
def statistics_page(context, request):
    total, rows = statistics(context)
    timeline = cumulative(total.established)
    chart = {"name": "registers", "title": request.localizer.translate(TIMELINE),
             "chart": line_chart(timeline) if timeline else None,
             "rows": [(month, thousands(count), False) for month, count in timeline]}
    return {"total": figures(total), "rows": [(child, figures(cov)) for child, cov in rows], "thousands": thousands,
            "charts": [chart], "chart_heading": _("Registers established over time"),
            "chart_help": _("By the month each register was first imported; every month a register was established has a point.")}


@view_config(context=Node, name="@statistics", json=True, request_method="GET", permission="view",
             renderer="json")
def statistics_json(context, request):
    total, rows = statistics(context)
    return dict(figures(total), timeline=[{"month": m, "registers": n} for m, n in cumulative(total.established)],
                items=[dict(figures(cov), **{"@id": request.resource_url(child).rstrip("/"), "title": child.title})
                       for child, cov in rows])
