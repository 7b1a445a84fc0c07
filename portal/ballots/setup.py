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


def all_ballots(portal):
    for community in communities_under(portal):
        yield from community["ballots"].values()


def includeme(config):
    from portal.catalog import timers
    from portal.content.models import Community
    from portal.events import ObjectAdded

    timers.register("Ballot", lifecycle.TIMERS, lifecycle.catch_up, lifecycle.parts_read)
    config.add_subscriber(add_ballots, (ObjectAdded, Community))
    config.add_workflowed_type("ballot", all_ballots)
    config.add_node_panel("ballots", Community, ballots_panel, "portal.templates:panels/ballots.pt", order=20)


def ballots_panel(request, community):
    """The community page's ballots, by phase, as the visitor may see them."""
    from portal.ballots.views import ballot_groups

    return {"ballot_groups": ballot_groups(request, community["ballots"])}


STAFF_AND_ORGANIZER = ["organizer", "street", "district", "admin"]


@evolve.step("0016-candidate-checks")
def add_candidate_checks(portal):
    """Stored ballot workflows get the street office's candidate check and its guard on publishing."""
    registry.amend(portal, "ballot", grants={"submitted": {"check_candidates": ["street"]},
                                             "approved": {"check_candidates": ["street"]}},
                   guards={"publish_notice": ["candidates_confirmed"]})


@evolve.step("0017-objections")
def add_objections(portal):
    """Stored ballot workflows get objections: who files, answers and decides them, the guard of the
    final disclosure, and the corrected re-publication of preliminary results."""
    registry.amend(portal, "ballot", grants={
        "preliminary": {"object": ["owner"], "view_objections": ["owner"] + STAFF_AND_ORGANIZER,
                        "answer_objection": ["organizer", "street"], "decide_objection": ["street"]},
        "final": {"view_objections": ["anyone"]}},
        guards={"disclose_final": ["objections_decided"]},
        transitions={"republish_preliminary": {
            "from": ["preliminary"], "to": "preliminary", "permission": "publish",
            "guards": ["objection_upheld", "comment_required"],
            "title": {"zh": "更正后重新公示初步结果（新的异议期）",
                      "en": "Publish corrected preliminary results (a new objection period)"}}})


@evolve.step("0018-filing-package")
def add_filing_permission(portal):
    """Stored ballot workflows let the organizer and the offices download the filing package."""
    registry.amend(portal, "ballot", grants={"final": {"view_filing": STAFF_AND_ORGANIZER}})


@evolve.step("0019-delivery-figures")
def add_delivery_permissions(portal):
    """Stored ballot workflows show delivery figures from the notice to the final disclosure (and
    the rooms not reached to the street office), not only while room lists are open."""
    registry.amend(portal, "ballot", grants={
        state: {"view_delivery": STAFF_AND_ORGANIZER, "view_unreached": ["street"]}
        for state in ("notice", "voting", "closed", "preliminary", "final")})


@evolve.step("0020-vote-record")
def add_vote_record_permission(portal):
    """Stored ballot workflows let the community's owners and staff read the vote record once final."""
    registry.amend(portal, "ballot", grants={"final": {"view_record": ["owner"] + STAFF_AND_ORGANIZER}})


@evolve.step("0021-street-reads-closed-results")
def street_reads_closed_results(portal):
    """Stored ballot workflows let the street office read the results before publishing them."""
    registry.amend(portal, "ballot", grants={"closed": {"view_results": ["street"]}})


@evolve.step("0022-paper-after-close")
def paper_after_close(portal):
    """Stored ballot workflows let paper ballots be counted after voting closes, and let the street
    office review one again as the correction of an upheld objection during the objection period."""
    registry.amend(portal, "ballot", grants={"closed": {"enter_paper": ["organizer"], "review_paper": ["street"]},
                                             "preliminary": {"review_paper": ["street"]}})


@subscriber(ContextFound)
def bring_up_to_date(event):
    """A ballot read after a due time is moved on first (the scheduler does the same); when nothing
    is due, that costs one comparison with the ballot's remembered next due time."""
    from portal.catalog import timers

    context = event.request.context
    if isinstance(context, Ballot):
        now = clock.now()
        if timers.is_due(context, now):
            lifecycle.catch_up(context, now)


@subscriber(NewRequest)
def demo_clock(event):
    """With portal.clock_override, every request runs on the portal's demo time."""
    request = event.request
    if flag(request.registry.settings, "clock_override"):
        offset = getattr(request.portal, "clock_offset", None)
        clock.set_offset(datetime.timedelta(seconds=offset) if offset else None)



@evolve.step("0024-organizer-dates")
def return_approved_for_new_dates(portal):
    """Stored ballot workflows check the notice period when a draft is submitted, and let the
    street office return an approved ballot to its organizer for new dates (with a reason)."""
    registry.amend(portal, "ballot", grants={"approved": {"review": ["street"]}},
                   guards={"submit": ["notice_period"]},
                   transitions={"return_for_dates": {
                       "from": ["approved"], "to": "draft", "permission": "review", "guards": ["comment_required"],
                       "title": {"zh": "退回组织者重新确定日期", "en": "Return to the organizer for new dates"}}})


@evolve.step("0045-electorate-units-apart")
def store_electorate_units_apart(portal):
    """Each frozen electorate's units in an object of their own (``models.FrozenUnits``), so that
    reading its totals no longer loads every unit.  A savepoint every 200 ballots lets the cache
    let go of the units moved (a city of three million units)."""
    from portal.catalog import query
    from portal.catalog.indexing import resolve

    conn = portal._p_jar
    for number, path in enumerate(query.paths(portal, type_name="Ballot"), start=1):
        electorate = getattr(resolve(portal, path), "electorate", None)
        if electorate is not None and electorate.frozen is None:
            electorate.units = electorate.__dict__["units"]
        if conn is not None and number % 200 == 0:
            conn.transaction_manager.savepoint(True)
            conn.cacheGC()
