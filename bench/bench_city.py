"""``make bench`` (scale part): a synthetic city, then what a city-sized database costs.

Builds CITY_COMMUNITIES communities of CITY_UNITS units in a FileStorage (a tenth of Guangzhou's
3,000 by default, so that make bench stays short; portal-generate-city builds the full size),
then measures: build time and Data.fs bytes per unit; opening the database and serving the
first page in a fresh process; that process's peak memory; a community page, a progress read
and a tally on a 10,000-unit community in voting; the lists read from the catalog (the city's
``/@notices``, a street's, the city statistics); ``portal-tick`` over TICK_BALLOTS due ballots
(1,000, or one per community of a smaller city) over ZEO while owners vote through an
application process; re-encrypting the whole city under a new ID key.  Written to
bench-results/city.txt.
"""
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time

from bench.benchkit import write_results

CITY_COMMUNITIES = int(os.environ.get("CITY_COMMUNITIES", 300))
CITY_UNITS = int(os.environ.get("CITY_UNITS", 1000))
# one due ballot per synthetic community but the one the probe reads: 1,000 needs CITY_COMMUNITIES > 1000
TICK_BALLOTS = int(os.environ.get("TICK_BALLOTS", min(1000, CITY_COMMUNITIES - 1)))
VOTERS = 1500

PROBE = r'''
import json, resource, sys, time, datetime
t0 = time.perf_counter()
from portal import main, clock
app = main({}, **json.loads(sys.argv[1]))
import webtest
client = webtest.TestApp(app, extra_environ={"HTTP_HOST": "localhost"})
client.get("/")
first = time.perf_counter() - t0
def timed(path, n=20, **kw):
    client.get(path, **kw)
    t = time.perf_counter()
    for _ in range(n):
        client.get(path, **kw)
    return (time.perf_counter() - t) / n
page = timed("/yuexiu/gen-s0/gen-c0/")
big = "/tianhe/shipai/qiaoyuan/ballots/b1"
client = webtest.TestApp(app, extra_environ={"HTTP_HOST": "localhost"})   # an API client: no cookies
token = client.post_json("/@login", {"login": "owner-big", "password": "bench-pass"},
                         headers={"Accept": "application/json"}).json["token"]
headers = {"Accept": "application/json", "Authorization": "Bearer " + token}
progress = timed(big + "/@progress", headers=headers)
from portal.voting import service
db = app.registry._zodb_databases[""]
conn = db.open()
ballot = conn.root()["portal"]["tianhe"]["shipai"]["qiaoyuan"]["ballots"]["b1"]
t = time.perf_counter(); service.results(ballot); tally = time.perf_counter() - t
t = time.perf_counter(); service.results(ballot); tally_warm = time.perf_counter() - t
anon = webtest.TestApp(app, extra_environ={"HTTP_HOST": "localhost"})
def listed(path, n=20, **kw):
    anon.get(path, **kw)
    t = time.perf_counter()
    for _ in range(n):
        res = anon.get(path, **kw)
    return (time.perf_counter() - t) / n, res
json_headers = {"Accept": "application/json"}
notices, res = listed("/@notices", headers=json_headers)
notices_total, notices_batch = res.json["items_total"], len(res.json["items"])
notices_page, _ = listed("/@notices")
street_notices, _ = listed("/yuexiu/gen-s0/@notices", headers=json_headers)
stats, res = listed("/@statistics", headers=json_headers)
stats_communities = res.json["communities"]
stats_page, _ = listed("/@statistics")
print(json.dumps({"notices": notices, "notices_total": notices_total, "notices_batch": notices_batch, "notices_page": notices_page,
                  "street_notices": street_notices, "stats": stats, "stats_page": stats_page,
                  "stats_communities": stats_communities, "first_page": first, "page": page, "progress": progress, "tally": tally,
                  "tally_warm": tally_warm,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
'''


def build(folder):
    from portal import main as make_app
    from pyramid.threadlocal import manager

    from portal.security.accounts import use_cheap_hashing

    use_cheap_hashing()                     # the voters' passwords are never used: tokens are
    settings = settings_for(folder)
    app = make_app({}, **settings)
    manager.push({"registry": app.registry, "request": None})   # the tree's events reach the app's subscribers
    try:
        return _build(app)
    finally:
        manager.pop()


