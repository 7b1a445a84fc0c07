"""``make bench`` (desks part): the staff desks on a street of 300 communities and a city of 3,000.

Builds, in a FileStorage under a temp folder, the demo city plus DESK_COMMUNITIES communities
(3,000 by default, Guangzhou's size), DESK_STREET of them (300) under one street, ``tianhe/desk``,
each of those with a ballot waiting for the street office (submitted, approved or with its notice
published, in turn); about four in five communities get a small register (imported through the
importer staff use), one in ten of those with a unit without an owner (a gap), and one in
twenty a filed document still to publish; then one recording of the coverage series (as the
periodic job makes it).  Then serves it with ``pserve`` and the shipped settings (development.ini's
[app:main] and [server:main], moved to the temp folder and port DESK_PORT) in its own process, and
from another process (bench.benchkit.load_in_process) asks, as the signed-in staff, for the
street's worklist, the district office's desk and the city administrators' desk, page and JSON:
REQUESTS each from one client (latency), then the same from four clients.  The aim: each under
100 ms.  Written to bench-results/desks.txt.
"""
import datetime
import json
import os
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.bench_vote import shipped_settings, start, wait_listening
from bench.benchkit import load_in_process, write_results

ROOT = Path(__file__).resolve().parent.parent
COMMUNITIES = int(os.environ.get("DESK_COMMUNITIES", 3000))
STREET = int(os.environ.get("DESK_STREET", 300))
PORT = int(os.environ.get("DESK_PORT", 6614))
REQUESTS = int(os.environ.get("DESK_REQUESTS", 50))
UNITS = 4
AIM_MS = 100
STREETS_PER_DISTRICT = 10
PAGES = (("street worklist", "/tianhe/desk/@worklist", "street"),
         ("district desk", "/tianhe/@worklist", "district"),
         ("city desk", "/@worklist", "admin"))


def build(folder):
    """The city in ``folder``/var/Data.fs; (communities, registers, ballots in the street)."""
    from portal import main as make_app
    from pyramid.threadlocal import manager

    os.makedirs(f"{folder}/var", exist_ok=True)
    app_settings, _server = shipped_settings(folder)
    app = make_app({}, **dict(app_settings, **{"portal.scheduler": "false"}))
    manager.push({"registry": app.registry, "request": None})      # the tree's events reach the catalog
    try:
        return _build(app)
    finally:
        manager.pop()
        app.registry._zodb_databases[""].close()


def _build(app):
    import transaction

    from portal import clock, demo
    from portal.bootstrap import ROOT_KEY
    from portal.desks import series

    db, personal = app.registry._zodb_databases[""], app.registry.personal_data
    conn = db.open()
    transaction.begin()
    portal = conn.root()[ROOT_KEY]
    demo.build(portal, personal)
    transaction.commit()
    now = clock.now()
    registers = ballots = 0
    for n in range(COMMUNITIES):
        made = add_community(portal, personal, n, now)
        registers += made[0]
        ballots += made[1]
        if n % 50 == 49:
            transaction.get().note(f"bench-desks: {n + 1} communities")
            transaction.commit()
            conn.cacheMinimize()
    series.record(portal, now)
    transaction.commit()
    conn.close()
    return COMMUNITIES, registers, ballots


def add_community(portal, personal, n, now):
    """The ``n``th community: the first STREET under tianhe/desk, with a ballot each; (registers
    made, ballots made)."""
    from portal.content.models import Community, Street
    from portal.demo import DISTRICTS
    from portal.security import localroles
    from portal.security.roles import STREET as STREET_ROLE

    if n < STREET:
        district, street_name = portal["tianhe"], "desk"
    else:
        district = portal[DISTRICTS[n % len(DISTRICTS)][0]]
        street_name = f"bench-s{(n // len(DISTRICTS)) % STREETS_PER_DISTRICT}"
    street = district.get(street_name)
    if street is None:
        street = district.add(street_name, Street(f"压测街道{street_name}"))
        if street_name == "desk":                       # the demo's street clerk works here too
            localroles.grant(street, portal.accounts.by_login("street").uid, STREET_ROLE)
    community = street.add(f"c{n}", Community(f"压测小区{n}", address=f"压测路{n}号"))
    registered = n % 5 != 4
    if registered:
        add_register(community, personal, n, now, gap=n % 10 == 0)
    if n % 20 == 3:
        add_document(community, now)
    if n < STREET:
        add_ballot(portal, community, n, now)
    return int(registered), int(n < STREET)


def add_register(community, personal, n, now, gap):
    from portal.register import importer, services
    from portal.register.generator import as_csv, community_rows
    from portal.register.models import Unit

    prepared = importer.prepare("bench.csv", as_csv(community_rows(UNITS, seed=n)), personal, now.date())
    importer.apply(community["register"], prepared.units)
    if gap:
        community["register"].add(Unit("9", "1", "901", area=9000))        # a unit without an owner
    services.refresh(community["register"], now)


