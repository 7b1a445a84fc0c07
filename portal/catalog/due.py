"""Firing due timed transitions, found through the catalog's timer index (``portal-tick`` and
the server's scheduler thread).

``tick`` works inside the caller's transaction; ``run_due`` catches the due objects up a few at
a time (``BATCH``), each batch one transaction retried on conflicts.  A batch that conflicts on
every attempt, or in which one object fails, is done again one object per transaction, so a vote
or a page read that touches the same ballot costs the retry of a few ballots, and one broken
ballot stops nothing but itself, never the whole city's run.  (One transaction per object was
measured: the transitions of a city write the same few trees -- the message queue, the catalog's
indexes -- and each commit rewrote their inner nodes again; over ZEO, 1,000 due ballots took
37.5 s one per transaction.  For the same reason a batch of 100 beat one of 25: the ballots of a
batch lie far apart in those trees, and the more of them one commit holds, the more often two
share a bucket written once.  Measured over ZEO while 8 clients voted, 1,000 due ballots: 25 a
batch 10.5-14.1 s for the portal-tick process, 100 a batch 8.5-10.0 s, no vote refused.  A batch
that conflicts costs the retry of 100 ballots, then each alone: seconds, once.)

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
from portal.catalog import prefetch, query, timers
from portal.catalog.indexing import resolve
from portal.retry import backoff
from portal.settings import flag

log = logging.getLogger(__name__)

ROOT_KEY = "portal"
BATCH = 100             # due objects caught up in one transaction (see below)


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


def run_due(conn, settings, attempts=5, batch=BATCH):
    """The due objects caught up on ``conn``, ``batch`` per transaction (through its transaction
    manager, which must be free of any transaction); a TickReport."""
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
    for start in range(0, len(paths), batch):
        chunk = paths[start:start + batch]
        fired = _batch_or_none(tm, conn, chunk, now) if len(chunk) > 1 else None
        if fired is None:
            fired = _each_alone(tm, conn, chunk, now, attempts, report)
        for count in fired:
            if count:
                report.moved += 1
                report.transitions += count
    return report


def _batch_or_none(tm, conn, paths, now, attempts=2):
    """``_catch_up`` of a whole batch, or None when it conflicted every time or one of its objects
    failed (nothing of it is then committed, and each object is done alone)."""
    try:
        return _catch_up(tm, conn, paths, now, attempts)
    except Exception as error:
        log.debug("tick: a batch left for one object at a time (%s)", type(error).__name__)
        return None


def _each_alone(tm, conn, paths, now, attempts, report):
    fired = []
    for path in paths:
        try:
            fired.extend(_catch_up(tm, conn, [path], now, attempts))
        except Exception as error:      # one object's failure must not stop the others
            report.failed += 1
            fired.append(0)
            log.warning("tick: %s left for the next run (%s)", path, type(error).__name__)
    return fired


def _catch_up(tm, conn, paths, now, attempts):
    """Catch ``paths`` up in one transaction, run again (after a short, growing, random wait, as
    requests are) when it conflicts; the transitions each fired.  Raises what the last attempt
    met."""
    for attempt in range(attempts):
        tm.begin()
        try:
            found = prefetch.resolve_many(conn.root()[ROOT_KEY], paths)
            prefetch.ask(conn, (part for obj in found.values() if obj is not None for part in timers.parts_read(obj)))
            fired = [len(timers.catch_up(found[path], now)) if found[path] is not None else 0 for path in paths]
            tm.get().note(f"portal-tick: {paths[0] if len(paths) == 1 else f'{len(paths)} objects'} "
                          f"({sum(fired)} transitions)")
            tm.commit()
            return fired
        except TransientError as error:
            tm.abort()
            if attempt == attempts - 1:
                raise
            log.debug("tick: conflicted (%s), again", getattr(error, "class_name", None) or type(error).__name__)
            time.sleep(backoff(attempt))
        except BaseException:
            tm.abort()
            raise
