"""Firing due timed transitions, found through the catalog's timer index (``portal-tick`` and
the server's scheduler thread).

``tick`` works inside the caller's transaction; ``run_due`` gives every due object its own
transaction, retried on conflicts, so that a vote or a page read that touches the same ballot
costs one retry of one ballot, never the whole city's run.

(Sharing the due ballots out among threads on connections of their own was tried and measured:
with 4 workers over ZEO, 500 due ballots took 285 s instead of 92 s and 36 of them conflicted on
every attempt, since each transition writes the same catalog indexes and message-queue trees.)
"""
import datetime
import logging
import time
from dataclasses import dataclass

from transaction.interfaces import TransientError

from portal import clock
from portal.catalog import query, timers
from portal.catalog.indexing import resolve
from portal.retry import backoff
from portal.settings import flag

log = logging.getLogger(__name__)

ROOT_KEY = "portal"


@dataclass
class TickReport:
    due: int = 0            # objects found due
    moved: int = 0          # objects that moved on
    transitions: int = 0    # transitions fired
    failed: int = 0         # objects left for the next run (an error, or conflicts every attempt)


def due_paths(portal, now):
    """Paths of the objects whose next timer is due at ``now``, earliest first."""
    return query.paths(portal, due_before=now, sort="due")


def tick(portal, now):
    """Catch up every due object in the current transaction; the number of transitions fired."""
    moved = 0
    for path in due_paths(portal, now):
        obj = resolve(portal, path)
        if obj is not None:
            moved += len(timers.catch_up(obj, now))
    return moved


def portal_now(portal, settings):
    """"Now" for the clock: the portal's demo offset applies when portal.clock_override is on."""
    if flag(settings, "clock_override"):
        offset = getattr(portal, "clock_offset", None)
        clock.set_offset(datetime.timedelta(seconds=offset) if offset else None)
    return clock.now()


def run_due(conn, settings, attempts=5):
    """One transaction per due object on ``conn`` (through its transaction manager, which must
    be free of any transaction); a TickReport."""
    tm = conn.transaction_manager
    report = TickReport()
    tm.begin()
    try:
        portal = conn.root()[ROOT_KEY]
        now = portal_now(portal, settings)
        paths = due_paths(portal, now)
    finally:
        tm.abort()
    report.due = len(paths)
    for path in paths:
        try:
            fired = _catch_up_one(tm, conn, path, now, attempts)
        except Exception as error:      # one object's failure must not stop the others
            report.failed += 1
            log.warning("tick: %s left for the next run (%s)", path, type(error).__name__)
            continue
        if fired:
            report.moved += 1
            report.transitions += fired
    return report


def _catch_up_one(tm, conn, path, now, attempts):
    """Catch ``path`` up in a transaction of its own, run again (after a short, growing, random
    wait, as requests are) when it conflicts; the number of transitions fired."""
    for attempt in range(attempts):
        tm.begin()
        try:
            obj = resolve(conn.root()[ROOT_KEY], path)
            fired = len(timers.catch_up(obj, now)) if obj is not None else 0
            tm.get().note(f"portal-tick: {path} ({fired} transitions)")
            tm.commit()
            return fired
        except TransientError as error:
            tm.abort()
            if attempt == attempts - 1:
                raise
            log.debug("tick: %s conflicted (%s), again", path, getattr(error, "class_name", None) or error)
            time.sleep(backoff(attempt))
        except BaseException:
            tm.abort()
            raise
