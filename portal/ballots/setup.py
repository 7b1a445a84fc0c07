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

    timers.register("Ballot", lifecycle.TIMERS, lifecycle.catch_up)
    config.add_subscriber(add_ballots, (ObjectAdded, Community))
    config.add_workflowed_type("ballot", all_ballots)
    config.add_node_panel("ballots", Community, ballots_panel, "portal.templates:panels/ballots.pt", order=20)


def ballots_panel(request, community):
    """The community page's ballots, by phase, as the visitor may see them."""
    from portal.ballots.views import ballot_groups

    return {"ballot_groups": ballot_groups(request, community["ballots"])}


@evolve.step("0016-candidate-checks")
def add_candidate_checks(portal):
    """Stored ballot workflows get the street office's candidate check and its guard on publishing."""
    definition = portal.workflows["ballot"]
    changed = False
    for state in ("submitted", "approved"):
        permissions = definition["states"].get(state, {}).get("permissions")
        if permissions is not None and "check_candidates" not in permissions:
            permissions["check_candidates"] = ["street"]
            changed = True
    publish = definition["transitions"].get("publish_notice")
    if publish is not None and "candidates_confirmed" not in publish["guards"]:
        publish["guards"] = list(publish["guards"]) + ["candidates_confirmed"]
        changed = True
    if changed:
        portal.workflows["ballot"] = definition


OBJECTION_PERMISSIONS = {"preliminary": {"object": ["owner"], "view_objections": ["owner", "organizer", "street",
                                                                                   "district", "admin"],
                                         "answer_objection": ["organizer", "street"], "decide_objection": ["street"]},
                         "final": {"view_objections": ["anyone"]}}


@evolve.step("0017-objections")
def add_objections(portal):
    """Stored ballot workflows get objections: who files, answers and decides them, the guard of the
    final disclosure, and the corrected re-publication of preliminary results."""
    definition = portal.workflows["ballot"]
    for state, permissions in OBJECTION_PERMISSIONS.items():
        if state in definition["states"]:
            for permission, roles in permissions.items():
                definition["states"][state]["permissions"].setdefault(permission, roles)
    final = definition["transitions"].get("disclose_final")
    if final is not None and "objections_decided" not in final["guards"]:
        final["guards"] = list(final["guards"]) + ["objections_decided"]
    if "preliminary" in definition["states"] and "republish_preliminary" not in definition["transitions"]:
        definition["transitions"]["republish_preliminary"] = {
            "from": ["preliminary"], "to": "preliminary", "permission": "publish",
            "guards": ["objection_upheld", "comment_required"], "timer": None,
            "title": {"zh": "更正后重新公示初步结果（新的异议期）",
                      "en": "Publish corrected preliminary results (a new objection period)"}}
    portal.workflows["ballot"] = definition


@evolve.step("0018-filing-package")
def add_filing_permission(portal):
    """Stored ballot workflows let the organizer and the offices download the filing package."""
    definition = portal.workflows["ballot"]
    if "final" in definition["states"]:
        definition["states"]["final"]["permissions"].setdefault("view_filing", ["organizer", "street", "district",
                                                                               "admin"])
        portal.workflows["ballot"] = definition


DELIVERY_STATES = ("notice", "voting", "closed", "preliminary", "final")


@evolve.step("0019-delivery-figures")
def add_delivery_permissions(portal):
    """Stored ballot workflows show delivery figures from the notice to the final disclosure (and
    the rooms not reached to the street office), not only while room lists are open."""
    definition = portal.workflows["ballot"]
    for state in DELIVERY_STATES:
        if state in definition["states"]:
            permissions = definition["states"][state]["permissions"]
            permissions.setdefault("view_delivery", ["organizer", "street", "district", "admin"])
            permissions.setdefault("view_unreached", ["street"])
    portal.workflows["ballot"] = definition


@evolve.step("0020-vote-record")
def add_vote_record_permission(portal):
    """Stored ballot workflows let the community's owners and staff read the vote record once final."""
    definition = portal.workflows["ballot"]
    if "final" in definition["states"]:
        definition["states"]["final"]["permissions"].setdefault(
            "view_record", ["owner", "organizer", "street", "district", "admin"])
        portal.workflows["ballot"] = definition


@evolve.step("0021-street-reads-closed-results")
def street_reads_closed_results(portal):
    """Stored ballot workflows let the street office read the results before publishing them."""
    definition = portal.workflows["ballot"]
    closed = definition["states"].get("closed")
    if closed is not None:
        roles = closed["permissions"].setdefault("view_results", [])
        if "street" not in roles:
            roles.append("street")
        portal.workflows["ballot"] = definition


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

