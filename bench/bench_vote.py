"""``make bench`` (voting part): the vote path over HTTP against a bare Pyramid + ZODB app that
only stores a vote, in the same run, so the figure that matters is the ratio; and the time of a
tally over a 10,000-unit community.  Written to bench-results/voting.txt.

Both servers are waitress (8 threads) on 127.0.0.1 with a FileStorage in a temp folder; the
clients are threads in this process (bounded count), so absolute numbers are modest and noisy;
the ratio between the two apps, measured under the same conditions, is what to compare.
"""
import datetime
import os
import tempfile
import threading
import time

from BTrees.Length import Length
from BTrees.OOBTree import OOBTree
from pyramid.config import Configurator
from pyramid_retry import IBeforeRetry
from pyramid_zodbconn import get_connection
from waitress.server import create_server

from portal import clock, demo, main as make_app
from portal.ballots import lifecycle, services
from portal.bootstrap import ROOT_KEY
from portal.register import importer
from portal.register import services as register_services
from portal.register.generator import as_csv, community_rows
from portal.register.rules import OwnerFacts, UnitFacts
from portal.retry import wait_before_retry
from bench.benchkit import call, load, write_results
from tests.support.loopback import bind_voters
from portal.voting import tally

VOTES_PER_RUN = 400
SETTINGS = {"retry.attempts": "10", "tm.manager_hook": "pyramid_tm.explicit_manager"}
CHOICES = {"m1": "agree", "m2": "oppose", "m3": "abstain"}


def bare_app(folder):
    """The least a vote can cost: parse JSON, store it under the voter, count it, commit."""
    def vote(request):
        root = get_connection(request).root()
        if "votes" not in root:
            raise RuntimeError("not prepared")
        voter = request.headers["X-Voter"]
        if voter in root["votes"]:
            request.response.status_int = 409
            return {"error": "already"}
        root["votes"][voter] = request.json_body["votes"]
        root["count"].change(1)
        return {"receipt": voter}

    with Configurator(settings=dict(SETTINGS, **{"zodbconn.uri": f"file://{folder}/bare.fs"})) as config:
        config.include("pyramid_tm")
        config.include("pyramid_retry")
        config.include("pyramid_zodbconn")
        config.add_subscriber(wait_before_retry, IBeforeRetry)     # the same retry policy as the portal
        config.add_route("vote", "/vote")
        config.add_view(vote, route_name="vote", renderer="json", request_method="POST")
    db = config.registry._zodb_databases[""]
    with db.transaction() as conn:
        conn.root()["votes"] = OOBTree()
        conn.root()["count"] = Length()
    return config.make_wsgi_app(), db


