import webtest
"""portal-tick and the server's scheduler: due ballots found by the timer index, each caught up in
its own transaction (retried on conflicts); portal-reindex and the evolve step rebuild the
catalog to the same answers."""
import datetime

import transaction

from portal import clock, evolve, main
from portal.ballots import lifecycle, services as ballots
from portal.ballots.rules import local_date
from portal.bootstrap import ROOT_KEY
from portal.catalog import query, timers
from portal.catalog.due import run_due
from portal.catalog.rebuild import rebuild
from portal.scheduler import Scheduler
from portal.scripts import reindex as reindex_script, tick as tick_script
from tests.catalog_helpers import differences, query_differences
from tests.conftest import build_demo, current, ini_file, make_settings

MINGYUAN = ("tianhe", "shipai", "mingyuan")


def published_ballots(portal, count, start_in=17):
    """``count`` ballots whose notice is published, all opening on the same day."""
    organizer = portal.accounts.by_login("organizer").uid
    street = portal.accounts.by_login("street").uid
    container = portal["tianhe"]["shipai"]["mingyuan"]["ballots"]
    start = local_date(clock.now()) + datetime.timedelta(days=start_in)
    made = []
    for n in range(count):
        ballot = ballots.create(container, {"title": f"定时{n}", "start_date": start,
                                            "end_date": start + datetime.timedelta(days=3),
                                            "matters": [{"title": "事项", "text": "全文", "category": 9}]},
                                organizer, clock.now())
        for step in ("submit", "approve", "publish_notice"):
            lifecycle.fire(ballot, step, street if step != "submit" else organizer, clock.now())
        made.append(ballot.__name__)
    return made, start


def tick_with(db, app, monkeypatch, catch_up, **options):
    """``run_due`` on a connection of its own, ballots caught up by ``catch_up``; its report."""
    table, _real = timers.TABLES["Ballot"]
    monkeypatch.setitem(timers.TABLES, "Ballot", (table, catch_up))
    conn = db.open(transaction.TransactionManager(explicit=True))
    try:
        return run_due(conn, app.registry.settings, **options)
    finally:
        conn.close()


def tick_transactions(db):
    return [t for t in db.storage.iterator() if t.description.startswith(b"portal-tick:")]


def test_the_tick_catches_due_ballots_up_a_batch_per_transaction(db, portal_in, app):
    clock.set_now(clock.now())
    with portal_in(commit=True) as portal:
        names, start = published_ballots(portal, 5)
        opens = portal["tianhe"]["shipai"]["mingyuan"]["ballots"][names[0]].window()[0]
    clock.set_now(opens)
    conn = db.open(transaction.TransactionManager(explicit=True))
    try:
        report = run_due(conn, app.registry.settings, batch=2)
    finally:
        conn.close()
    assert (report.due, report.moved, report.transitions, report.failed) == (6, 6, 6, 0)   # and the demo's b2
    assert len(tick_transactions(db)) == 3
    with portal_in() as portal:
        container = portal["tianhe"]["shipai"]["mingyuan"]["ballots"]
        assert {container[n].state for n in names + ["b2"]} == {"voting"}
        assert all(container[n].history[-1]["who"] == "clock" for n in names)
        assert query.paths(portal, due_before=opens) == []              # their next timer is the close
        closing = set(query.paths(portal, due_before=opens + datetime.timedelta(days=4)))
        assert closing == {f"/tianhe/shipai/mingyuan/ballots/{n}" for n in names}   # b2 closes later
        assert differences(portal) == []
    conn = db.open(transaction.TransactionManager(explicit=True))
    try:
        again = run_due(conn, app.registry.settings)
    finally:
        conn.close()
    assert (again.due, again.moved) == (0, 0)                         # idempotent


def test_a_conflict_costs_one_retry_of_one_ballot(db, portal_in, app, monkeypatch):
    clock.set_now(clock.now())
    with portal_in(commit=True) as portal:
        names, _start = published_ballots(portal, 2)
        opens = portal["tianhe"]["shipai"]["mingyuan"]["ballots"][names[0]].window()[0]
    clock.set_now(opens)
    real_catch_up = timers.TABLES["Ballot"][1]
    interfered = []

    def catch_up_meeting_a_vote(ballot, now):
        if ballot.__name__ == names[0] and not interfered:       # someone writes the same ballot meanwhile
            interfered.append(1)
            with portal_in(commit=True) as other:
                other["tianhe"]["shipai"]["mingyuan"]["ballots"][names[0]].description = "同时修改"
        return real_catch_up(ballot, now)

    report = tick_with(db, app, monkeypatch, catch_up_meeting_a_vote)
    assert interfered and report.failed == 0 and report.moved == 3
    with portal_in() as portal:
        ballot = portal["tianhe"]["shipai"]["mingyuan"]["ballots"][names[0]]
        assert ballot.state == "voting" and ballot.description == "同时修改"


