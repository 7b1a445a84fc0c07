"""Entering, checking, approving and rejecting paper ballots and written proxies (no Pyramid here).

Both are entries of ``ballot.paper`` (ids p1, p2, ... in the order entered), a written proxy with
``kind`` "proxy".  An approved entry weighs the same as an electronic vote: it is cast into the
ballot box for the owner group of its unit, on channel "paper" or "proxy".  A unit counts once;
which vote counts when a unit voted several ways is the box's rule (``portal.voting.box.replaces``,
under the ballot's ``electronic_prevails`` setting; the owner's own electronic vote always prevails
over a proxy).  An entry the box does not take is flagged with the box's reason; one that a later
vote replaced is flagged when the box says so (``VotesReplaced``).

Every entry is entered by one person and checked by another (``rules.checker_problem``): the
street office's review, and where the count record asks for it a second entry made blind first;
two entries that differ wait, as a mismatch, for someone else to say which one the scan shows.
"""
from BTrees.OOBTree import OOBTree

from portal.i18n import _
from portal import uploads as scans
from portal.paper import rules
from portal.paper.rules import APPROVED, FLAGGED, MISMATCH, PAPER, PENDING, PROXY, REJECTED, SECOND
from portal.voting.box import ACCOUNT, ELECTRONIC, VoteRefused
from portal.voting.service import box_of, record as record_vote

ELECTRONIC_PREVAILS = _("The unit also voted electronically; the electronic vote prevails.")
REPLACED = _("A later vote of the unit replaced this paper ballot.")
ALREADY_COUNTED = _("The unit's vote is already counted and this ballot does not allow changing a vote.")
NOT_TAKEN = {"electronic_prevails": ELECTRONIC_PREVAILS, "already_voted": ALREADY_COUNTED}   # the box's refusals
ACCOUNT_PREFIX = "paper:"
AFTER_PRELIMINARY = _("The preliminary results are published: a paper ballot is now reviewed again only as the "
                      "correction of an upheld objection.")

ID_PREFIX = "p"
NUMBER = _("No. ${number}")


def number(paper_id):
    """The entry's number as people read and write it on the paper ("p7" is No. 7)."""
    return paper_id[len(ID_PREFIX):] if paper_id.startswith(ID_PREFIX) else paper_id


def number_label(paper_id):
    return _(NUMBER, mapping={"number": number(paper_id)})


def paper_of(ballot):
    if ballot.paper is None:
        ballot.paper = OOBTree()
    return ballot.paper


def voting_units(ballot):
    """[(unit key, title)] of the register's units that vote on the ballot, in register order."""
    box = box_of(ballot)
    owner_of_unit = box.owner_of_unit if box is not None else {}
    return [(u.__name__, u.title) for u in ballot.community["register"].values() if u.__name__ in owner_of_unit]


def records(ballot):
    """[(paper id, record)] of the ballot's entries, in the order they were entered."""
    paper = ballot.paper or {}
    return sorted(paper.items(), key=lambda item: int(item[0][1:]))


def get(ballot, paper_id):
    return (ballot.paper or {}).get(paper_id)


def preliminary_published(ballot):
    """Whether preliminary results have been published (then the count stands, but for corrections)."""
    return any(h["transition"] in ("publish_preliminary", "republish_preliminary") for h in ballot.history)


def electronically_voted(ballot, unit_key):
    """Whether the owner group of the unit holds an electronic vote now (it would prevail)."""
    box = box_of(ballot)
    key = box.owner_of_unit.get(unit_key) if box is not None else None
    current = box.current(key) if key is not None else None
    return bool(current) and current["channel"] == ELECTRONIC


def second_entry_required(ballot):
    count = ballot.paper_count
    return bool(count and count.get("second_entry"))


def enter(ballot, unit_key, choices, scan, who, now, kind=PAPER, proxy_name_enc=b""):
    """Record an entry awaiting its check; return its id."""
    if preliminary_published(ballot):
        raise VoteRefused("closed", AFTER_PRELIMINARY)
    if kind == PROXY:
        problem = rules.proxy_problem(ballot.allow_proxies)
        if problem is not None:
            raise VoteRefused("no_proxies", problem)
    message = scans.problem(scan)
    if message is not None:
        raise VoteRefused("scan", message)
    box = box_of(ballot)
    if unit_key not in box.owner_of_unit:
        raise VoteRefused("not_in_electorate", _("This unit does not vote on this ballot."))
    paper = paper_of(ballot)
    paper_id = f"{ID_PREFIX}{len(paper) + 1}"
    paper[paper_id] = {"kind": kind, "unit": unit_key, "matters": dict(choices), "scan": scans.store(scan),
                       "content_type": scans.content_type(scan), "entered_by": who, "entered_at": now,
                       "state": SECOND if second_entry_required(ballot) else PENDING, "reason": "",
                       "proxy_name_enc": proxy_name_enc}
    return paper_id


