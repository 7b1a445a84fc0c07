"""Wiring the vote path: the evolve step that brings stored ballot boxes to the merging shape.

Boxes written before it kept each vote as a dict (with its earlier votes inside it), idempotency
answers in a tree that grew per vote, and two ``Length`` counters; the step rewrites each box as
``portal.voting.box`` now keeps it: tuple records, earlier votes in their own tree, idempotency
answers under the owner's pre-filled key, one counter, and the electorate's totals on the box.
"""
import hashlib

from BTrees.OOBTree import OOBTree

from portal import evolve
from portal.content.folder import communities_under
from portal.voting.box import FIELDS, NOT_VOTED, Counter, Earlier, choices_text, stamp


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


def includeme(config):
    """Nothing to register beyond the evolve step above, which loading this module records."""