def _build(app):
    import transaction

    from portal import clock, demo
    from portal.ballots import lifecycle, services as ballots
    from portal.binding import service as binding
    from portal.bootstrap import ROOT_KEY
    from portal.register import importer, services
    from portal.register.generator import as_csv, community_rows
    from portal.scripts.generate_city import generate
    from portal.security.accounts import OWNER, Account

    db = app.registry._zodb_databases[""]
    personal = app.registry.personal_data
    conn = db.open()
    transaction.begin()
    portal = conn.root()[ROOT_KEY]
    demo.build(portal)
    transaction.commit()
    started = time.perf_counter()
    units = generate(portal, personal, CITY_COMMUNITIES, CITY_UNITS)
    build_seconds = time.perf_counter() - started
    # a 10,000-unit community voting, 70 % of its owners having voted
    now = clock.now()
    community = portal["tianhe"]["shipai"]["qiaoyuan"]
    prepared = importer.prepare("big.csv", as_csv(community_rows(10_000, seed=99)), personal, now.date())
    importer.apply(community["register"], prepared.units)
    services.refresh(community["register"], now)
    register = community["register"]
    account = portal.accounts.add(Account("owner-big", "v", "bench-pass", kind=OWNER))
    first_hash = next(iter(register.identity_index.keys()))
    binding.bind(community, account, first_hash, "bench", now)
    ballot = ballots.create(community["ballots"], {
        "title": "big", "start_date": now.date(), "end_date": now.date() + datetime.timedelta(days=5),
        "matters": [{"title": t, "text": t, "category": c} for t, c in (("a", 1), ("b", 4), ("c", 6))]}, "", now)
    ballot.state = "voting"
    lifecycle.freeze_electorate(ballot, now)
    from portal.voting.box import choices_text, stamp
    from portal.voting.service import box_of

    box = box_of(ballot)
    record = (choices_text({"m1": "agree", "m2": "oppose", "m3": "abstain"}), stamp(now), "", "", "electronic", 0)
    for n, key in enumerate(list(box.areas.keys())):
        if n % 10 < 7:
            box.votes[key] = record
            box.counter.add(1, box.areas[key])
    transaction.commit()
    ticked_before(portal, now)
    due_ballots(portal, TICK_BALLOTS)
    tokens = voting_ballot(portal, community, app.registry.portal_tokens, now)
    transaction.commit()
    conn.close()
    db.close()
    return units, build_seconds, tokens


def ticked_before(portal, now):
    """The city as portal-tick leaves it every minute: this month's coverage point recorded and the
    registers looked through within the hour, so that the run measured does what a minute's run
    does (due ballots, the queue), not the hourly and monthly work a fresh database owes."""
    import transaction

    from portal.desks import series

    series.record(portal, now)
    portal.registers_swept = now
    transaction.commit()


def due_ballots(portal, count):
    """``count`` ballots across the synthetic communities whose notice was published 18 days ago,
    so that voting opens now: what portal-tick then moves (one per community, committed by 100;
    not in gen-c0, whose page the probe reads, which brings its ballots up to date)."""
    import transaction

    from portal import clock
    from portal.ballots import lifecycle, services as ballots
    from portal.ballots.rules import local_date
    from portal.catalog import query

    communities = query.communities_under(portal, "/")
    communities = [c for c in communities if c.__name__.startswith("gen-c") and c.__name__ != "gen-c0"][:count]
    real = clock.now()
    clock.set_now(real - datetime.timedelta(days=18))
    try:
        start = local_date(clock.now()) + datetime.timedelta(days=17)
        for n, community in enumerate(communities, start=1):
            ballot = ballots.create(community["ballots"], {
                "title": f"合成表决{n}", "start_date": start, "end_date": start + datetime.timedelta(days=7),
                "matters": [{"title": "事项", "text": "全文", "category": 9}]}, "", clock.now())
            for step in ("submit", "approve", "publish_notice"):
                lifecycle.fire(ballot, step, "", clock.now())
            if n % 100 == 0:
                transaction.commit()
                portal._p_jar.cacheMinimize()
    finally:
        clock.set_now(None)
    transaction.commit()
    if len(communities) < count:
        raise SystemExit(f"only {len(communities)} communities for {count} due ballots")


