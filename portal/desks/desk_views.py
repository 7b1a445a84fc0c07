"""``<district>/@worklist`` and ``/@worklist``: the district office's desk and the city
administrators' desk (page and JSON), every figure from the catalog and the coverage series."""
import datetime

from pyramid.renderers import render_to_response
from pyramid.view import view_config

from portal import clock
from portal.catalog import query
from portal.content.models import District, Portal
from portal.desks import district as desk
from portal.desks import figures
from portal.i18n import _
from portal.register.views import GAP_TITLES

FIGURE_TITLES = {
    "communities": _("Communities"),
    "with_register": _("Communities with a register"),
    "bound_owners": _("Owners bound"),
    "ballots_held": _("Ballots held"),
}
DISTRICT_CHARTS = ("with_register", "bound_owners")
CITY_CHARTS = ("with_register", "bound_owners", "ballots_held")


def recorded_text(recorded_at):
    return clock.local(datetime.datetime.fromisoformat(recorded_at)).strftime("%Y-%m-%d %H:%M") if recorded_at else None


def charts(request, points, names):
    """One chart per figure over the recorded months, with the table beside it."""
    out = []
    for name in names:
        series = [(p.month, getattr(p, name)) for p in points]
        out.append({"name": name, "title": request.localizer.translate(FIGURE_TITLES[name]),
                    "chart": figures.line_chart(series) if series else None,
                    "rows": [(p.month, figures.thousands(getattr(p, name)), p.demo) for p in points]})
    return out


def series_json(points):
    return [dict(p.figures(), month=p.month, recorded_at=p.recorded_at, demo=p.demo) for p in points]


def sentence(request, now):
    return request.localizer.translate(_("${with_register} of ${communities} communities with a register", mapping={
        "with_register": figures.thousands(now["with_register"]),
        "communities": figures.thousands(now["communities"])}))


def community_line(request, community, target, **extra):
    return dict({"title": community.title, "street": community.__parent__.title,
                 "@id": request.resource_url(community, *target)}, **extra)


def district_desk(request, context):
    portal, path = request.portal, query.path_of(context)
    now, recorded_at = desk.current(portal, path)
    missing, missing_first = desk.without_register(portal, path)
    gapped, gapped_first = desk.with_gaps(portal, path)
    gap_counts = desk.gap_counts(portal, path)
    docs = desk.documents_to_publish(portal, path)
    translate = request.localizer.translate
    return {
        "figures": now, "sentence": sentence(request, now), "bound_recorded_at": recorded_at,
        "without_register": {"count": missing, "items": [
            community_line(request, c, ("register", "@import")) for c in missing_first]},
        "gaps": {"count": gapped,
                 "counts": [{"gap": name, "title": translate(GAP_TITLES[name]), "communities": gap_counts[name]}
                            for name in desk.GAP_NAMES],
                 "items": [community_line(request, c, ("register", ""), gaps=[
                     translate(GAP_TITLES[g]) for g in desk.gaps_of(c)]) for c in gapped_first]},
        "documents": {"count": len(docs), "items": [
            {"title": d.title, "community": d.community.title, "@id": request.resource_url(d),
             "since": clock.local(d.history[-1]["when"]).strftime("%Y-%m-%d") if d.history else None}
            for d in docs[:desk.SHOWN]]},
    }


def city_desk(request, context):
    portal = request.portal
    nodes = list(context.values())
    found = desk.current_of(portal, ["/"] + [query.path_of(node) for node in nodes])
    now, recorded_at = found["/"]
    districts = [dict(found[query.path_of(node)][0], title=node.title,
                      **{"@id": request.resource_url(node, "@worklist")}) for node in nodes]
    return {"figures": now, "sentence": sentence(request, now), "bound_recorded_at": recorded_at,
            "districts": districts}


def respond(request, context, data, names, template):
    points = desk.history(request.portal, query.path_of(context))
    if request.wants_json:
        return render_to_response("json", dict(data, series=series_json(points)), request=request)
    data = dict(data, charts=charts(request, points, names), recorded=recorded_text(data["bound_recorded_at"]),
                thousands=figures.thousands, figure_titles=FIGURE_TITLES, title=_("Desk"))
    return render_to_response(template, data, request=request)


@view_config(context=District, name="@worklist", permission="view_worklist")
def district_view(context, request):
    return respond(request, context, district_desk(request, context), DISTRICT_CHARTS,
                   "portal.templates:desk_district.pt")


@view_config(context=Portal, name="@worklist", permission="view_worklist")
def city_view(context, request):
    return respond(request, context, city_desk(request, context), CITY_CHARTS, "portal.templates:desk_city.pt")
