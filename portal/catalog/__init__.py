"""The catalog (hypatia, the Substance D way): type, path, state and phase, workflow dates, the
next timer due and the principals allowed to view, for districts, streets, communities,
ballots and documents.  Kept current by the tree's events; lists across many communities
(notices, statistics, due timers) read it instead of walking the city.
"""
from portal import evolve
from portal.trees import ScatteredLOBTree


@evolve.step("0012-catalog")
def add_catalog(portal):
    from portal.catalog.rebuild import rebuild
    from portal.catalog.store import new_catalog

    if getattr(portal, "catalog", None) is None:
        portal.catalog = new_catalog()
    rebuild(portal)


@evolve.step("0040-catalog-facts")
def add_catalog_facts(portal):
    """The values each document's indexes hold, so that a reindex touches only what changed: the
    first reindex of each document after this step reindexes it whole and records them."""
    catalog = getattr(portal, "catalog", None)
    if catalog is not None and catalog.facts is None:
        catalog.facts = ScatteredLOBTree()


@evolve.step("0044-scattered-catalog-facts")
def scatter_catalog_facts(portal):
    """The catalog's facts in a tree of small buckets (``portal.trees``): reindexing a ballot
    rewrote a bucket of 60 documents' facts, about 20 kB."""
    from portal.trees import rebucketed

    catalog = getattr(portal, "catalog", None)
    if catalog is not None and catalog.facts is not None:
        catalog.facts = rebucketed(catalog.facts, ScatteredLOBTree)


def tick_job(conn, registry):
    """The scheduler's tick: every due timed transition, a batch of ballots per transaction (``due``)."""
    from portal.catalog.due import run_due

    report = run_due(conn, registry.settings)
    return {"due": report.due, "moved": report.moved, "transitions": report.transitions, "failed": report.failed}


def includeme(config):
    from zope.interface import Interface

    from portal.catalog import subscribers
    from portal.events import ObjectAdded, ObjectModified, ObjectWillBeRemoved, StateChanged

    config.add_subscriber(subscribers.added, (ObjectAdded, Interface))
    config.add_subscriber(subscribers.will_be_removed, (ObjectWillBeRemoved, Interface))
    config.add_subscriber(subscribers.modified, (ObjectModified, Interface))
    config.add_subscriber(subscribers.state_changed, (StateChanged, Interface))
    config.add_periodic_job("tick", tick_job)
