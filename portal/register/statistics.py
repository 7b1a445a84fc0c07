"""Coverage statistics of registers, for the city, a district or a street (public figures).

Totals come from each community's ``register_summary`` (copied there on every edit of the
register), so a statistics page never reads the units; the bound figures come from the register's
counters, which every bind and unbind keeps current; the communities below a node are found
through the catalog's path index, not by walking districts and streets.
"""
from collections import Counter
from dataclasses import dataclass, field

from portal.catalog import query
from portal.content.folder import root_of
from portal.register.services import bound_figures


def communities_under(node):
    """The communities at or below ``node`` (from the catalog)."""
    if node.type_name == "Community":
        return [node]
    return query.communities_under(root_of(node), query.path_of(node))


@dataclass
class Coverage:
    communities: int = 0
    with_register: int = 0
    units: int = 0
    owners: int = 0
    area: int = 0
    bound_units: int = 0
    bound_owners: int = 0
    established: Counter = field(default_factory=Counter)     # "YYYY-MM" -> registers established

    def add(self, other):
        self.communities += other.communities
        self.with_register += other.with_register
        self.units += other.units
        self.owners += other.owners
        self.area += other.area
        self.bound_units += other.bound_units
        self.bound_owners += other.bound_owners
        self.established.update(other.established)


def coverage(node, month=None):
    """The figures for everything at or below ``node``; ``month`` turns a datetime into 'YYYY-MM'."""
    return coverage_of(communities_under(node), month)


def coverage_of(communities, month=None):
    """The figures of these communities."""
    month = month or (lambda when: when.strftime("%Y-%m"))
    total = Coverage()
    for community in communities:
        total.communities += 1
        summary = community.register_summary
        if summary and summary.get("units"):
            total.with_register += 1
            total.units += summary["units"]
            total.owners += summary["owners"]
            total.area += summary["area"]
            bound = bound_figures(community["register"])
            total.bound_units += bound["bound_units"]
            total.bound_owners += bound["bound_owners"]
            if summary.get("established"):
                total.established[month(summary["established"])] += 1
    return total


def cumulative(established):
    """[(month, registers established up to and including that month)], oldest first."""
    running, points = 0, []
    for month in sorted(established):
        running += established[month]
        points.append((month, running))
    return points