def add_document(community, now):
    from portal.documents import service

    service.create(community["documents"], {"doc_type": "rules_of_procedure", "title": "议事规则",
                                            "filing_number": "1", "filing_date": now.date()},
                   "r.pdf", b"%PDF-1.4 bench %%EOF", "", now)


def add_ballot(portal, community, n, now):
    from portal.ballots import lifecycle, services

    organizer = portal.accounts.by_login("organizer").uid
    street = portal.accounts.by_login("street").uid
    today = now.date()
    ballot = services.create(community["ballots"], {
        "title": f"压测表决{n}", "start_date": today + datetime.timedelta(days=40),
        "end_date": today + datetime.timedelta(days=49),
        "matters": [{"title": "事项", "text": "全文", "category": 4}]}, organizer, now)
    lifecycle.fire(ballot, "submit", organizer, now)
    if n % 3:
        lifecycle.fire(ballot, "approve", street, now)
    if n % 3 == 2:
        lifecycle.fire(ballot, "publish_notice", street, now)


def write_ini(folder, port):
    app, server = shipped_settings(folder)
    lines = ["[app:main]", "use = egg:portal"] + [f"{k} = {v}" for k, v in app.items()]
    lines += ["[server:main]", "use = egg:waitress#main"]
    lines += [f"{k} = {v}" for k, v in dict(server, listen=f"127.0.0.1:{port}").items()]
    logging = "[loggers]" + (ROOT / "development.ini").read_text().split("[loggers]", 1)[1]
    path = Path(folder) / "desks.ini"
    path.write_text("\n".join(lines) + "\n\n" + logging.replace("level = INFO", "level = WARN"))
    return path


def token(port, login):
    request = urllib.request.Request(f"http://127.0.0.1:{port}/@login", json.dumps(
        {"login": login, "password": f"{login}-demo"}).encode(), {"Content-Type": "application/json",
                                                                   "Accept": "application/json"})
    with urllib.request.urlopen(request) as answer:
        return json.load(answer)["token"]


def fetch_json(port, path, bearer):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={
        "Accept": "application/json", "Authorization": "Bearer " + bearer})
    with urllib.request.urlopen(request) as answer:
        return json.load(answer)


def measure(port):
    tokens = {login: token(port, login) for login in {p[2] for p in PAGES}}
    sizes = {
        "street worklist": fetch_json(port, PAGES[0][1], tokens["street"]),
        "district desk": fetch_json(port, PAGES[1][1], tokens["district"])["figures"]["communities"],
        "city desk": fetch_json(port, PAGES[2][1], tokens["admin"])["sentence"],
    }
    rows = []
    for title, path, login in PAGES:
        for kind, accept in (("json", "application/json"), ("page", "text/html")):
            headers = {"Accept": accept, "Authorization": "Bearer " + tokens[login]}
            jobs = [[i, "GET", path, None, headers] for i in range(REQUESTS)]
            load_in_process(port, jobs[:5], 1)                                      # warm
            alone = load_in_process(port, jobs, 1)
            four = load_in_process(port, jobs, 4)
            rows.append((title, kind, alone, four))
    return sizes, rows


def main():
    with tempfile.TemporaryDirectory(prefix="bench-desks-") as folder:
        started = time.perf_counter()
        communities, registers, ballots = build(folder)
        build_seconds = time.perf_counter() - started
        process = start(write_ini(folder, PORT))
        try:
            wait_listening(PORT, process, 120)
            sizes, rows = measure(PORT)
        finally:
            process.kill()
            process.wait()
    lines = [f"city: {communities:,} communities, {registers:,} with a register of {UNITS} units, "
             f"built in {build_seconds:.0f} s; street tianhe/desk: {STREET} communities, {ballots} ballots waiting",
             f"street worklist lines: {sizes['street worklist']['items_total']} (each counted, the oldest "
             f"{len(sizes['street worklist']['items'])} spelt out); district communities: {sizes['district desk']:,}; "
             f"city desk: {sizes['city desk']}",
             "page              kind  1 client p50/p99 ms   4 clients p50/p99 ms  rate/s  non-200  aim"]
    for title, kind, alone, four in rows:
        bad = sum(n for status, n in list(alone["statuses"].items()) + list(four["statuses"].items()) if status != "200")
        verdict = "met" if alone["p50"] < AIM_MS else "MISSED"
        lines.append(f"{title:<17} {kind:<5} {alone['p50']:8.1f} / {alone['p99']:7.1f}   {four['p50']:8.1f} / "
                     f"{four['p99']:7.1f}   {four['rate']:6.1f}  {bad:7d}  {verdict} (< {AIM_MS} ms p50, 1 client)")
    text = write_results("desks.txt", "desks", lines, notes=(
        f"{os.cpu_count()} cores (shared); pserve with development.ini's settings on port {PORT}, the load "
        f"generator in another process; {REQUESTS} requests per line, signed in by bearer token",))
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
