"""The catalog (hypatia, the Substance D way): type, path, state and phase, workflow dates, the
next timer due and the principals allowed to view, for districts, streets, communities,
ballots and documents.  Kept current by the tree's events; lists across many communities
(notices, statistics, due timers) read it instead of walking the city.
"""
from pyramid.events import ApplicationCreated

from portal import evolve
from portal.settings import flag


@evolve.step("0012-catalog")
def add_catalog(portal):
    from portal.catalog.rebuild import rebuild
    from portal.catalog.store import new_catalog

    if getattr(portal, "catalog", None) is None:
        portal.catalog = new_catalog()
    rebuild(portal)


def start_scheduler(event):
    registry = event.app.registry
    if flag(registry.settings, "scheduler"):
        from portal.catalog.scheduler import Scheduler

        registry.scheduler = Scheduler(registry._zodb_databases[""], registry.settings).start()


def includeme(config):
    from zope.interface import Interface

    from portal.catalog import subscribers
    from portal.events import ObjectAdded, ObjectModified, ObjectWillBeRemoved, StateChanged

    config.add_subscriber(subscribers.added, (ObjectAdded, Interface))
    config.add_subscriber(subscribers.will_be_removed, (ObjectWillBeRemoved, Interface))
    config.add_subscriber(subscribers.modified, (ObjectModified, Interface))
    config.add_subscriber(subscribers.state_changed, (StateChanged, Interface))
    config.add_subscriber(start_scheduler, ApplicationCreated)
