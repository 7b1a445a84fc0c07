"""Keeping a register's summary true after every change (no Pyramid here)."""
from portal.register import rules

GAP_NAMES = ("no_owner", "no_area", "bad_id", "duplicate_owner", "id_conflict")
GAP_UNITS_KEPT = 30          # the register page names this many units of each gap


def community_of(register):
    return register.__parent__


def refresh(register, now):
    """Recompute totals and gaps after a change; record when, and bump the version."""
    community = community_of(register)
    facts = register.facts()
    include_parking = bool(getattr(community, "parking_counts", False))
    totals = rules.totals(facts, include_parking)
    gaps = rules.gaps(facts)
    register.reindex_identities()
    bound = rules.bound(facts, set(register.bindings.keys()), include_parking)
    register.summary = {
        "units": totals.units,
        "owners": totals.owners,
        "area": totals.area,
        "all_units": len(facts),
        "bound_units": bound.units,
        "bound_owners": bound.owners,
        "gaps": {name: len(gaps[name]) for name in GAP_NAMES},
        "gap_units": {name: gaps[name][:GAP_UNITS_KEPT] for name in GAP_NAMES},
    }
    register.version += 1
    register.updated = now
    if register.established is None and facts:
        register.established = now
    community.register_summary = {
        "units": totals.units, "owners": totals.owners, "area": totals.area,
        "bound_units": bound.units, "bound_owners": bound.owners,
        "established": register.established,
    }
    return gaps

