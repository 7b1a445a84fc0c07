"""Keeping a register's figures true after an edit of its units (no Pyramid here).

``refresh`` runs when the register itself is edited (an import, a unit edit, a change of whose
units count); it reads every unit.  A bind or unbind does not call it: it changes the bound
counters by what that one identity's units add (``register.bound``), so its cost does not grow
with the register.
"""
from portal.register import bound, rules

GAP_NAMES = ("no_owner", "no_area", "bad_id", "duplicate_owner", "id_conflict")
GAP_UNITS_KEPT = 30          # the register page names this many units of each gap


def community_of(register):
    return register.__parent__


def recount(register):
    """Recompute totals, gaps, the identity index and the bound counters from every unit; copy
    the totals to the community for the statistics pages.  Returns the gaps."""
    community = community_of(register)
    facts = register.facts()
    include_parking = community.parking_counts
    totals = rules.totals(facts, include_parking)
    gaps = rules.gaps(facts)
    register.reindex_identities()
    register.set_bound_counts(bound.bound_counts(facts, register.bindings, include_parking))
    register.figures = {
        "units": totals.units,
        "owners": totals.owners,
        "area": totals.area,
        "all_units": len(facts),
        "gaps": {name: len(gaps[name]) for name in GAP_NAMES},
        "gap_units": {name: gaps[name][:GAP_UNITS_KEPT] for name in GAP_NAMES},
    }
    if register.established is None and facts:
        register.established = register.updated
    community.register_summary = {
        "units": totals.units, "owners": totals.owners, "area": totals.area,
        "established": register.established,
    }
    return gaps


def refresh(register, now):
    """After an edit: recount, record when, and bump the version (a previewed import made
    against an earlier version is refused)."""
    from portal.events import ObjectModified, notify

    register.version += 1
    register.updated = now
    found = recount(register)
    notify(ObjectModified(community_of(register), names=("register_summary",), when=now))   # the catalog
    return found


def bound_figures(register):
    """{"bound_units", "bound_owners"} as they are now (read from the counters)."""
    counted = register.bound_counts()
    return {"bound_units": counted.units, "bound_owners": counted.owners()}