def checked_record(ballot, paper_id, state, not_now, who):
    """A copy of an entry to change, when it is in ``state`` (else ``not_now`` is the refusal) and
    ``who`` is neither of the people who entered it (DOMAIN.md: entered by one, checked by another)."""
    record = dict(paper_of(ballot)[paper_id])
    if record["state"] != state:
        raise VoteRefused("reviewed", not_now)
    problem = rules.checker_problem(record, who)
    if problem is not None:
        raise VoteRefused("same_person", problem)
    return record


def second_entry(ballot, paper_id, choices, who, now):
    """The second, blind entry of a ballot's marks by another person: the same marks make it wait
    for review; different ones flag it as a mismatch that someone must resolve."""
    record = checked_record(ballot, paper_id, SECOND, _("This ballot does not wait for a second entry."), who)
    record.update(second=dict(choices), second_by=who, second_at=now)
    if rules.same_marks(record["matters"], choices):
        record["state"] = PENDING
    else:
        record.update(state=MISMATCH, reason=_("The two entries differ; compare them with the scan."))
    paper_of(ballot)[paper_id] = record
    return record


def resolve(ballot, paper_id, which, who, now):
    """The street office (someone other than the two who entered it) says which entry the scan shows (``first`` or
    ``second``); the ballot then waits for review with those marks, the other entry kept."""
    record = checked_record(ballot, paper_id, MISMATCH, _("This ballot has no mismatch to resolve."), who)
    chosen = record["matters"] if which == "first" else record["second"]
    record.update(state=PENDING, reason="", matters=dict(chosen), first=record["matters"],
                  resolved={"which": which, "by": who, "when": now})
    paper_of(ballot)[paper_id] = record
    return record


def review(ballot, paper_id, approve, who, now, reason=""):
    if preliminary_published(ballot):
        raise VoteRefused("closed", AFTER_PRELIMINARY)
    if paper_of(ballot)[paper_id]["state"] in (SECOND, MISMATCH):
        raise VoteRefused("unchecked", _("This ballot waits for its second entry or for its mismatch to be "
                                         "resolved; it cannot be reviewed yet."))
    record = checked_record(ballot, paper_id, PENDING, _("This paper ballot has been reviewed already."), who)
    record = decided(ballot, paper_id, record, approve, who, now, reason)
    paper_of(ballot)[paper_id] = record
    return record


def decided(ballot, paper_id, record, approve, who, now, reason):
    """The record once approved (cast into the box, or flagged with the box's reason) or rejected."""
    record.update(reviewed_by=who, reviewed_at=now)
    if not approve:
        record.update(state=REJECTED, reason=reason)
        return record
    try:
        record_vote(ballot, ACCOUNT_PREFIX + paper_id, [record["unit"]], record["matters"], now,
                    channel=record.get("kind", PAPER))
    except VoteRefused as refused:
        if refused.code not in NOT_TAKEN:
            raise
        record.update(state=FLAGGED, reason=NOT_TAKEN[refused.code])
    else:
        record.update(state=APPROVED, reason="")
    return record


def correct(ballot, paper_id, objection_number, who, now, reason):
    """The correction an upheld counting objection leads to: a rejected paper ballot reviewed again
    and approved (it is counted), recorded with the objection's number and the reason."""
    from portal.objections.service import upheld

    if objection_number not in {o.number for o in upheld(ballot)}:
        raise VoteRefused("no_objection", _("Choose an upheld objection: a counted ballot is corrected only "
                                            "because of one."))
    record = checked_record(ballot, paper_id, REJECTED,
                            _("Only a rejected paper ballot can be reviewed again and counted."), who)
    before = {"state": record["state"], "reason": record["reason"], "by": record.get("reviewed_by")}
    record = decided(ballot, paper_id, record, True, who, now, "")
    record["correction"] = {"objection": objection_number, "reason": reason, "by": who, "when": now,
                            "before": before}
    paper_of(ballot)[paper_id] = record
    return record


def flag_replaced(event, ballot):
    """After a later vote replaced approved entries: flag them, with the reason."""
    paper = ballot.paper
    if not paper:
        return
    for replaced in event.replaced.values():
        account = replaced[ACCOUNT]
        paper_id = account[len(ACCOUNT_PREFIX):] if account.startswith(ACCOUNT_PREFIX) else None
        record = paper.get(paper_id) if paper_id else None
        if record is not None and record["state"] == APPROVED:
            prevails = event.channel == ELECTRONIC and (ballot.electronic_prevails or record.get("kind") == PROXY)
            paper[paper_id] = dict(record, state=FLAGGED, reason=ELECTRONIC_PREVAILS if prevails else REPLACED)


def flagged(ballot):
    return [(pid, r) for pid, r in (ballot.paper or {}).items() if r["state"] == FLAGGED]
