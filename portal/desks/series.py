"""The coverage series the desks chart: the city's and each district's figures, one point per
month, recorded by a periodic job (``record_job``) from the catalog and the registers' bound
counters.  Nothing here is invented: a month has a point only if the job ran in it (the demo may
back-fill past months, marked as demo).
"""
import logging

from BTrees.OOBTree import OOBTree
from persistent import Persistent

from portal import clock
from portal.catalog import query
from portal.desks import figures
from portal.desks.figures import Point

log = logging.getLogger(__name__)

ROOT_KEY = "portal"


class CoverageSeries(Persistent):
    """node path -> month -> Point (immutable, so a bucket holds plain records)."""

    last_recorded = None        # aware UTC datetime of the last recording

    def __init__(self):
        self.points = OOBTree()

    def record(self, path, point):
        months = self.points.get(path)
        if months is None:
            months = self.points[path] = OOBTree()
        months[point.month] = point

    def of(self, path):
        """The node's points, oldest first."""
        months = self.points.get(path)
        return list(months.values()) if months is not None else []

    def latest(self, path):
        months = self.points.get(path)
        return months[months.maxKey()] if months else None


def series_of(portal):
    """The portal's series (made on first use)."""
    found = getattr(portal, "coverage_series", None)
    if found is None:
        found = portal.coverage_series = CoverageSeries()
    return found


def bound_owners(communities):
    """Owners bound, summed over these communities' registers (their counters, not their units)."""
    from portal.register.services import bound_figures

    return sum(bound_figures(c["register"])["bound_owners"] for c in communities if c.get("register") is not None)


def node_figures(portal, path):
    """The figures of everything at or below ``path``, from the catalog."""
    registered = query.objects(portal, type_name="Community", under=path, registered=True)
    return {"communities": query.count(portal, type_name="Community", under=path),
            "with_register": len(registered), "bound_owners": bound_owners(registered),
            "ballots_held": query.count(portal, type_name="Ballot", under=path, phase=list(figures.HELD_PHASES))}


def record(portal, now):
    """Record this month's point of the city and of every district (overwriting the month's
    earlier recording); the number of points written."""
    month = figures.month_of(clock.local(now).date())
    series = series_of(portal)
    written = []
    for district in portal.values():
        path = query.path_of(district)
        written.append(node_figures(portal, path))
        series.record(path, Point(month, now.isoformat(), **written[-1]))
    series.record("/", Point(month, now.isoformat(), **figures.total(written)))
    series.last_recorded = now
    return len(written) + 1


def record_job(conn, registry, attempts=5):
    """The scheduler's job: record when a recording is due (``figures.RECORD_EVERY``)."""
    from portal.catalog.due import portal_now

    tm = conn.transaction_manager
    for attempt in tm.attempts(attempts):
        with attempt as txn:
            portal = conn.root()[ROOT_KEY]
            now = portal_now(portal, registry.settings)
            last = getattr(getattr(portal, "coverage_series", None), "last_recorded", None)
            if not figures.due(last, now):
                return {"recorded": 0}
            written = record(portal, now)
            txn.note(f"coverage series: {written} points")
    log.info("coverage series: %s points recorded", written)
    return {"recorded": written}
