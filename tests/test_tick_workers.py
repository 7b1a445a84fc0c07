"""The tick's workers: the due ballots shared out among threads, each ballot still in its own
transaction with retry, and every worker's events reaching the application's subscribers (the
catalog, the message queue), as the scheduler thread's do."""
import threading

import transaction

from portal import clock
from portal.catalog import query
from portal.catalog.due import WORKERS, run_due, tick_workers
from portal.notify.models import store_of
from portal.scheduler import Scheduler
from tests.catalog_helpers import differences
from tests.test_catalog_tick import published_ballots, tick_transactions


def queued_messages(portal):
    return len(store_of(portal).messages)


def test_workers_share_the_due_ballots_each_in_its_own_transaction(db, portal_in, app):
    clock.set_now(clock.now())
    with portal_in(commit=True) as portal:
        names, _start = published_ballots(portal, 9)
        opens = portal["tianhe"]["shipai"]["mingyuan"]["ballots"][names[0]].window()[0]
        before = queued_messages(portal)
    clock.set_now(opens)
    seen = set()
    from portal.catalog import due as due_module

    real = due_module._catch_up_one

    def noted(tm, conn, path, now, attempts):
        seen.add(threading.current_thread().name)
        return real(tm, conn, path, now, attempts)

    due_module._catch_up_one = noted
    conn = db.open(transaction.TransactionManager(explicit=True))
    try:
        report = run_due(conn, {"portal.tick_workers": "3"})
    finally:
        conn.close()
        due_module._catch_up_one = real
    assert (report.due, report.moved, report.transitions, report.failed) == (10, 10, 10, 0)   # and the demo's b2
    assert seen == {"portal-tick-0", "portal-tick-1", "portal-tick-2"}
    assert len(tick_transactions(db)) == 10
    with portal_in() as portal:
        container = portal["tianhe"]["shipai"]["mingyuan"]["ballots"]
        assert {container[n].state for n in names + ["b2"]} == {"voting"}
        assert query.paths(portal, due_before=opens) == []       # the catalog heard every worker
        assert differences(portal) == []
        assert queued_messages(portal) > before                 # and so did the message queue


def test_the_scheduler_thread_reaches_the_subscribers(db, portal_in, app):
    """Run from a thread where no registry is current, as the server's scheduler thread is."""
    with portal_in() as portal:
        opens = portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"].window()[0]
        before = queued_messages(portal)
    clock.set_now(opens)
    reports = []
    thread = threading.Thread(target=lambda: reports.append(Scheduler(db, app.registry).step()))
    thread.start()
    thread.join()
    assert (reports[0]["tick"]["due"], reports[0]["tick"]["moved"]) == (1, 1)
    with portal_in() as portal:
        assert portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"].state == "voting"
        assert query.paths(portal, due_before=opens) == [] and differences(portal) == []
        assert queued_messages(portal) > before


def test_the_number_of_workers_is_a_setting():
    assert tick_workers({}) == WORKERS == 4
    assert tick_workers({"portal.tick_workers": "1"}) == 1
    assert tick_workers({"portal.tick_workers": "0"}) == 1
    assert tick_workers({"portal.tick_workers": "many"}) == WORKERS
