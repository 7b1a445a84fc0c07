"""Filing, answering and deciding objections (no Pyramid: views check permissions and audit)."""
from portal import uploads
from portal.i18n import _
from portal.objections import rules
from portal.events import notify
from portal.objections.models import ObjectionAnswered, Objections


class Refused(ValueError):
    def __init__(self, code, message):
        super().__init__(code)
        self.code = code
        self.message = message


def objections_of(ballot):
    return ballot.objections if ballot.objections is not None else Objections()


def published_at(ballot):
    """When the preliminary results now shown were published (the entry into the current state)."""
    return ballot.history[-1]["when"] if ballot.history else None


def file(ballot, uid, matter_id, text, attachment, now):
    problem = rules.filing_problem(published_at(ballot), ballot.objection_days, now)
    if problem is not None:
        raise Refused("period", problem)
    if matter_id is not None and matter_id not in {m["id"] for m in ballot.matters}:
        raise Refused("matter", _("This ballot has no matter ${id}.", mapping={"id": matter_id}))
    if attachment:
        message = uploads.problem(attachment, missing=None)
        if message is not None:
            raise Refused("attachment", message)
    if ballot.objections is None:
        ballot.objections = Objections()
    objection = ballot.objections.add(matter_id, text, uid, now)
    if attachment:
        objection.attachment = uploads.stored_file("attachment", attachment, now)
    return objection


def answer(ballot, number, text, role, now, decision=None, correction=""):
    """An answer (organizer or street office) or the street office's decision with its reasons."""
    objection = objections_of(ballot).get(number)
    if objection is None:
        raise Refused("unknown", _("There is no objection #${number} on this ballot.", mapping={"number": number}))
    if objection.status == rules.DECIDED:
        raise Refused("decided", _("Objection #${number} is decided already.", mapping={"number": number}))
    objection.answers = tuple(objection.answers) + ({"role": role, "text": text, "when": now},)
    if decision is not None:
        objection.decision = {"decision": decision, "reason": text, "correction": correction, "when": now}
        objection.status = rules.DECIDED
    else:
        objection.status = rules.ANSWERED
    notify(ObjectionAnswered(ballot, objection, now))      # the filer is told (portal.notify)
    return objection


def upheld(ballot):
    return [o for o in objections_of(ballot).values() if o.decision and o.decision["decision"] == rules.UPHELD]
