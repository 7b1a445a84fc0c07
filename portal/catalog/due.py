"""Firing due timed transitions, found through the catalog's timer index (``portal-tick`` and
the server's scheduler thread).

``tick`` works inside the caller's transaction; ``run_due`` gives every due object its own
transaction, retried on conflicts, so that a vote or a page read that touches the same ballot
costs one retry of one ballot, never the whole city's run.  The due objects are shared out among
``portal.tick_workers`` threads (4 by default), each on a connection of its own: a commit mostly
waits for the storage (ZEO's round trips, the disk), so the workers' waits overlap.
"""
import datetime
import logging
import threading
import time
from dataclasses import dataclass

import transaction
from pyramid.threadlocal import get_current_registry, manager
from transaction.interfaces import TransientError

from portal import clock
from portal.catalog import query, timers
from portal.catalog.indexing import resolve
from portal.retry import backoff
from portal.settings import flag

log = logging.getLogger(__name__)

ROOT_KEY = "portal"
WORKERS = 4


@dataclass
class TickReport:
    due: int = 0            # objects found due
    moved: int = 0          # objects that moved on
    transitions: int = 0    # transitions fired
    failed: int = 0         # objects left for the next run (an error, or conflicts every attempt)
    seen: int = 0           # objects a worker tried


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


def tick_workers(settings):
    """How many threads share the due objects out (``portal.tick_workers``, at least 1)."""
    try:
        return max(1, int((settings or {}).get("portal.tick_workers", WORKERS)))
    except (TypeError, ValueError):
        return WORKERS


def run_due(conn, settings, attempts=10, workers=None):
    """One transaction per due object, retried on conflicts; a TickReport.  Finding them uses
    ``conn`` (through its transaction manager, which must be free of any transaction); with more
    than one worker, each opens a connection of its own on the same database."""
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
    workers = min(tick_workers(settings) if workers is None else workers, len(paths))
    if workers <= 1:
        _run_share(report, tm, conn, paths, now, attempts)
        return report
    registry = get_current_registry()     # the events of each worker reach the same subscribers
    shares = [TickReport() for _ in range(workers)]
    threads = [threading.Thread(target=_worker, name=f"portal-tick-{n}", daemon=True,
                                args=(registry, conn.db(), shares[n], paths[n::workers], now, attempts))
               for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for share in shares:
        report.moved += share.moved
        report.transitions += share.transitions
        report.failed += share.failed
    report.failed += report.due - sum(share.seen for share in shares)      # a worker that died
    return report


def _worker(registry, db, report, paths, now, attempts):
    manager.push({"registry": registry, "request": None})
    try:
        tm = transaction.TransactionManager(explicit=True)
        worker_conn = db.open(tm)
        try:
            _run_share(report, tm, worker_conn, paths, now, attempts)
        finally:
            worker_conn.close()
    finally:
        manager.pop()


def _run_share(report, tm, conn, paths, now, attempts):
    for path in paths:
        report.seen += 1
        try:
            fired = _catch_up_one(tm, conn, path, now, attempts)
        except Exception as error:      # one object's failure must not stop the others
            report.failed += 1
            log.warning("tick: %s left for the next run (%s)", path, type(error).__name__)
            continue
        if fired:
            report.moved += 1
            report.transitions += fired


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
