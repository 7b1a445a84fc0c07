"""Street staff confirm each election candidate's eligibility before the notice (no Pyramid).

Only owners of the community may stand (DOMAIN.md "Kinds of matter"); the street office checks
each candidate while the ballot is under review and records the check (eligible or not, a note,
who, when).  Publishing the notice is refused until every candidate is confirmed eligible.
"""
from portal.i18n import _
from portal.voting.tally import ELECTION, kind_of


class CheckRefused(ValueError):
    def __init__(self, field, message):
        super().__init__(field)
        self.field = field
        self.message = message


def candidates(ballot):
    """[(matter, candidate)] of every election on the ballot, in order."""
    return [(m, c) for m in ballot.matters if kind_of(m) == ELECTION for c in m["candidates"]]


def check_key(matter_id, candidate_id):
    return f"{matter_id}:{candidate_id}"


def check_of(ballot, matter_id, candidate_id):
    return ballot.candidate_checks.get(check_key(matter_id, candidate_id))


def record(ballot, matter_id, candidate_id, eligible, note, who, now):
    """Record the street office's check of one candidate; the check as recorded."""
    if ballot.phase() != "review":
        raise CheckRefused(None, _("Candidates are checked while the ballot is under review."))
    found = [(m, c) for m, c in candidates(ballot) if m["id"] == matter_id and c["id"] == candidate_id]
    if not found:
        raise CheckRefused("candidate", _("This ballot has no candidate ${candidate} in matter ${matter}.",
                                          mapping={"candidate": candidate_id, "matter": matter_id}))
    check = {"eligible": bool(eligible), "note": note, "who": who, "when": now}
    ballot.candidate_checks = dict(ballot.candidate_checks, **{check_key(matter_id, candidate_id): check})
    return check


def unconfirmed(ballot):
    """Names of the candidates not (yet) confirmed eligible."""
    return [c["name"] for m, c in candidates(ballot)
            if not (check_of(ballot, m["id"], c["id"]) or {}).get("eligible")]


def confirmation_problem(ballot):
    """The guard of publishing: None when every candidate is confirmed eligible."""
    names = unconfirmed(ballot)
    if names:
        return _("The street office has not confirmed these candidates as eligible: ${names}.",
                 mapping={"names": "、".join(names)})
    return None
