"""When each room-number list may be seen (plain rules, dates in Asia/Shanghai).

- ``unbound``: rooms whose owners have not bound an account, from the notice until the end of
  the first voting day ("on or before the day voting starts", and not after);
- ``unvoted``: rooms that have not voted, from 00:00 of the third day before the deadline (the
  deadline being 00:00 after the last voting day, the last day is the first day before it) until
  voting closes.
"""
import datetime

from portal.ballots.rules import midnight
from portal.clock import local
from portal.i18n import _

UNBOUND, UNVOTED = "unbound", "unvoted"
LISTS = (UNBOUND, UNVOTED)
TITLES = {UNBOUND: _("Rooms whose owners have not bound an account"),
          UNVOTED: _("Rooms that have not voted")}


def window(kind, ballot):
    """(from, until) instants between which the list may be seen."""
    opens, closes = ballot.window()
    if kind == UNBOUND:
        return ballot.published, midnight(ballot.start_date + datetime.timedelta(days=1))
    return midnight(ballot.end_date - datetime.timedelta(days=2)), closes


def refusal(kind, ballot, now):
    """None if the list may be seen at ``now``, else a message saying when it can."""
    if kind not in LISTS:
        return _("Ask for the list of unbound or of unvoted rooms.")
    if ballot.published is None:
        return _("Room lists exist only once the notice is published.")
    start, until = window(kind, ballot)
    if now < start:
        return _("This list becomes available on ${when}.", mapping={"when": shown(start)})
    if now >= until:
        return _("This list was available until ${when}.", mapping={"when": shown(until)})
    return None


def shown(instant):
    return local(instant).strftime("%Y-%m-%d %H:%M")
