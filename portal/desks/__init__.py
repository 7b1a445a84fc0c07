"""Desks for staff: what waits for them, across all their communities (issue 20): the street's
worklist, the district's desk, the city administrators' desk, and the coverage series they chart."""
from portal import evolve


@evolve.step("0030-desk-indexes")
def add_desk_indexes(portal):
    """The catalog learns which communities have a register and which gaps it has, and who holds
    a staff role on each district and street; the coverage series starts empty."""
    from portal.catalog.rebuild import rebuild
    from portal.catalog.store import add_missing_indexes
    from portal.desks.series import series_of

    if add_missing_indexes(portal.catalog):
        rebuild(portal)
    series_of(portal)


def includeme(config):
    from portal.desks.series import record_job

    config.add_periodic_job("coverage-series", record_job)
