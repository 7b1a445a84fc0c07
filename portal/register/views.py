"""The register page (totals, gaps, units) and its JSON."""
from pyramid.view import view_config

from portal.i18n import _
from portal.register import rules
from portal.register.models import KIND_TITLES, VIEW_REGISTER, Register

BATCH = 50
GAP_TITLES = {
    "no_owner": _("Units without an owner"),
    "no_area": _("Units without an area"),
    "bad_id": _("Owners with an invalid or missing ID number"),
    "duplicate_owner": _("The same person twice on one unit"),
    "id_conflict": _("One ID number under two names"),
}


def page_of_units(request, register):
    return register.in_order(request.params.get("start") or None, BATCH)


def summary_json(register):
    summary = register.summary or {"units": 0, "owners": 0, "area": 0, "all_units": 0, "gaps": {}}
    return {
        "total_units": summary["units"], "total_owners": summary["owners"],
        "total_area": rules.format_area(summary["area"]), "all_units": summary["all_units"],
        "gaps": summary["gaps"],
        "established": register.established.isoformat() if register.established else None,
        "updated": register.updated.isoformat() if register.updated else None,
    }


@view_config(context=Register, json=False, permission=VIEW_REGISTER, renderer="portal.templates:register.pt")
def register_page(context, request):
    units, following = page_of_units(request, context)
    # the gaps as the last refresh found them: a page view never walks the whole register
    summary = context.summary or {}
    named = summary.get("gap_units", {})
    counts = summary.get("gaps", {})
    return {
        "summary": summary_json(context),
        "gaps": [(name, GAP_TITLES[name], [u for u in map(context.get, named.get(name, ())) if u is not None],
                  counts.get(name, 0)) for name in GAP_TITLES],
        "units": units,
        "next_url": request.resource_url(context, query={"start": following}) if following else None,
        "kind_titles": KIND_TITLES,
        "format_area": rules.format_area,
        "community": context.__parent__,
    }


@view_config(context=Register, json=True, request_method="GET", permission=VIEW_REGISTER, renderer="json")
def register_json(context, request):
    units, following = page_of_units(request, context)
    data = {"@id": request.resource_url(context).rstrip("/"), "@type": "Register"}
    data.update(summary_json(context))
    data["items"] = [{"@id": request.resource_url(u).rstrip("/"), "id": u.__name__, "title": u.title,
                      "kind": u.kind, "area": rules.format_area(u.area), "owners": len(u.owners),
                      "developer_unsold": u.developer_unsold} for u in units]
    data["items_total"] = len(context)
    if following:
        data["batching"] = {"next": request.resource_url(context, query={"start": following})}
    return data