def portal_app(folder, voters):
    app = make_app({}, **dict(SETTINGS, **{"zodbconn.uri": f"file://{folder}/portal.fs",
                                            "portal.secret": "bench", "portal.id_key": "bench-id"}))
    db, personal = app.registry._zodb_databases[""], app.registry.personal_data
    now = clock.now()
    with db.transaction() as conn:
        portal = conn.root()[ROOT_KEY]
        demo.build(portal)
        community = portal["tianhe"]["shipai"]["qiaoyuan"]
        register = community["register"]
        prepared = importer.prepare("b.csv", as_csv(community_rows(voters * 5 // 4, seed=3)), personal)
        importer.apply(register, prepared.units)
        register_services.refresh(register, now)
        tokens = bind_voters(portal, community, voters, app.registry.portal_tokens, now)
        register_services.refresh(register, now)
        today = now.date()
        ballot = services.create(community["ballots"], {
            "title": "bench", "start_date": today, "end_date": today + datetime.timedelta(days=5),
            "matters": [{"title": t, "text": t, "category": c} for t, c in (("a", 1), ("b", 4), ("c", 6))]},
            "", now)
        ballot.state = "voting"
        lifecycle.freeze_electorate(ballot, now)
        from portal.voting.service import box_of

        box_of(ballot)
        path = "/tianhe/shipai/qiaoyuan/ballots/" + ballot.__name__ + "/@vote"
    return app, db, tokens, path


def serve(app):
    server = create_server(app, host="127.0.0.1", port=0, threads=8)
    threading.Thread(target=server.run, daemon=True).start()
    return server


def measure(port, path, headers_for, clients, first, count):
    def send(i):
        status, seconds, _ = call(port, "POST", path, {"votes": CHOICES}, headers_for(i))
        return status, seconds

    measured = load(clients, list(range(first, first + count)), send)
    results = measured["results"]
    return {"rate": measured["rate"], "p50": measured["p50"], "p99": measured["p99"],
            "non2xx": sum(1 for _i, s in results if s != 200), "ok": [i for i, s in results if s == 200],
            "statuses": sorted({s for _i, s in results})}


def tally_time(units=10_000):
    facts = [UnitFacts(key=f"u{i}", area=8000 + i % 5000, owners=(OwnerFacts(f"h{i % 9000}", "n"),))
             for i in range(units)]
    owners = tally.owners_of(facts, False)
    votes = {key: dict(CHOICES) for n, key in enumerate(owners) if n % 10 < 7}
    matters = [{"id": m, "category": c} for m, c in (("m1", 1), ("m2", 4), ("m3", 6))]
    started = time.perf_counter()
    tally.tally(matters, facts, False, votes)
    return time.perf_counter() - started, len(owners), len(votes)


def main():
    lines = []
    with tempfile.TemporaryDirectory() as folder:
        bare, bare_db = bare_app(folder)
        portal, portal_db, tokens, path = portal_app(folder, voters=2 * VOTES_PER_RUN)
        retried = {"bare": [], "portal": []}
        bare.registry.registerHandler(lambda e: retried["bare"].append(1), (IBeforeRetry,))
        portal.registry.registerHandler(lambda e: retried["portal"].append(1), (IBeforeRetry,))
        bare_server, portal_server = serve(bare), serve(portal)
        first, stored_before = 0, 0
        for clients in (8, 16):
            retried["bare"].clear()
            retried["portal"].clear()
            b = measure(bare_server.effective_port, "/vote", lambda i: {"Content-Type": "application/json",
                                                                      "X-Voter": f"v{i}"}, clients, first,
                     VOTES_PER_RUN)
            p = measure(portal_server.effective_port, path, lambda i: {
                "Content-Type": "application/json", "Accept": "application/json",
                "Authorization": "Bearer " + tokens[i]}, clients, first, VOTES_PER_RUN)
            with portal_db.transaction() as conn:
                ballot = conn.root()[ROOT_KEY]["tianhe"]["shipai"]["qiaoyuan"]["ballots"]["b1"]
                stored = len(ballot.box.records())
                recount_ok = ballot.box.voted_owners() == stored and ballot.box.voted_area() == sum(
                    ballot.box.areas[k] for k, _r in ballot.box.records())
            lost = len(p["ok"]) - (stored - stored_before)
            first, stored_before = first + VOTES_PER_RUN, stored
            for name, r in (("bare app", b), ("portal", p)):
                r["retried"] = len(retried["bare" if name == "bare app" else "portal"])
                lines.append(f"{clients:2} clients  {name:8} {VOTES_PER_RUN} votes  rate={r['rate']:.1f}/s  "
                             f"p50={r['p50']:.1f}ms  p99={r['p99']:.1f}ms  non2xx={r['non2xx']} "
                             f"statuses={r['statuses']} retried={r['retried']}")
            lines.append(f"{clients:2} clients  portal/bare rate ratio = {p['rate'] / b['rate']:.2f}; "
                         f"lost acknowledged votes = {lost}; counters equal recount: {recount_ok}")
            print("\n".join(lines[-3:]), flush=True)
        bare_server.close()
        portal_server.close()
        bare_db.close()
        portal_db.close()
    seconds, owners, votes = tally_time()
    lines.append(f"tally of 3 matters over 10000 units ({owners} owners, {votes} voted): {seconds * 1000:.0f} ms")
    print(lines[-1])
    write_results("voting.txt", "the vote path", lines,
                  [f"{os.cpu_count()} cores; waitress 8 threads each; clients are threads in the same process"])


if __name__ == "__main__":
    main()
