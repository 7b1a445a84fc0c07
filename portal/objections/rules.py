"""When objections may be filed and when final results may follow (no Pyramid).

Publishing the preliminary results opens the objection period: ``days`` full days after the
publication day (default 7; ``ballots.rules.objection_ends``).  An objection is filed during it,
up to 23:59:59 of its last day; answers and decisions are accepted until the final disclosure,
after the period too.  The final results wait for a decision on every objection.
"""

from portal.ballots.rules import objection_ends, objection_last_day
from portal.i18n import _

UPHELD, NOT_UPHELD = "upheld", "not_upheld"
DECISIONS = (UPHELD, NOT_UPHELD)
FILED, ANSWERED, DECIDED = "filed", "answered", "decided"


def filing_problem(preliminary_published, days, now):
    """None while an objection may be filed, else why not."""
    if preliminary_published is None:
        return _("Objections are filed once the preliminary results are published.")
    if now >= objection_ends(preliminary_published, days):
        last = objection_last_day(preliminary_published, days)
        return _("The objection period ended on ${day} at 24:00.", mapping={"day": last.isoformat()})
    return None


def undecided_problem(objections):
    """The guard of the final disclosure: None once every objection has the street office's decision."""
    waiting = [o.number for o in objections if o.status != DECIDED]
    if waiting:
        return _("Objections ${numbers} are not decided yet: the final results wait for them.",
                 mapping={"numbers": "、".join(f"#{n}" for n in waiting)})
    return None
