"""``make bench`` (voting part): the vote path against the stack's floor, measured honestly.

Two servers, each ``pserve`` in its own process with the shipped settings (development.ini's
[app:main] and [server:main], moved to a temp folder and a free loopback port): the portal, and a
bare Pyramid + ZODB app that stores one record per vote in a BTree whose keys are pre-filled (as
the box's are) and whose records merge (tuples), plus a ``Length`` counter.  The load generator
is a third process (Python threads; Debian's ``wrk`` cannot send per-voter bodies and tokens from
one list).  Voters vote in random order, at 8 and 16 clients, three rounds, the two apps taking
turns to go first; the figures are medians over the rounds.  Per app: rate, p50/p99, non-2xx,
retries per vote (each server counts pyramid_retry's re-runs), server CPU milliseconds per vote
(/proc), and lost votes: the servers are killed with SIGKILL at the end, the storages reopened,
and every acknowledged vote looked for.  Then the ratios portal/bare.  Beside the question-only
ballot the portal serves a ballot of one election matter of 15 candidates (every candidate marked),
voted by the same voters in the same runs ("election"), and its ratio to the question-only one.
Written to bench-results/voting.txt.

``python -m bench.bench_vote --profile`` profiles votes on a warm app in this process instead.
"""
import configparser
import datetime
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from BTrees.Length import Length
from BTrees.OOBTree import OOBTree

from bench.benchkit import cpu_ms, load_in_process, write_results
from bench.vote_checks import CHOICES, COMMUNITY, lost_bare, lost_portal, tally_time
from tests.support.loopback import BIN, bind_voters, free_port, wait_for

ROOT = Path(__file__).resolve().parent.parent
VOTES_PER_RUN = 500
ROUNDS = 3
CLIENTS = (8, 16)
# the election ballot: one matter of 15 candidates for 7 seats, every candidate marked
CANDIDATES = 15
ELECTION_CHOICES = {"m1": {f"c{n}": "agree" if n <= 7 else "oppose" if n <= 11 else "abstain"
                           for n in range(1, CANDIDATES + 1)}}
ELECTION_MATTER = {"kind": "election", "title": "e", "text": "e", "category": 3, "seats": 7, "alternates": 2,
                   "candidates": [{"name": f"候选人{n}", "statement": ""} for n in range(1, CANDIDATES + 1)]}
SETTINGS = {"retry.attempts": "10", "tm.manager_hook": "pyramid_tm.explicit_manager"}
# what is measured: the portal's question-only ballot, its ballot of one election matter (same
# server, same voters, another box), and the bare app
KINDS = ("portal", "election", "bare")
SERVER_OF = {"portal": "portal", "election": "portal", "bare": "bare"}


# --- the servers' app factories (``use = call:bench.bench_vote:...`` in the ini) -----------------

def count_retries(registry, path):
    """Append one byte to ``path`` each time pyramid_retry re-runs a request in this process."""
    from pyramid_retry import IBeforeRetry

    def counted(event):
        with open(path, "ab") as out:
            out.write(b".")

    registry.registerHandler(counted, (IBeforeRetry,))


def portal_server(global_config, **settings):
    """The portal exactly as shipped, with pyramid_retry's re-runs counted into a file."""
    from portal import main

    app = main(global_config, **settings)
    count_retries(app.registry, settings["bench.retries_file"])
    return app


def bare_server(global_config, **settings):
    """The least a vote can cost: parse JSON, replace the voter's pre-filled key with a tuple,
    count it in a ``Length``, commit; the same retry policy as the portal."""
    from pyramid.config import Configurator
    from pyramid_retry import IBeforeRetry
    from pyramid_zodbconn import get_connection

    from portal.retry import wait_before_retry

    def vote(request):
        root = get_connection(request).root()
        voter = request.headers.get("X-Voter", "")
        current = root["votes"].get(voter)
        if current is None:
            request.response.status_int = 404
            return {"error": "unknown"}
        if current:
            request.response.status_int = 409
            return {"error": "already"}
        root["votes"][voter] = (tuple(sorted(request.json_body["votes"].items())), time.time())
        root["count"].change(1)
        return {"receipt": voter}

    with Configurator(settings=settings) as config:
        config.include("pyramid_tm")
        config.include("pyramid_retry")
        config.include("pyramid_zodbconn")
        config.add_subscriber(wait_before_retry, IBeforeRetry)
        config.add_route("vote", "/vote")
        config.add_view(vote, route_name="vote", renderer="json", request_method="POST")
    app = config.make_wsgi_app()
    count_retries(app.registry, settings["bench.retries_file"])
    return app