def voting_ballot(portal, community, tokens, now):
    """A second ballot of the 10,000-unit community in voting, and VOTERS owners bound to vote on
    it while the tick runs; their bearer tokens."""
    from portal.ballots import lifecycle, services as ballots
    from portal.voting.service import box_of
    from tests.support.loopback import bind_voters

    issued = bind_voters(portal, community, VOTERS, tokens, now)
    ballot = ballots.create(community["ballots"], {
        "title": "during the tick", "start_date": now.date(), "end_date": now.date() + datetime.timedelta(days=5),
        "matters": [{"title": "a", "text": "a", "category": 1}]}, "", now)
    ballot.state = "voting"
    lifecycle.freeze_electorate(ballot, now)
    box_of(ballot)
    return issued


def fsync_ms(folder, count=50):
    """What one durable commit costs this disk at least: a 4 kB write and fsync, in ms."""
    path = os.path.join(folder, "fsync.probe")
    with open(path, "wb") as out:
        started = time.perf_counter()
        for _ in range(count):
            out.write(b"x" * 4096)
            out.flush()
            os.fsync(out.fileno())
        seconds = time.perf_counter() - started
    os.remove(path)
    return seconds / count * 1e3


def tick_while_voting(folder, tokens):
    """portal-tick (its own process, over ZEO) while 8 clients vote through an application process
    on the same ZEO server: (the tick's summary line, its seconds, votes sent, votes refused)."""
    import threading
    from pathlib import Path

    from tests.support import loopback

    zeo_port, port = loopback.free_port(), loopback.free_port()
    conf = Path(folder) / "zeo.conf"
    conf.write_text(f"<zeo>\n  address 127.0.0.1:{zeo_port}\n</zeo>\n<filestorage>\n"
                    f"  path {folder}/Data.fs\n  blob-dir {folder}/blobs\n</filestorage>\n")
    uri = f"zeo://127.0.0.1:{zeo_port}?blob_dir={folder}/zeo-cache-%s&shared_blob_dir=false"
    zeo = loopback.start_zeo(conf)
    processes = [zeo]
    try:
        server = loopback.start(loopback.write_ini(folder, uri % "app", port, "bench", "bench-id"))
        processes.append(server)
        loopback.wait_for(port)
        tick_ini = loopback.write_ini(folder, uri % "tick", loopback.free_port(), "bench", "bench-id")
        path = "/tianhe/shipai/qiaoyuan/ballots/b2/@vote"
        statuses, left, done, lock = [], list(tokens), threading.Event(), threading.Lock()

        def voter():
            while not done.is_set():
                with lock:
                    if not left:
                        return
                    token = left.pop()
                status, _seconds, _body = loopback.call(port, "POST", path, {"votes": {"m1": "agree"}}, {
                    "Content-Type": "application/json", "Accept": "application/json",
                    "Authorization": "Bearer " + token})
                with lock:
                    statuses.append(status)

        clients = [threading.Thread(target=voter) for _ in range(8)]
        for client in clients:
            client.start()
        started = time.perf_counter()
        ticked = subprocess.run([os.path.join(os.path.dirname(sys.executable), "portal-tick"), str(tick_ini)],
                                capture_output=True, text=True, env=loopback.environment())
        seconds = time.perf_counter() - started
        during = len(statuses)
        done.set()
        for client in clients:
            client.join()
        if ticked.returncode != 0:
            raise SystemExit(ticked.stdout[-2000:] + ticked.stderr[-2000:])
        said = ticked.stdout.strip().splitlines()
        summary = "; ".join([line for line in said if "timed transitions fired" in line] +
                            [line for line in said if "timed transitions fired" not in line])
        return (summary or said[-1], seconds, during,
                sum(1 for s in statuses if s != 200), len(statuses))
    finally:
        loopback.stop(processes)


def settings_for(folder):
    return {"zodbconn.uri": f"file://{folder}/Data.fs?blobstorage_dir={folder}/blobs&connection_cache_size=20000",
            "retry.attempts": "10", "tm.manager_hook": "pyramid_tm.explicit_manager",
            "portal.secret": "bench", "portal.id_key": "bench-id"}


