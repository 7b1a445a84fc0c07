"""How often an owner may change a vote (no Pyramid, no ZODB).

Where a ballot lets owners change their vote, the last vote counts and every earlier one is kept
(DOMAIN.md); so that one owner cannot fill the records, changes are limited per owner group.
"""
import datetime

from portal.i18n import _

MAX_CHANGES_PER_HOUR = 5
CHANGE_WINDOW = datetime.timedelta(hours=1)


def change_problem(change_times, now, limit=MAX_CHANGES_PER_HOUR, window=CHANGE_WINDOW):
    """None if one more change may be made at ``now``, given the times of earlier changes.

    A change is refused when ``limit`` changes were already made in the ``window`` before ``now``
    (a change exactly ``window`` ago no longer counts)."""
    recent = sum(1 for when in change_times if now - when < window)
    if recent >= limit:
        return _("You have changed this vote ${count} times in the last hour; please wait before "
                 "changing it again.", mapping={"count": recent})
    return None
