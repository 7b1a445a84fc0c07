"""Entering, approving and rejecting paper ballots (no Pyramid here).

An approved paper ballot weighs the same as an electronic vote: it is cast into the ballot box
for the owner group of its unit, on channel "paper".  A unit counts once; which vote counts when a
unit voted both ways is the box's rule (``portal.voting.box.replaces``, under the ballot's
``electronic_prevails`` setting).  A paper ballot the box does not take is flagged with the box's
reason; one that a later vote replaced is flagged when the box says so (``VotesReplaced``).
"""
from BTrees.OOBTree import OOBTree

from portal.i18n import _
from portal import uploads as scans
from portal.voting.box import ACCOUNT, ELECTRONIC, VoteRefused
from portal.voting.service import box_of, record as record_vote

PENDING, APPROVED, REJECTED, FLAGGED = "pending", "approved", "rejected", "flagged"
ELECTRONIC_PREVAILS = _("The unit also voted electronically; the electronic vote prevails.")
REPLACED = _("A later vote of the unit replaced this paper ballot.")
ALREADY_COUNTED = _("The unit's vote is already counted and this ballot does not allow changing a vote.")
NOT_TAKEN = {"electronic_prevails": ELECTRONIC_PREVAILS, "already_voted": ALREADY_COUNTED}   # the box's refusals
ACCOUNT_PREFIX = "paper:"


def paper_of(ballot):
    if getattr(ballot, "paper", None) is None:
        ballot.paper = OOBTree()
    return ballot.paper


def voting_units(ballot):
    """[(unit key, title)] of the register's units that vote on the ballot, in register order."""
    box = box_of(ballot)
    owner_of_unit = box.owner_of_unit if box is not None else {}
    return [(u.__name__, u.title) for u in ballot.community["register"].values() if u.__name__ in owner_of_unit]


def records(ballot):
    """[(paper id, record)] of the ballot's paper ballots, in the order they were entered."""
    paper = getattr(ballot, "paper", None) or {}
    return sorted(paper.items(), key=lambda item: int(item[0][1:]))


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
        try:
            record_vote(ballot, ACCOUNT_PREFIX + paper_id, [record["unit"]], record["matters"], now,
                        channel="paper")
        except VoteRefused as refused:
            if refused.code not in NOT_TAKEN:
                raise
            record.update(state=FLAGGED, reason=NOT_TAKEN[refused.code])
        else:
            record["state"] = APPROVED
    paper[paper_id] = record
    return record


def flag_replaced(event, ballot):
    """After a later vote replaced approved paper ballots: flag them, with the reason."""
    paper = getattr(ballot, "paper", None)
    if not paper:
        return
    reason = ELECTRONIC_PREVAILS if event.channel == ELECTRONIC and ballot.electronic_prevails else REPLACED
    for replaced in event.replaced.values():
        account = replaced[ACCOUNT]
        record = paper.get(account[len(ACCOUNT_PREFIX):]) if account.startswith(ACCOUNT_PREFIX) else None
        if record is not None and record["state"] == APPROVED:
            paper[account[len(ACCOUNT_PREFIX):]] = dict(record, state=FLAGGED, reason=reason)


def flagged(ballot):
    return [(pid, r) for pid, r in (getattr(ballot, "paper", None) or {}).items() if r["state"] == FLAGGED]


def add_flagged_to_results(event, ballot):
    """The results page lists the paper ballots not counted, by unit, with the reason."""
    register = ballot.community["register"]
    event.values["flagged"] = [(pid, r, register.get(r["unit"])) for pid, r in flagged(ballot)]