def rotation(folder):
    """(values re-encrypted, seconds) of portal-rotate-id-key's work on the whole city."""
    from portal import main as make_app
    from portal.scripts.rotate_id_key import rotate

    app = make_app({}, **dict(settings_for(folder), **{
        "portal.id_key": "bench-id-2", "portal.id_key_retired": "bench-id", "portal.id_lookup_key": "bench-id"}))
    db = app.registry._zodb_databases[""]
    try:
        started = time.perf_counter()
        values, left = rotate(db, app.registry.personal_data, report=lambda line: None)
        seconds = time.perf_counter() - started
    finally:
        db.close()
    if left:
        raise SystemExit(f"rotation left {left} values under the retired key")
    return values, seconds


def main():
    with tempfile.TemporaryDirectory() as folder:
        units, seconds, tokens = build(folder)
        size = os.path.getsize(os.path.join(folder, "Data.fs"))
        probe = subprocess.run([sys.executable, "-c", PROBE, json.dumps(settings_for(folder))],
                               capture_output=True, text=True, env=dict(os.environ, PYTHONWARNINGS="ignore"))
        if probe.returncode != 0:
            raise SystemExit(probe.stderr[-2000:])
        figures = json.loads(probe.stdout.strip().splitlines()[-1])
        tick_line, tick_seconds, votes_during, refused, votes = tick_while_voting(folder, tokens)
        fsync = fsync_ms(folder)
        rotated, rotate_seconds = rotation(folder)
    lines = [
        f"build: {units} units in {seconds:.0f} s ({seconds / max(units, 1) * 1e3:.2f} ms per unit)",
        f"Data.fs: {size / 1e6:.0f} MB, {size / max(units, 1):.0f} bytes per unit"
        f" (a 3,000,000-unit city: about {size / max(units, 1) * 3e6 / 1e9:.1f} GB)",
        f"fresh process: open the database and serve the first page in {figures['first_page']:.2f} s",
        f"community page: {figures['page'] * 1e3:.1f} ms; progress read of a 10,000-unit ballot: "
        f"{figures['progress'] * 1e3:.1f} ms",
        f"tally of 3 matters, 10,000-unit community, 70% voted: {figures['tally'] * 1e3:.0f} ms cold, "
        f"{figures['tally_warm'] * 1e3:.0f} ms warm",
        f"catalog lists (anonymous, warm): city /@notices {figures['notices'] * 1e3:.1f} ms JSON, "
        f"{figures['notices_page'] * 1e3:.1f} ms page (the newest {figures['notices_batch']} of "
        f"{figures['notices_total']} notices); "
        f"a street's /@notices {figures['street_notices'] * 1e3:.1f} ms; city /@statistics "
        f"{figures['stats'] * 1e3:.1f} ms JSON, {figures['stats_page'] * 1e3:.1f} ms page "
        f"({figures['stats_communities']} communities)",
        f"portal-tick over ZEO, {TICK_BALLOTS} due ballots, while 8 clients vote: {tick_seconds:.1f} s for the "
        f"process (start-up included): {tick_line}; {votes_during} votes answered meanwhile, "
        f"{votes} in all, {refused} refused",
        f"  (every tick transaction and every vote is one commit on the one ZEO FileStorage, which "
        f"commits one at a time; an fsync costs this disk {fsync:.1f} ms)",
        f"peak memory of that process: {figures['rss_mb']:.0f} MB (connection_cache_size = 20000 objects)",
        f"ID key rotation (portal-rotate-id-key): {rotated} values re-encrypted in {rotate_seconds:.0f} s "
        f"({rotated / max(rotate_seconds, 1e-9):.0f} values/s; a 3,000,000-unit city: about "
        f"{rotate_seconds / (units + 10_000) * 3e6 / 60:.0f} min)",
    ]
    print(write_results("city.txt", "a synthetic city", lines, [
        f"{CITY_COMMUNITIES} communities x about {CITY_UNITS} units (portal-generate-city builds 3,000 x 1,000)"]))


if __name__ == "__main__":
    main()
