"""Entering, approving and rejecting paper ballots (no Pyramid here).

An approved paper ballot weighs the same as an electronic vote: it is cast into the ballot box
for the owner group of its unit, on channel "paper".  A unit counts once: if the owner group has
voted electronically, the paper ballot is flagged and not counted (the electronic vote
prevails), and an electronic vote after an approved paper one replaces it and flags it.
"""
from BTrees.OOBTree import OOBTree

from portal.i18n import _
from portal import uploads as scans
from portal.voting.box import VoteRefused
from portal.voting.service import box_of

PENDING, APPROVED, REJECTED, FLAGGED = "pending", "approved", "rejected", "flagged"
ELECTRONIC_PREVAILS = _("The unit also voted electronically; the electronic vote prevails.")


def paper_of(ballot):
    if getattr(ballot, "paper", None) is None:
        ballot.paper = OOBTree()
    return ballot.paper


def enter(ballot, unit_key, choices, scan, who, now):
    """Record a paper ballot awaiting review; return its id."""
    message = scans.problem(scan)
    if message is not None:
        raise VoteRefused("scan", message)
    box = box_of(ballot)
    if unit_key not in box.owner_of_unit:
        raise VoteRefused("not_in_electorate", _("This unit does not vote on this ballot."))
    paper = paper_of(ballot)
    paper_id = f"p{len(paper) + 1}"
    paper[paper_id] = {"unit": unit_key, "matters": dict(choices), "scan": scans.store(scan),
                       "content_type": scans.content_type(scan), "entered_by": who, "entered_at": now,
                       "state": PENDING, "reason": ""}
    return paper_id


def review(ballot, paper_id, approve, who, now, reason=""):
    paper = paper_of(ballot)
    record = dict(paper[paper_id])
    if record["state"] != PENDING:
        raise VoteRefused("reviewed", _("This paper ballot has been reviewed already."))
    record.update(reviewed_by=who, reviewed_at=now)
    if not approve:
        record.update(state=REJECTED, reason=reason)
    else:
        box = box_of(ballot)
        key = box.owner_of_unit[record["unit"]]
        if box.has_voted(key) and box.votes[key]["channel"] == "electronic":
            record.update(state=FLAGGED, reason=ELECTRONIC_PREVAILS)
        else:
            box.cast(f"paper:{paper_id}", [record["unit"]], ballot.matters, record["matters"], now,
                     allow_change=True, channel="paper")
            record["state"] = APPROVED
    paper[paper_id] = record
    return record


def flag_superseded(ballot, owner_key):
    """After an electronic vote replaced a paper one: flag the paper ballot with the reason."""
    paper = getattr(ballot, "paper", None)
    if not paper:
        return
    box = box_of(ballot)
    for paper_id, record in paper.items():
        if record["state"] == APPROVED and box.owner_of_unit.get(record["unit"]) == owner_key:
            paper[paper_id] = dict(record, state=FLAGGED, reason=ELECTRONIC_PREVAILS)


def channels(ballot):
    """Owners and area that voted on paper and electronically (as counted now)."""
    box = box_of(ballot)
    figures = {"electronic": [0, 0], "paper": [0, 0]}
    for key, record in box.records():
        figures[record["channel"]][0] += 1
        figures[record["channel"]][1] += box.areas[key]
    return figures


def flagged(ballot):
    return [(pid, r) for pid, r in (getattr(ballot, "paper", None) or {}).items() if r["state"] == FLAGGED]
