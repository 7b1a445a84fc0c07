"""Wiring ballots: the evolve step, bringing ballots up to date when read, the demo clock."""
import datetime

from pyramid.events import ContextFound, NewRequest, subscriber

from portal import clock, evolve
from portal.ballots import lifecycle
from portal.ballots.models import Ballot, Ballots
from portal.content.folder import communities_under
from portal.settings import flag
from portal.workflow import registry


@evolve.step("0004-workflows-and-ballots")
def add_workflows_and_ballots(portal):
    if not hasattr(portal, "workflows"):
        portal.workflows = registry.new_store()
        portal.clock_offset = None
    for community in communities_under(portal):
        if "ballots" not in community:
            community.add("ballots", Ballots())


@evolve.step("0006-search-index")
def add_search_index(portal):
    from portal.search.index import SearchIndex
    from portal.search.indexing import rebuild

    if not hasattr(portal, "search_index"):
        portal.search_index = SearchIndex()
        rebuild(portal)


def add_ballots(event, community):
    """Every new community gets its ballots folder."""
    if "ballots" not in community:
        community.add("ballots", Ballots())


def includeme(config):
    from portal.catalog import timers
    from portal.content.models import Community
    from portal.events import ObjectAdded

    timers.register("Ballot", lifecycle.TIMERS, lifecycle.catch_up)
    config.add_subscriber(add_ballots, (ObjectAdded, Community))


@subscriber(ContextFound)
def bring_up_to_date(event):
    """A ballot read after a due time is moved on first (the scheduler does the same)."""
    context = event.request.context
    if isinstance(context, Ballot):
        lifecycle.catch_up(context, clock.now())


@subscriber(NewRequest)
def demo_clock(event):
    """With portal.clock_override, every request runs on the portal's demo time."""
    request = event.request
    if flag(request.registry.settings, "clock_override"):
        offset = getattr(request.portal, "clock_offset", None)
        clock.set_offset(datetime.timedelta(seconds=offset) if offset else None)

