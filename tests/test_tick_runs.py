"""How the tick runs: from the server's scheduler thread its events reach the application's
subscribers (the catalog, the message queue); a ballot that conflicts on every attempt, or fails, is
left for the next run without harming the ballots of its batch or after it."""
import threading

from ZODB.POSException import ConflictError

from portal import clock
from portal.catalog import query, timers
from portal.notify.queue import queued
from portal.scheduler import Scheduler
from tests.catalog_helpers import differences
from tests.test_catalog_tick import published_ballots, tick_transactions, tick_with


def queued_messages(portal):
    return len(list(queued(portal)))


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


def test_a_ballot_conflicting_every_time_is_left_and_the_others_move(db, portal_in, app, monkeypatch):
    clock.set_now(clock.now())
    with portal_in(commit=True) as portal:
        names, _start = published_ballots(portal, 3)
        opens = portal["tianhe"]["shipai"]["mingyuan"]["ballots"][names[0]].window()[0]
    clock.set_now(opens)
    real = timers.TABLES["Ballot"][1]
    tries = []

    def always_conflicting(ballot, now):
        if ballot.__name__ == names[0]:
            tries.append(1)
            raise ConflictError("always")
        return real(ballot, now)

    report = tick_with(db, app, monkeypatch, always_conflicting, attempts=3)
    assert len(tries) == 2 + 3              # with its batch twice, then alone three times, then left
    assert (report.due, report.moved, report.failed) == (4, 3, 1)    # with the demo's b2
    with portal_in() as portal:
        container = portal["tianhe"]["shipai"]["mingyuan"]["ballots"]
        assert container[names[0]].state == "notice"
        assert {container[n].state for n in names[1:] + ["b2"]} == {"voting"}
        assert query.paths(portal, due_before=opens) == [f"/tianhe/shipai/mingyuan/ballots/{names[0]}"]


def test_a_ballot_that_fails_is_left_and_the_rest_of_its_batch_moves(db, portal_in, app, monkeypatch):
    """A ballot whose catch-up raises (not a conflict) undoes its batch's transaction; the batch
    is then done one ballot at a time, so only that ballot stays, and nothing is queued twice."""
    clock.set_now(clock.now())
    with portal_in(commit=True) as portal:
        names, _start = published_ballots(portal, 3)
        opens = portal["tianhe"]["shipai"]["mingyuan"]["ballots"][names[1]].window()[0]
        before = queued_messages(portal)
    clock.set_now(opens)
    real = timers.TABLES["Ballot"][1]

    def failing(ballot, now):
        if ballot.__name__ == names[1]:
            raise ValueError("a broken ballot")
        return real(ballot, now)

    report = tick_with(db, app, monkeypatch, failing)
    assert (report.due, report.moved, report.failed) == (4, 3, 1)
    assert len(tick_transactions(db)) == 3                          # the batch undone, then each alone
    with portal_in() as portal:
        container = portal["tianhe"]["shipai"]["mingyuan"]["ballots"]
        assert container[names[1]].state == "notice"
        assert {container[n].state for n in (names[0], names[2], "b2")} == {"voting"}
        messages = [m for _id, m in queued(portal)]
        paths = {f"/tianhe/shipai/mingyuan/ballots/{n}" for n in (names[0], names[2], "b2")}
        voting = [m for m in messages if m.path in paths and m.event == "voting"]
        groups = {(m.path, m.group) for m in voting}
        assert len(voting) == len(groups) > 0                       # once each, none for the failed one
        assert not [m for m in messages if m.path.endswith(names[1]) and m.event == "voting"]
        assert queued_messages(portal) > before
