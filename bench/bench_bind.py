"""``make bench`` (binding part): owners binding with code letters in one 10,000-unit community,
8 at a time, through a pserve process with the shipped settings (development.ini, copied into a
temp folder, only its port changed and its log lines made JSON to count retries).  The load
generator is a separate process (``python -m bench.bench_bind --drive ...``).  Written to
bench-results/binding.txt: one binder alone (p50, p99), then 8 at once (rate, p50, p99, non-2xx,
retries, time inside the application), and whether every binding was stored and the bound
counters equal a recount of every unit afterwards.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.support import loopback

UNITS = 10_000
BINDS = int(os.environ.get("BIND_COUNT", 200))
WARM_UP = 16
ALONE = 40              # binds by one client first: the cost of a bind with nothing beside it
CLIENTS = 8
COMMUNITY = ("tianhe", "shipai", "bench")
SHIPPED = Path(__file__).resolve().parent.parent / "development.ini"


def portal_server(global_config, **settings):
    """The portal as shipped, with the object each conflict met written to ``bench.conflicts_file``
    (one line per re-run request: the class that could not be merged), to see what binds fight over."""
    from pyramid_retry import IBeforeRetry

    from portal import main

    app = main(global_config, **settings)

    def conflicted(event):
        error = event.exception
        with open(settings["bench.conflicts_file"], "a") as out:
            oid = getattr(error, "oid", None)
            out.write(f"{type(error).__name__} {getattr(error, 'class_name', None) or '?'} "
                      f"{oid.hex() if oid else '-'}\n")

    app.registry.registerHandler(conflicted, (IBeforeRetry,))
    return app


def conflicts_by_class(folder):
    path = Path(folder) / "conflicts.txt"
    counts = {}
    for line in (path.read_text().splitlines() if path.exists() else ()):
        kind = line.rsplit(" ", 1)[0]
        counts[kind] = counts.get(kind, 0) + 1
    return dict(sorted(counts.items(), key=lambda item: -item[1]))


def shipped_ini(folder, port, factory=False):
    """development.ini in ``folder`` (so its var/ is there), on ``port``, logging JSON lines; with
    ``factory``, served by ``portal_server`` (the same app, conflicts recorded)."""
    text = SHIPPED.read_text()
    text = re.sub(r"(?m)^listen = .*$", f"listen = 127.0.0.1:{port}", text)
    if factory:
        text = text.replace("use = egg:portal\n", "use = call:bench.bench_bind:portal_server\n"
                            f"bench.conflicts_file = {folder}/conflicts.txt\n", 1)
    text = text.replace("[formatter_generic]\n", "[formatter_generic]\nclass = portal.logs.JsonFormatter\n")
    path = Path(folder) / "development.ini"
    path.write_text(text)
    (Path(folder) / "var").mkdir(exist_ok=True)
    return path


def prepare(ini, count):
    """The demo city, a community of UNITS units, ``count`` owner accounts each with a code letter
    for a different sole owner; [(token, bind body)]."""
    from pyramid.paster import bootstrap

    from portal.security.accounts import use_cheap_hashing

    use_cheap_hashing()                     # the accounts' passwords are never used: tokens are
    loopback.init(ini, "--demo")
    with bootstrap(str(ini)) as env:        # the registry current, so events reach its subscribers
        registry = env["registry"]
        db, personal = registry._zodb_databases[""], registry.personal_data
        jobs = add_binders(db, registry, personal, count)
    db.close()
    return jobs


def add_binders(db, registry, personal, count):
    """The bench community and its binders (see ``prepare``)."""
    from portal import clock
    from portal.binding import codes
    from portal.bootstrap import ROOT_KEY
    from portal.content.models import Community
    from portal.register import importer, services
    from portal.register.generator import as_csv, community_rows
    from portal.security.accounts import OWNER, Account
    from tests.binding_load_helpers import sole_owners

    jobs = []
    with db.transaction() as conn:
        street = conn.root()[ROOT_KEY][COMMUNITY[0]][COMMUNITY[1]]
        community = street.add(COMMUNITY[2], Community("压测小区", address="压测路1号"))
        prepared = importer.prepare("bench.csv", as_csv(community_rows(UNITS, seed=42)), personal)
        importer.apply(community["register"], prepared.units)
        services.refresh(community["register"], clock.now())
    with db.transaction() as conn:
        portal = conn.root()[ROOT_KEY]
        register = portal[COMMUNITY[0]][COMMUNITY[1]][COMMUNITY[2]]["register"]
        for n, (unit, owner) in enumerate(sole_owners(register, count)):
            account = portal.accounts.add(Account(f"bench-binder{n}", "业主", "unused-password", kind=OWNER))
            code = codes.issue_letter(register, unit, owner, personal, clock.now(), "bench")
            jobs.append((registry.portal_tokens.issue(account), {
                "name": personal.decrypt(owner.name_enc), "id_type": owner.id_type,
                "id_number": personal.decrypt(owner.id_enc), "method": "code", "code": code}))
    return jobs


def drive(port, jobs_file, out_file, server_pid):
    """The load generator (its own process): CLIENTS threads, one bind per job; the server's CPU
    time is read from /proc around the concurrent part."""
    from bench.benchkit import call, cpu_ms, load

    jobs = json.loads(Path(jobs_file).read_text())
    path = "/" + "/".join(COMMUNITY) + "/@bind"

    def send(job):
        token, body = job
        status, seconds, _ = call(port, "POST", path, body, {
            "Content-Type": "application/json", "Accept": "application/json", "Authorization": "Bearer " + token})
        return status, seconds

    jobs = [tuple(j) for j in jobs]
    warm = load(CLIENTS, jobs[:WARM_UP], send)
    alone = load(1, jobs[WARM_UP:WARM_UP + ALONE], send)
    cpu_before = cpu_ms(server_pid)
    measured = load(CLIENTS, jobs[WARM_UP + ALONE:], send)
    cpu = (cpu_ms(server_pid) - cpu_before) / len(jobs[WARM_UP + ALONE:])
    Path(out_file).write_text(json.dumps({"cpu_per_bind": cpu,
        "rate": measured["rate"], "p50": measured["p50"], "p99": measured["p99"],
        "alone_p50": alone["p50"], "alone_p99": alone["p99"],
        "statuses": sorted(s for _j, s in measured["results"]),
        "warm_statuses": sorted(s for _j, s in warm["results"] + alone["results"])}))


def server_side(log_file):
    """From the server's request log: @bind attempts run again (attempt > 0), and the p50 and p99
    of the time inside the application (ms, every attempt), which leaves out queueing."""
    retried, times = 0, []
    for line in Path(log_file).read_text(errors="replace").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if record.get("message") == "request" and record.get("path", "").endswith("/@bind"):
            retried += record.get("attempt", 0) > 0
            times.append(record["ms"])
    times.sort()
    return retried, times[len(times) // 2], times[max(0, int(len(times) * 0.99) - 1)]


def check(ini, expected):
    """After the run: every binding stored, and the counters equal a recount of every unit."""
    from pyramid.paster import get_app

    from portal.bootstrap import ROOT_KEY
    from tests.binding_load_helpers import recount

    app = get_app(str(ini))
    db = app.registry._zodb_databases[""]
    with db.transaction() as conn:
        community = conn.root()[ROOT_KEY][COMMUNITY[0]][COMMUNITY[1]][COMMUNITY[2]]
        register = community["register"]
        stored = len(register.bindings)
        equal = register.bound_counts() == recount(community)["counters"]
        described = describe_conflicts(conn, Path(ini).parent / "conflicts.txt")
    db.close()
    return stored == expected, equal, described


def describe_conflicts(conn, path):
    """{class and first key: re-runs} of the buckets and trees that conflicted (which tree it was)."""
    from ZODB.utils import p64, u64

    described = {}
    for line in (path.read_text().splitlines() if path.exists() else ()):
        oid = line.rsplit(" ", 1)[1]
        if oid == "-":
            continue
        obj = conn.get(p64(u64(bytes.fromhex(oid))))
        keys = getattr(obj, "keys", None)
        first = next(iter(keys()), None) if keys is not None else None
        name = f"{type(obj).__name__} {str(first)[:24] if first is not None else ''}"
        described[name] = described.get(name, 0) + 1
    return dict(sorted(described.items(), key=lambda item: -item[1]))


def main():
    from bench.bench_vote import shipped_settings
    from bench.benchkit import write_results

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder:
        port = loopback.free_port()
        threads = shipped_settings(folder)[1]["threads"]
        ini = shipped_ini(folder, port)
        jobs = prepare(ini, WARM_UP + ALONE + BINDS)
        ini = shipped_ini(folder, port, factory=True)
        assert len(jobs) == WARM_UP + ALONE + BINDS
        jobs_file, out_file, log_file = (Path(folder) / n for n in ("jobs.json", "out.json", "server.log"))
        jobs_file.write_text(json.dumps(jobs))
        with open(log_file, "w") as log:
            server = subprocess.Popen([str(loopback.BIN / "pserve"), str(ini)],
                                      env=dict(loopback.environment(), PYTHONPATH=str(SHIPPED.parent)),
                                      stdout=subprocess.DEVNULL, stderr=log)
        try:
            loopback.wait_for(port, seconds=120)
            subprocess.run([sys.executable, "-m", "bench.bench_bind", "--drive", str(port), str(jobs_file),
                            str(out_file), str(server.pid)], check=True, env=loopback.environment())
        finally:
            loopback.stop([server])
        result = json.loads(out_file.read_text())
        all_stored, counters_equal, described = check(ini, WARM_UP + ALONE + BINDS)
        retried, inside_p50, inside_p99 = server_side(log_file)
        conflicts = conflicts_by_class(folder)
        shutil.rmtree(Path(folder) / "var", ignore_errors=True)
    non2xx = sum(1 for s in result["statuses"] + result["warm_statuses"] if not 200 <= s < 300)
    lines = [f"1 binder alone, {UNITS} units, {ALONE} binds: p50={result['alone_p50']:.1f}ms  "
             f"p99={result['alone_p99']:.1f}ms",
             f"{CLIENTS} concurrent binders, {UNITS} units, {BINDS} binds (after {WARM_UP} warm-up binds): "
             f"rate={result['rate']:.1f}/s  p50={result['p50']:.1f}ms  p99={result['p99']:.1f}ms  "
             f"non2xx={non2xx}  statuses={sorted(set(result['statuses']))}  retries={retried}  "
             f"server CPU per bind={result['cpu_per_bind']:.2f}ms",
             f"inside the application (per attempt, no queueing): p50={inside_p50:.1f}ms  p99={inside_p99:.1f}ms",
             f"every binding stored: {all_stored}; bound counters equal a recount of every unit: {counters_equal}",
             f"re-runs by the object that conflicted: {conflicts or 'none'}",
             f"the buckets and trees that conflicted, by their first key: {described or 'none'}"]
    print("\n".join(lines))
    write_results("binding.txt", "binding by code letter", lines, [
        f"{os.cpu_count()} cores (load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after); one "
        f"pserve process with development.ini (waitress {threads} threads, FileStorage); the load generator is a "
        "separate process"])


if __name__ == "__main__":
    if sys.argv[1:2] == ["--drive"]:
        drive(int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5]))
    else:
        main()
