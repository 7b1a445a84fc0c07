"""What a vote may mark on each kind of matter (no Pyramid): one check for the page, the JSON API
and paper entry alike.

A question is marked agree, oppose or abstain; an election {candidate id: agree | oppose |
abstain}, unmarked candidates abstaining, with at most ``seats`` agrees; a choice one option id or
abstain.  ``check`` returns the mark as it is recorded, or raises MarkRefused with a message.  An
electronic election vote with more agrees than seats is refused; a paper one is recorded as void
(DOMAIN.md: it takes part and agrees to nobody).
"""
from portal.i18n import _
from portal.voting.tally import ABSTAIN, AGREE, CHOICE, CHOICES, ELECTION, VOID, kind_of


class MarkRefused(ValueError):
    def __init__(self, matter_id, message):
        super().__init__(matter_id)
        self.matter_id = matter_id
        self.message = message


def too_many_agrees(matter, marks):
    return sum(1 for mark in marks.values() if mark == AGREE) > matter["seats"]


def check(matter, mark, paper=False):
    """The recorded form of ``mark`` on ``matter``; MarkRefused says what is wrong."""
    kind, mid = kind_of(matter), matter["id"]
    if kind == ELECTION:
        if not isinstance(mark, dict):
            raise MarkRefused(mid, _("Mark each candidate agree, oppose or abstain."))
        known = {c["id"] for c in matter["candidates"]}
        unknown = sorted(set(map(str, mark)) - known)
        if unknown:
            raise MarkRefused(mid, _("There is no candidate ${id} in this election.", mapping={"id": unknown[0]}))
        if any(value not in CHOICES for value in mark.values()):
            raise MarkRefused(mid, _("Mark each candidate agree, oppose or abstain."))
        if too_many_agrees(matter, mark):
            if paper:
                return VOID
            raise MarkRefused(mid, _("You may agree to at most ${seats} candidates; you agreed to ${count}.",
                                     mapping={"seats": matter["seats"],
                                              "count": sum(1 for v in mark.values() if v == AGREE)}))
        return {c["id"]: mark.get(c["id"], ABSTAIN) for c in matter["candidates"]}
    if kind == CHOICE:
        options = [o["id"] for o in matter["options"]]
        if not isinstance(mark, str) or mark not in options + [ABSTAIN]:
            raise MarkRefused(mid, _("Choose one of the options, or abstain."))
        return mark
    if not isinstance(mark, str) or mark not in CHOICES:
        raise MarkRefused(mid, _("Choose agree, oppose or abstain."))
    return mark


def check_all(matters, marks, paper=False):
    """{matter id: recorded mark} for a whole vote: every matter answered, no unknown matter."""
    if not isinstance(marks, dict):
        raise MarkRefused(None, _("Choose agree, oppose or abstain on every matter."))
    ids = [m["id"] for m in matters]
    unknown = sorted(set(map(str, marks)) - set(ids))
    if unknown:
        raise MarkRefused(unknown[0], _("This ballot has no matter ${id}.", mapping={"id": unknown[0]}))
    recorded = {}
    for matter in matters:
        if matter["id"] not in marks:
            if kind_of(matter) == ELECTION:         # an election left blank abstains on everyone
                recorded[matter["id"]] = check(matter, {}, paper)
                continue
            raise MarkRefused(matter["id"], _("Choose agree, oppose or abstain on every matter."))
        recorded[matter["id"]] = check(matter, marks[matter["id"]], paper)
    return recorded
