"""The rules of counting paper ballots and of written proxies, as plain functions (no Pyramid).

DOMAIN.md, "Counting paper ballots": a count record says how many ballots were issued and returned
and who counted and supervised (owners of the community who stand for no election on the ballot);
every paper ballot is entered by one person and checked by another (the street office's review, or
a second entry made blind by another person); a mismatch between two entries is flagged and must be
resolved, never silently taken.  "Proxies": a ballot may refuse written proxies; a proxy is entered
and reviewed like a paper ballot, and the owner's own electronic vote prevails over it.
"""
import json

from portal.i18n import _
from portal.voting import marks
from portal.voting.tally import VOID

PAPER, PROXY = "paper", "proxy"                    # the kinds of entry, and their channels in the box
# the states of an entry: waiting for the second entry, the two entries differ, waiting for review,
# counted, rejected, not counted (the box did not take it or a later vote replaced it)
SECOND, MISMATCH, PENDING, APPROVED, REJECTED, FLAGGED = (
    "second_entry", "mismatch", "pending", "approved", "rejected", "flagged")
COUNTER, SUPERVISOR = "counter", "supervisor"
MAX_BALLOTS = 1_000_000


def count_problem(issued, returned):
    """Why the figures of a count record cannot be so, or None.  Both are whole numbers >= 0 (the
    schema says so); more ballots returned than issued is impossible."""
    if issued < 0 or returned < 0:
        return _("The numbers of ballots cannot be negative.")
    if returned > issued:
        return _("More ballots returned (${returned}) than issued (${issued}): check both figures.",
                 mapping={"returned": returned, "issued": issued})
    return None


def people_problem(people, candidate_names):
    """Why these counters and supervisors cannot count, or None.

    ``people``: [(role, person key, name)] where the person key tells one owner from another (a
    unit's owner); at least one counter and one supervisor; nobody twice; no candidate of an
    election on the ballot (``candidate_names``)."""
    roles = [role for role, _key, _name in people]
    if COUNTER not in roles:
        return _("Name at least one counter.")
    if SUPERVISOR not in roles:
        return _("Name at least one supervisor.")
    keys = [key for _role, key, _name in people]
    if len(set(keys)) != len(keys):
        return _("The same owner is named twice; counters and supervisors are different people.")
    standing = {name.strip() for name in candidate_names}
    if any(name.strip() in standing for _role, _key, name in people):
        return _("A candidate of an election on this ballot cannot count or supervise.")
    return None


def checker_problem(record, who):
    """Why ``who`` may not check (review, second-enter or resolve) this entry, or None: the person
    who entered it, or entered it the second time, cannot be the one who checks it."""
    if who in (record.get("entered_by"), record.get("second_by")):
        return _("You entered this ballot; someone else must check it.")
    return None


def same_marks(first, second):
    """Whether two entries of one ballot say the same (the canonical JSON of their marks)."""
    return canonical(first) == canonical(second)


def canonical(choices):
    return json.dumps(choices, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def is_void(matters, choices):
    """Whether a paper ballot is void on some matter (an election with more agrees than seats)."""
    try:
        recorded = marks.check_all(matters, choices, paper=True)
    except marks.MarkRefused:
        return False
    return any(mark == VOID for mark in recorded.values())


def proxy_problem(allow_proxies):
    """Why no written proxy can be entered on this ballot, or None."""
    if not allow_proxies:
        return _("This ballot does not accept written proxies: the ballot's settings refuse them.")
    return None


def reconciliation(issued, returned, matters, records, electronic_prevails_reason):
    """The paper count's figures, from the count record and the entries (paper only: proxies are
    reported on their own line).

    ``records``: the entries' records; ``electronic_prevails_reason``: the reason an entry carries
    when a unit's electronic vote prevailed.  Returns {issued, returned, entered, approved,
    rejected, void, superseded, pending, mismatched, proxies, unreturned, problems}: ``void`` are
    approved ballots void on some matter (they count as participating); ``pending`` includes those
    waiting for their second entry; ``problems`` says in words what does not add up."""
    paper = [r for r in records if r.get("kind", PAPER) == PAPER]
    states = [r["state"] for r in paper]
    figures = {
        "issued": issued, "returned": returned, "entered": len(paper),
        "approved": states.count(APPROVED), "rejected": states.count(REJECTED),
        "void": sum(1 for r in paper if r["state"] == APPROVED and is_void(matters, r["matters"])),
        "superseded": sum(1 for r in paper if r["state"] == FLAGGED and r.get("reason") == electronic_prevails_reason),
        "replaced": sum(1 for r in paper if r["state"] == FLAGGED and r.get("reason") != electronic_prevails_reason),
        "pending": states.count(PENDING) + states.count(SECOND), "mismatched": states.count(MISMATCH),
        "proxies": sum(1 for r in records if r.get("kind") == PROXY and r["state"] == APPROVED),
    }
    figures["unreturned"] = max(issued - returned, 0) if issued is not None else None
    figures["problems"] = reconciliation_problems(figures)
    return figures


def reconciliation_problems(figures):
    """What the figures say is not right yet, in words ([] when all is accounted for)."""
    found = []
    if figures["returned"] is not None and figures["entered"] > figures["returned"]:
        found.append(_("More paper ballots entered (${entered}) than returned (${returned}).",
                       mapping={"entered": figures["entered"], "returned": figures["returned"]}))
    if figures["returned"] is not None and figures["entered"] < figures["returned"]:
        found.append(_("${count} returned ballots are not entered yet.",
                       mapping={"count": figures["returned"] - figures["entered"]}))
    if figures["mismatched"]:
        found.append(_("${count} ballots were entered twice with different marks and wait for a decision.",
                       mapping={"count": figures["mismatched"]}))
    if figures["pending"]:
        found.append(_("${count} ballots wait for their check.", mapping={"count": figures["pending"]}))
    return found
