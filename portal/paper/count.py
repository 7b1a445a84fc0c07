"""A ballot's paper count record (唱票、计票、监票记录), kept on ``ballot.paper_count`` (no Pyramid).

The organizer opens it: ballots issued and returned, whether every ballot is entered a second time,
and the counters and supervisors, picked from the register by their room (an owner of the
community; of a co-owned unit the first owner on its title).  Their names are personal data: kept
encrypted (``name_enc``, the register's encryption), read only for the count page and the filing
package; audit entries, logs, URLs, the vote record and error texts never carry them.
"""
import re

from portal.i18n import _
from portal.paper import rules
from portal.paper.service import ELECTRONIC_PREVAILS, flagged
from portal.paper.rules import COUNTER, SUPERVISOR
from portal.voting.tally import ELECTION, kind_of

ROWS = (("issued", _("Ballots issued")), ("returned", _("Ballots returned")), ("entered", _("Entered")),
        ("approved", _("Approved and counted")), ("rejected", _("Rejected")),
        ("void", _("Void (counted as taking part)")), ("superseded", _("Superseded by an electronic vote")),
        ("replaced", _("Replaced by a later vote")), ("pending", _("Waiting for their check")),
        ("mismatched", _("Two entries differ")), ("proxies", _("Written proxies counted")))
SEPARATORS = re.compile(r"[\s,，、;；]+")


class CountRefused(ValueError):
    def __init__(self, field, message):
        super().__init__(field)
        self.field = field
        self.message = message


def count_of(ballot):
    return ballot.paper_count


def candidate_names(ballot):
    return [c["name"] for m in ballot.matters if kind_of(m) == ELECTION for c in m["candidates"]]


def rooms(text):
    """The room titles typed in one field ('1栋101、2栋302' or one per line)."""
    return [part for part in SEPARATORS.split(text or "") if part]


def people_of(ballot, counters, supervisors, personal):
    """[(role, unit key, name)] for the rooms named, each the first owner on the unit's title;
    CountRefused for a room that is not in the community's register or has no owner."""
    register = ballot.community["register"]
    by_title = {unit.title: unit for unit in register.values()}
    found = []
    for role, field, text in ((COUNTER, "counters", counters), (SUPERVISOR, "supervisors", supervisors)):
        for room in rooms(text):
            unit = by_title.get(room)
            if unit is None or not unit.owners:
                raise CountRefused(field, _("${room} is not a unit with an owner in this community's register.",
                                            mapping={"room": room}))
            found.append((role, unit.__name__, personal.decrypt(unit.owners[0].name_enc)))
    return found


def save(ballot, issued, returned, second_entry, counters, supervisors, personal, who, now):
    """Open or update the count record; CountRefused (with the field) when a rule says no."""
    problem = rules.count_problem(issued, returned)
    if problem is not None:
        raise CountRefused("returned", problem)
    people = people_of(ballot, counters, supervisors, personal)
    problem = rules.people_problem([(role, unit, name) for role, unit, name in people], candidate_names(ballot))
    if problem is not None:
        raise CountRefused("counters", problem)
    before = count_of(ballot) or {}
    ballot.paper_count = {
        "issued": issued, "returned": returned, "second_entry": bool(second_entry),
        "people": tuple({"role": role, "unit": unit, "name_enc": personal.encrypt(name)} for role, unit, name in people),
        "opened_by": before.get("opened_by", who), "opened_at": before.get("opened_at", now), "updated_at": now}
    return ballot.paper_count


def names(ballot, personal):
    """{"counter": [names], "supervisor": [names]} of the count record (for the count page and the
    filing package only)."""
    found = {COUNTER: [], SUPERVISOR: []}
    for person in (count_of(ballot) or {}).get("people", ()):
        found[person["role"]].append(personal.decrypt(person["name_enc"]))
    return found


def rooms_of(ballot, role):
    """The room titles of the record's counters or supervisors (to fill the form again)."""
    register = ballot.community["register"]
    units = [register.get(p["unit"]) for p in (count_of(ballot) or {}).get("people", ()) if p["role"] == role]
    return "、".join(u.title for u in units if u is not None)


def reconciled(ballot):
    """The reconciliation of the paper count (``rules.reconciliation``), or None with no count
    record and no paper ballot."""
    count = count_of(ballot)
    entries = [r for r in (ballot.paper or {}).values()]
    if count is None and not entries:
        return None
    issued = count["issued"] if count else None
    returned = count["returned"] if count else None
    figures = rules.reconciliation(issued, returned, ballot.matters, entries, ELECTRONIC_PREVAILS)
    figures["rows"] = [(key, label, figures[key]) for key, label in ROWS]
    return figures


def add_to_results(event, ballot):
    """The results page lists the paper ballots not counted, by unit, with the reason, and the
    paper count's reconciliation."""
    register = ballot.community["register"]
    event.values["flagged"] = [(pid, r, register.get(r["unit"])) for pid, r in flagged(ballot)]
    event.values["reconciliation"] = reconciled(ballot)