# --- preparing the databases ------------------------------------------------------------------

def shipped_settings(folder):
    """development.ini's app and server settings, with ``here`` the temp folder."""
    parser = configparser.ConfigParser(defaults={"here": str(folder)})
    parser.read(ROOT / "development.ini")
    app = {k: v for k, v in parser["app:main"].items() if k not in ("here", "use")}
    server = {k: v for k, v in parser["server:main"].items() if k not in ("here", "use")}
    return app, server


def write_ini(folder, name, factory, app, server, port):
    lines = ["[app:main]", f"use = call:bench.bench_vote:{factory}"]
    lines += [f"{k} = {v}" for k, v in dict(app, **{"bench.retries_file": f"{folder}/{name}.retries"}).items()]
    lines += ["[server:main]", "use = egg:waitress#main"]
    lines += [f"{k} = {v}" for k, v in dict(server, listen=f"127.0.0.1:{port}").items()]
    logging = "[loggers]" + (ROOT / "development.ini").read_text().split("[loggers]", 1)[1]   # as shipped
    path = Path(folder) / f"{name}.ini"
    path.write_text("\n".join(lines) + "\n\n" + logging)
    return path


def prepare_portal(app, voters):
    """A community of generated units with ``voters`` bound owners and a ballot in voting, in
    ``app``'s database; the voters' tokens and the vote path."""
    from portal import clock, demo
    from portal.ballots import lifecycle, services
    from portal.bootstrap import ROOT_KEY
    from portal.register import importer
    from portal.register import services as register_services
    from portal.register.generator import as_csv, community_rows
    from portal.voting.service import box_of
    from tests.conftest import current

    db, personal = app.registry._zodb_databases[""], app.registry.personal_data
    now = clock.now()
    with current(app.registry), db.transaction() as conn:
        portal = conn.root()[ROOT_KEY]
        demo.build(portal, personal)
        community = portal[COMMUNITY[0]][COMMUNITY[1]][COMMUNITY[2]]
        register = community["register"]
        prepared = importer.prepare("b.csv", as_csv(community_rows(voters * 5 // 4, seed=3)), personal)
        importer.apply(register, prepared.units)
        register_services.refresh(register, now)
        tokens = bind_voters(portal, community, voters, app.registry.portal_tokens, now)
        register_services.refresh(register, now)
        today = now.date()
        paths = {}
        for kind, title, matters in (
                ("questions", "bench", [{"title": t, "text": t, "category": c} for t, c in (("a", 1), ("b", 4), ("c", 6))]),
                ("election", "bench-election", [ELECTION_MATTER])):
            ballot = services.create(community["ballots"], {
                "title": title, "start_date": today, "end_date": today + datetime.timedelta(days=5),
                "matters": matters}, "", now)
            ballot.state = "voting"
            lifecycle.freeze_electorate(ballot, now)
            box_of(ballot)
            paths[kind] = "/" + "/".join(COMMUNITY) + "/ballots/" + ballot.__name__ + "/@vote"
        portal.clock_offset = None
    if len(tokens) < voters:
        raise RuntimeError(f"only {len(tokens)} sole owners to bind, {voters} wanted")
    return tokens, paths


def portal_app(folder, voters, settings=None):
    """The portal on ``folder``/portal.fs (or ``settings``) with ``voters`` bound owners and two ballots
    in voting: (app, db, tokens, {"questions" | "election": vote path}).  bench_zeo prepares its
    database with it too."""
    from portal import main as make_app

    app = make_app({}, **(settings or dict(SETTINGS, **{
        "zodbconn.uri": f"file://{folder}/portal.fs", "portal.secret": "bench", "portal.id_key": "bench-id"})))
    tokens, paths = prepare_portal(app, voters)
    return app, app.registry._zodb_databases[""], tokens, paths


def prepare_bare(path, voters):
    import ZODB
    import ZODB.FileStorage

    db = ZODB.DB(ZODB.FileStorage.FileStorage(path))
    with db.transaction() as conn:
        votes = OOBTree()
        votes.update({f"v{i}": () for i in range(voters)})
        conn.root()["votes"], conn.root()["count"] = votes, Length()
    db.close()


# --- measuring ---------------------------------------------------------------------------------

def start(ini):
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONWARNINGS="ignore")
    return subprocess.Popen([str(BIN / "pserve"), str(ini)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def wait_listening(port, process, seconds=60):
    import socket

    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server on {port} exited ({process.returncode})")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"nothing listens on {port}")


def retries_in(folder, name):
    path = Path(folder) / f"{name}.retries"
    return path.stat().st_size if path.exists() else 0


def run(server, jobs, clients, folder):
    """One measured run of ``jobs`` on ``server`` ({name, port, process})."""
    retries, cpu = retries_in(folder, server["name"]), cpu_ms(server["process"].pid)
    measured = load_in_process(server["port"], jobs, clients)
    measured["retries"] = retries_in(folder, server["name"]) - retries
    measured["cpu_ms"] = cpu_ms(server["process"].pid) - cpu
    measured["non2xx"] = sum(n for status, n in measured["statuses"].items() if not status.startswith("2"))
    return measured


def portal_jobs(voters, tokens, path, choices=CHOICES):
    return [[i, "POST", path, {"votes": choices}, {"Content-Type": "application/json", "Accept": "application/json",
                                                   "Authorization": "Bearer " + tokens[i]}] for i in voters]


def bare_jobs(voters):
    return [[i, "POST", "/vote", {"votes": CHOICES}, {"Content-Type": "application/json", "X-Voter": f"v{i}"}]
            for i in voters]


def median(runs, name):
    return statistics.median(r[name] for r in runs)


def main():
    rng = random.Random(18)
    total = VOTES_PER_RUN * ROUNDS * len(CLIENTS)
    lines = []
    with tempfile.TemporaryDirectory() as folder:
        app_settings, server_settings = shipped_settings(folder)
        os.makedirs(f"{folder}/var", exist_ok=True)
        portal, db, tokens, paths = portal_app(folder, total, settings=app_settings)
        db.close()
        prepare_bare(f"{folder}/bare.fs", total)
        bare_settings = dict(SETTINGS, **{"zodbconn.uri": f"file://{folder}/bare.fs?connection_pool_size=12"})
        servers = {}
        for name, factory, settings in (("portal", "portal_server", app_settings),
                                        ("bare", "bare_server", bare_settings)):
            port = free_port()
            process = start(write_ini(folder, name, factory, settings, server_settings, port))
            servers[name] = {"name": name, "port": port, "process": process}
        try:
            for server in servers.values():
                wait_listening(server["port"], server["process"])
            wait_for(servers["portal"]["port"])
            order = list(range(total))
            rng.shuffle(order)                          # voters in random order
            runs = {(name, c): [] for name in KINDS for c in CLIENTS}
            acknowledged = {name: [] for name in KINDS}
            batch = 0
            for round_number in range(ROUNDS):
                for clients in CLIENTS:
                    voters = order[batch * VOTES_PER_RUN:(batch + 1) * VOTES_PER_RUN]
                    batch += 1
                    names = KINDS if (round_number + CLIENTS.index(clients)) % 2 == 0 else KINDS[::-1]
                    for name in names:
                        jobs = (portal_jobs(voters, tokens, paths["questions"]) if name == "portal" else
                                portal_jobs(voters, tokens, paths["election"], ELECTION_CHOICES)
                                if name == "election" else bare_jobs(voters))
                        result = run(servers[SERVER_OF[name]], jobs, clients, folder)
                        runs[(name, clients)].append(result)
                        acknowledged[name] += result["ok"]
                        print(f"round {round_number + 1} {clients:2} clients {name:8} rate={result['rate']:.1f}/s "
                              f"p50={result['p50']:.1f} p99={result['p99']:.1f} non2xx={result['non2xx']} "
                              f"retries={result['retries']} cpu/vote={result['cpu_ms'] / len(jobs):.2f}ms",
                              flush=True)
        finally:
            for server in servers.values():
                if server["process"].poll() is None:
                    server["process"].send_signal(signal.SIGKILL)      # no clean shutdown: what was acknowledged?
                server["process"].wait(timeout=30)
        lost = {"portal": lost_portal(f"{folder}/var/Data.fs", acknowledged["portal"], lambda i: f"voter{i}"),
                "election": lost_portal(f"{folder}/var/Data.fs", acknowledged["election"], lambda i: f"voter{i}",
                                        title="bench-election"),
                "bare": lost_bare(f"{folder}/bare.fs", acknowledged["bare"])}
        for clients in CLIENTS:
            figures = {}
            for name in KINDS:
                rs = runs[(name, clients)]
                votes = VOTES_PER_RUN * len(rs)
                figures[name] = {"rate": median(rs, "rate"), "p50": median(rs, "p50"), "p99": median(rs, "p99"),
                                 "non2xx": sum(r["non2xx"] for r in rs),
                                 "retries": sum(r["retries"] for r in rs) / votes,
                                 "cpu": statistics.median(r["cpu_ms"] / VOTES_PER_RUN for r in rs)}
                f = figures[name]
                lines.append(f"{clients:2} clients  {name:8}  rate={f['rate']:.1f}/s  p50={f['p50']:.1f}ms  "
                             f"p99={f['p99']:.1f}ms  non2xx={f['non2xx']}  retries/vote={f['retries']:.4f}  "
                             f"cpu/vote={f['cpu']:.2f}ms  (median of {len(rs)} runs of {VOTES_PER_RUN} votes)")
            p, b, e = figures["portal"], figures["bare"], figures["election"]
            lines.append(f"{clients:2} clients  portal/bare: rate {p['rate'] / b['rate']:.2f}, "
                         f"cpu per vote {p['cpu'] / b['cpu']:.2f}x, p99 {p['p99'] / b['p99']:.2f}x")
            lines.append(f"{clients:2} clients  election/portal: rate {e['rate'] / p['rate']:.2f}, "
                         f"cpu per vote {e['cpu'] / p['cpu']:.2f}x, p99 {e['p99'] / p['p99']:.2f}x")
        for name in KINDS:
            missing, counter_ok = lost[name]
            lines.append(f"{name:8} after SIGKILL: {len(acknowledged[name])} acknowledged, lost={missing}, "
                         f"counter equals the stored records: {counter_ok}")
    seconds, owners, voted = tally_time()
    lines.append(f"tally of 3 matters over 10000 units ({owners} owners, {voted} voted): {seconds * 1000:.0f} ms")
    print("\n".join(lines))
    write_results("voting.txt", "the vote path against a bare Pyramid + ZODB app", lines, [
        f"{os.cpu_count()} cores (shared); each server pserve with development.ini's settings (waitress "
        f"{server_settings.get('threads')} threads) in its own process; the load generator a separate Python "
        "process; voters in random order; 3 rounds, the apps alternating first; medians",
        "aims: rate >= 0.75 of bare (cpu per vote <= 1.33x), < 0.01 retries per vote, p99 < 100 ms at 16 "
        "clients, 0 lost, 0 non-2xx"])


def profile(votes=300):
    """cProfile of ``votes`` votes on a warm portal in this process (WebTest, one thread)."""
    import cProfile
    import pstats

    import webtest

    from tests.conftest import current

    with tempfile.TemporaryDirectory() as folder:
        app, db, tokens, paths = portal_app(folder, votes + 20)
        client = webtest.TestApp(app, extra_environ={"HTTP_HOST": "localhost", "REMOTE_ADDR": "127.0.0.1"})

        def vote(i):
            client.post_json(paths["questions"], {"votes": CHOICES}, headers={
                "Accept": "application/json", "Authorization": "Bearer " + tokens[i]})

        with current(app.registry):
            for i in range(20):                      # warm: caches, connections, templates
                vote(votes + i)
            profiler = cProfile.Profile()
            started = time.perf_counter()
            profiler.enable()
            for i in range(votes):
                vote(i)
            profiler.disable()
            seconds = time.perf_counter() - started
        db.close()
    print(f"{votes} votes in {seconds:.2f} s: {seconds / votes * 1000:.2f} ms per vote (under the profiler)")
    pstats.Stats(profiler).sort_stats(sys.argv[2] if len(sys.argv) > 2 else "cumulative").print_stats(45)


if __name__ == "__main__":
    profile() if "--profile" in sys.argv else main()
