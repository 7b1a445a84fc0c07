"""Wiring the vote path: the evolve steps that bring stored ballot boxes to the merging shape.

Boxes written before it kept each vote as a dict (with its earlier votes inside it), idempotency
answers in a tree that grew per vote, and two ``Length`` counters; the step rewrites each box as
``portal.voting.box`` now keeps it: tuple records, earlier votes in their own tree, idempotency
answers under the owner's pre-filled key, one counter, and the electorate's totals on the box.
A later step gives each box the counters beside that one (``box.COUNTERS``).
"""
import hashlib

from BTrees.OOBTree import OOBTree

from portal import evolve
from portal.content.folder import communities_under
from portal.voting.box import COUNTERS, FIELDS, NOT_VOTED, Counter, Earlier, choices_text, stamp


def as_record(old, seq):
    """A stored dict vote as a record tuple (its receipt hash cut to the length kept now)."""
    values = dict(old, matters=choices_text(old["matters"]), when=stamp(old["when"]), receipt=old["receipt"][:32],
                  seq=seq)
    return tuple(values[name] for name in FIELDS)


def convert(box, totals):
    """Rewrite one box from the dict shape (a box already converted is left as it is)."""
    if hasattr(box, "counter"):
        return False
    earlier = OOBTree()
    for key, old in list(box.votes.items()):
        if old is None:
            box.votes[key] = NOT_VOTED
            continue
        link = None
        for seq, previous in enumerate(old.get("earlier", ())):
            link = Earlier(as_record(previous, seq), link)
        if link is not None:
            earlier[key] = link
        box.votes[key] = as_record(old, len(old.get("earlier", ())))
    for key in box.areas.keys():
        if key not in box.votes:
            box.votes[key] = NOT_VOTED
    retries = OOBTree()
    retries.update({key: () for key in box.areas.keys()})
    for name, answer in box.retries.items():
        owners = tuple(answer["owners"])
        if owners:      # the body was not kept before: any body repeats the first answer
            retries[owners[0]] = (hashlib.sha256(name.encode()).hexdigest()[:32], "", answer["receipt"], owners)
    box.retries, box.earlier = retries, earlier
    box.counter = Counter(box.voted_owners(), box.voted_area())
    box.more_counters = ()          # everything counted so far is in ``counter``
    del box.voted_owners, box.voted_area
    box.totals = (totals.owners, totals.area)
    return True


@evolve.step("0008-merging-ballot-boxes")
def merge_ballot_boxes(portal):
    for community in communities_under(portal):
        if "ballots" not in community:
            continue
        for ballot in community["ballots"].values():
            box = getattr(ballot, "box", None)
            if box is not None:
                convert(box, ballot.electorate.totals)


def boxes_of(portal):
    for community in communities_under(portal):
        if "ballots" in community:
            for ballot in community["ballots"].values():
                if getattr(ballot, "box", None) is not None:
                    yield ballot.box


@evolve.step("0046-vote-counters-spread")
def spread_vote_counters(portal):
    """Boxes made with one counter get the others beside it, empty: what was counted stays in the
    first, and the sums stay the same; from now on concurrent votes rarely add to the same one."""
    for box in boxes_of(portal):
        if not box.more_counters:
            box.more_counters = tuple(Counter() for _ in range(COUNTERS - 1))


LIVE_PHASES = ("notice", "voting")      # the electorate is frozen and votes are still to come


def live_ballots(unit):
    """The ballots of the unit's community whose frozen electorate holds the unit, still open."""
    community = unit.__parent__.__parent__
    for ballot in community["ballots"].values():
        box = ballot.box
        if ballot.electorate is not None and box is not None and ballot.phase() in LIVE_PHASES \
                and unit.__name__ in box.owner_of_unit:
            yield ballot


def sale_checked(event, unit):
    event.live.extend(ballot.title for ballot in live_ballots(event.object))


def unit_sold(event, unit):
    """Apply the rule of a unit sold during voting to every live ballot it votes on, with the area
    frozen for it, and record the change with its reason on the ballot."""
    for ballot in live_ballots(unit):
        frozen = {u.key: u.area for u in ballot.electorate.units}
        outcome = ballot.box.unit_sold(unit.__name__, frozen.get(unit.__name__, 0))
        if outcome is not None:
            ballot.sales = tuple(ballot.sales) + ({"unit": unit.__name__, "outcome": outcome, "reason": event.reason,
                                                   "when": event.when},)
            event.outcomes.append((ballot, outcome))


def includeme(config):
    """The evolve step above is recorded by loading this module; a sale in the register reaches
    every ballot whose frozen electorate holds the unit."""
    from zope.interface import Interface

    from portal.register.events import SaleChecked, UnitSold

    config.add_subscriber(sale_checked, (SaleChecked, Interface))
    config.add_subscriber(unit_sold, (UnitSold, Interface))
    from portal.errors import add_refusal_explainer
    from portal.voting.views import why_not_open

    add_refusal_explainer(config, why_not_open)
