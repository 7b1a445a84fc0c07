"""What waits for a district office, from the catalog (no Pyramid): communities without a
register, registers with gaps (how many communities have each kind of gap), filed documents not
yet published, and the district's coverage now and over time."""
from portal.catalog import query
from portal.catalog.indexing import resolve
from portal.desks import figures
from portal.register.services import GAP_NAMES

SHOWN = 20                  # lines named on the desk; the count says how many there are in all
TO_PUBLISH = "draft"        # a filed document waiting for the district to publish it


def first(portal, paths, limit=SHOWN):
    """The objects of the first ``limit`` of ``paths`` in path order (only those are loaded)."""
    found = (resolve(portal, path) for path in sorted(paths)[:limit])
    return [obj for obj in found if obj is not None]


def without_register(portal, path):
    """(how many communities below ``path`` have no register yet, the first of them)."""
    paths = query.paths(portal, type_name="Community", under=path, registered=False)
    return len(paths), first(portal, paths)


def gap_counts(portal, path):
    """{gap name: how many registers below ``path`` have that gap}."""
    return {name: query.count(portal, type_name="Community", under=path, gap=name) for name in GAP_NAMES}


def with_gaps(portal, path):
    """(how many registers below ``path`` have any gap, the first of them)."""
    paths = query.paths(portal, type_name="Community", under=path, gap=GAP_NAMES)
    return len(paths), first(portal, paths)


def gaps_of(community):
    """The kinds of gap the community's register has, in GAP_NAMES order (its last recount)."""
    figures_of = getattr(community.get("register"), "figures", None) or {}
    found = figures_of.get("gaps", {})
    return [name for name in GAP_NAMES if found.get(name)]


def documents_to_publish(portal, path):
    """The filed documents below ``path`` waiting to be published, oldest first."""
    docs = query.objects(portal, type_name="Document", under=path, state=TO_PUBLISH)
    return sorted(docs, key=lambda doc: doc.history[-1]["when"] if doc.history else doc.filing_date)


def current(portal, path):
    """The figures now: communities, registers and ballots held from the catalog; bound owners as
    the last recording of the series found them (the registers' counters are not summed per
    request).  Returns (figures, the time bound owners were recorded or None)."""
    return current_of(portal, [path])[path]


def current_of(portal, paths):
    """{path: (figures, recorded at)} for several nodes: three catalog queries for the whole city,
    then one per node and set intersections (a desk of eleven districts costs fourteen queries)."""
    intersection = portal.catalog.family.IF.intersection
    communities = query.ids(portal, type_name="Community")
    registered = query.ids(portal, type_name="Community", registered=True)
    held = query.ids(portal, type_name="Ballot", phase=list(figures.HELD_PHASES))
    recorded = series_of_read(portal)
    out = {}
    for path in paths:
        under = query.ids(portal, under=path)
        latest = recorded.latest(path) if recorded is not None else None
        out[path] = ({"communities": len(intersection(communities, under)),
                      "with_register": len(intersection(registered, under)),
                      "bound_owners": latest.bound_owners if latest else 0,
                      "ballots_held": len(intersection(held, under))}, latest.recorded_at if latest else None)
    return out


def series_of_read(portal):
    """The series, or None before the first recording (a read never creates it)."""
    return getattr(portal, "coverage_series", None)


def history(portal, path):
    """The node's recorded points, oldest first."""
    found = series_of_read(portal)
    return found.of(path) if found is not None else []

