"""``make bench``: measure the foundation under concurrent load, write bench-results/foundation.txt.

A waitress server on 127.0.0.1 (random port) serves the portal from a FileStorage in a temp
folder.  Client threads (8, then 16) send a bounded number of requests: JSON creations in one
street (every one writes the same folder and the audit log, so they really contend) and page
reads.  Reported: requests/s, p50/p99 latency, non-2xx answers, how many requests were retried
after a ConflictError and the most attempts any one request needed, against retry.attempts.
The clients share the machine and the interpreter with the server: compare figures within one
run, not across machines.
"""
import logging
import json
import os
import tempfile

from pyramid_retry import IBeforeRetry

from portal import main as make_app
from portal.bootstrap import ROOT_KEY
from bench.benchkit import call, load, write_results
from tests.conftest import build_demo
from tests.support.threaded import served

REQUESTS_PER_CLIENT = 40
RETRY_ATTEMPTS = 10


def prepared_app(folder):
    app = make_app({}, **{
        "zodbconn.uri": f"file://{folder}/Data.fs?blobstorage_dir={folder}/blobs&connection_pool_size=12",
        "retry.attempts": str(RETRY_ATTEMPTS),
        "tm.manager_hook": "pyramid_tm.explicit_manager",
        "portal.secret": "bench-secret",
        "portal.id_key": "bench-id-key",
    })
    build_demo(app)          # in the registry, so that events hang each community's children
    db = app.registry._zodb_databases[""]
    retries = []
    app.registry.registerHandler(
        lambda event: retries.append(event.environ["retry.attempt"] + 1), (IBeforeRetry,))
    return app, db, retries


def run(port, token, clients, kind, run_id):
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json",
               "Content-Type": "application/json"}

    def send(job):
        n, i = job
        if kind == "create":
            body = {"@type": "Community", "id": f"b{run_id}-{n}-{i}", "title": f"压测{n}-{i}", "address": "x"}
            status, elapsed, _ = call(port, "POST", "/tianhe/shipai", body, headers)
        else:
            status, elapsed, _ = call(port, "GET", "/tianhe/shipai/mingyuan/")
        return status, elapsed

    jobs = [(n, i) for n in range(clients) for i in range(REQUESTS_PER_CLIENT)]
    measured = load(clients, jobs, send)
    ok = 201 if kind == "create" else 200
    return {"kind": kind, "clients": clients, "requests": len(measured["results"]),
            "per_second": measured["rate"], "p50_ms": measured["p50"], "p99_ms": measured["p99"],
            "non_2xx": sum(1 for _job, status in measured["results"] if status != ok),
            "refused": sorted({status for _job, status in measured["results"] if status != ok})}


def main():
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as folder:
        app, db, retries = prepared_app(folder)
        with served(app, threads=8, connection_limit=200) as server:
            lines = measure(server.effective_port, db, retries)
        db.close()
    write_results("foundation.txt", "foundation", lines,
                  [f"{os.cpu_count()} cores; server and clients in one process (waitress, 8 threads)"])


def measure(port, db, retries):
    """Reads and creations at 8 and 16 clients, then the audit chain checked: the result lines."""
    lines = []
    _, _, data = call(port, "POST", "/@login", {"login": "street", "password": "street-demo"},
                      {"Accept": "application/json", "Content-Type": "application/json"})
    token = json.loads(data)["token"]
    run(port, token, 2, "read", "warm")      # compile templates, fill caches
    for run_id, (kind, clients) in enumerate([("read", 8), ("create", 8), ("read", 16), ("create", 16)]):
        del retries[:]
        result = run(port, token, clients, kind, run_id)
        result["retried"] = len(retries)
        result["max_attempt"] = max(retries, default=0) + 1
        lines.append(
            f"{kind:6} clients={clients:2} requests={result['requests']} "
            f"rate={result['per_second']:.1f}/s p50={result['p50_ms']:.1f}ms p99={result['p99_ms']:.1f}ms "
            f"non2xx={result['non_2xx']} (statuses {result['refused'] or '-'}) retried={result['retried']} "
            f"most_attempts={result['max_attempt']} of retry.attempts={RETRY_ATTEMPTS}"
        )
        print(lines[-1], flush=True)
    with db.transaction() as conn:
        portal = conn.root()[ROOT_KEY]
        ok, count, _ = portal.audit_log.verify()
        lines.append(f"audit chain after the load: {'intact' if ok else 'BROKEN'}, {count} entries; "
                     f"communities in the street: {len(portal['tianhe']['shipai'])}")
    print(lines[-1])
    return lines


if __name__ == "__main__":
    main()
