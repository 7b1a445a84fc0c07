"""``make bench`` (scale part): a synthetic city, then what a city-sized database costs.

Builds CITY_COMMUNITIES communities of CITY_UNITS units in a FileStorage (a tenth of Guangzhou's
3,000 by default, so that make bench stays short; portal-generate-city builds the full size),
then measures: build time and Data.fs bytes per unit; opening the database and serving the
first page in a fresh process; that process's peak memory; a community page, a progress read
and a tally on a 10,000-unit community in voting; re-encrypting the whole city under a new ID
key.  Written to bench-results/city.txt.
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
print(json.dumps({"first_page": first, "page": page, "progress": progress, "tally": tally,
                  "tally_warm": tally_warm,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
'''


def build(folder):
    import transaction

    from portal import clock, demo, main as make_app
    from portal.ballots import lifecycle, services as ballots
    from portal.binding import service as binding
    from portal.bootstrap import ROOT_KEY
    from portal.register import importer, services
    from portal.register.generator import as_csv, community_rows
    from portal.scripts.generate_city import generate
    from portal.security.accounts import OWNER, Account

    settings = settings_for(folder)
    app = make_app({}, **settings)
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
    conn.close()
    db.close()
    return units, build_seconds


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
        units, seconds = build(folder)
        size = os.path.getsize(os.path.join(folder, "Data.fs"))
        probe = subprocess.run([sys.executable, "-c", PROBE, json.dumps(settings_for(folder))],
                               capture_output=True, text=True, env=dict(os.environ, PYTHONWARNINGS="ignore"))
        if probe.returncode != 0:
            raise SystemExit(probe.stderr[-2000:])
        figures = json.loads(probe.stdout.strip().splitlines()[-1])
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
        f"peak memory of that process: {figures['rss_mb']:.0f} MB (connection_cache_size = 20000 objects)",
        f"ID key rotation (portal-rotate-id-key): {rotated} values re-encrypted in {rotate_seconds:.0f} s "
        f"({rotated / max(rotate_seconds, 1e-9):.0f} values/s; a 3,000,000-unit city: about "
        f"{rotate_seconds / (units + 10_000) * 3e6 / 60:.0f} min)",
    ]
    print(write_results("city.txt", "a synthetic city", lines, [
        f"{CITY_COMMUNITIES} communities x about {CITY_UNITS} units (portal-generate-city builds 3,000 x 1,000)"]))


if __name__ == "__main__":
    main()