def test_the_scheduler_step_runs_the_tick_on_its_own_connection(db, portal_in, app):
    with portal_in() as portal:
        opens = portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"].window()[0]
    clock.set_now(opens + datetime.timedelta(seconds=30))
    report = Scheduler(db, app.registry).step()["tick"]
    assert (report["due"], report["moved"]) == (1, 1)
    with portal_in() as portal:
        assert portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"].state == "voting"


def test_the_app_starts_the_scheduler_only_when_asked(tmp_path):
    plain = main({}, **make_settings(tmp_path))
    try:
        assert getattr(plain.registry, "scheduler", None) is None
    finally:
        plain.registry._zodb_databases[""].close()
    clock.set_now(datetime.datetime(2026, 1, 1, tzinfo=clock.UTC))
    app = main({}, **dict(make_settings(tmp_path), **{"portal.scheduler": "true"}))
    assert app.registry.scheduler is None              # a console script making the app starts none
    webtest.TestApp(app).get("/@health")                # the first request served starts it
    scheduler = app.registry.scheduler
    try:
        assert scheduler.thread.daemon and scheduler.thread.name == "portal-scheduler"
    finally:
        scheduler.stop()
        app.registry._zodb_databases[""].close()
    assert not scheduler.thread.is_alive()


def test_portal_tick_script_reports_what_it_fired(tmp_path, capsys):
    app = main({}, **make_settings(tmp_path))
    build_demo(app)
    db = app.registry._zodb_databases[""]
    conn = db.open()
    opens = conn.root()[ROOT_KEY]["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"].window()[0]
    conn.close()
    db.close()
    clock.set_now(opens)
    assert tick_script.main([str(ini_file(tmp_path))]) == 0
    assert "1 timed transitions fired (1 due, 1 moved, 0 left" in capsys.readouterr().out
    assert tick_script.main([str(ini_file(tmp_path))]) == 0
    assert "0 timed transitions fired (0 due, 0 moved" in capsys.readouterr().out


def answers(portal):
    return {(t, u): sorted(query.paths(portal, type_name=t, under=u))
            for t in ("Community", "Ballot", "District", "Street") for u in ("/", "/tianhe", "/haizhu")} | {
        "public": sorted(query.paths(portal, principals=["system.Everyone"])),
        "due": sorted(query.paths(portal, due_before=clock.now() + datetime.timedelta(days=400)))}


def test_portal_reindex_rebuilds_an_emptied_catalog(tmp_path, capsys):
    app = main({}, **make_settings(tmp_path))
    build_demo(app)
    db = app.registry._zodb_databases[""]
    with current(app.registry), db.transaction() as conn:
        portal = conn.root()[ROOT_KEY]
        before = answers(portal)
        portal.catalog.clear()
    with db.transaction() as conn:
        assert query.paths(conn.root()[ROOT_KEY], type_name="Community") == []
    db.close()
    assert reindex_script.main([str(ini_file(tmp_path)), "--every", "2"]) == 0
    assert "objects indexed" in capsys.readouterr().out
    app = main({}, **make_settings(tmp_path))
    db = app.registry._zodb_databases[""]
    try:
        with db.transaction() as conn:
            portal = conn.root()[ROOT_KEY]
            assert answers(portal) == before
            assert differences(portal) == [] and query_differences(portal) == []
    finally:
        db.close()


def test_the_evolve_step_catalogues_an_old_database(db, portal_in):
    with portal_in(commit=True) as portal:
        before = answers(portal)
        del portal.catalog
        del portal.evolved["0012-catalog"]
    assert evolve.run_pending(db) == ["0012-catalog"]
    with portal_in() as portal:
        assert answers(portal) == before and differences(portal) == []


def test_rebuild_commits_in_batches(portal_in):
    with portal_in() as portal:
        communities = len(query.paths(portal, type_name="Community"))
        calls = []
        count = rebuild(portal, lambda: calls.append(1), every=2)
        assert communities >= 4 and len(calls) == communities // 2
        assert count == len(query.paths(portal, under="/")) and differences(portal) == []
