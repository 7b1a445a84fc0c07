"""``make bench`` (register part): import a 10,000-unit community, write bench-results/register.txt.

Phases are timed separately on a FileStorage in a temp folder: reading and checking the file
(every ID number validated, every owner encrypted and hashed), comparing with the register,
applying and recomputing the totals, committing; then the same file through the HTTP API
(waitress, JSON), and a re-import of the unchanged file.  CSV and XLSX both.
"""
import json
import os
import tempfile
import time
import urllib.request

import transaction

from portal import clock, main as make_app
from portal.bootstrap import ROOT_KEY
from portal.register import importer, services
from portal.register.generator import as_csv, community_rows
from portal.register.importer import COLUMNS
from portal.register.table import write_xlsx
from bench.benchkit import write_results
from tests.conftest import build_demo
from tests.support.threaded import served

UNITS = 10_000


def timed(label, results, function, *args):
    started = time.perf_counter()
    value = function(*args)
    results.append((label, time.perf_counter() - started))
    return value


def domain_run(app, data, filename, community_path, results):
    personal = app.registry.personal_data
    db = app.registry._zodb_databases[""]
    prepared = timed(f"{filename}: read and check {UNITS} units", results, importer.prepare, filename, data, personal)
    assert not prepared.errors, prepared.errors[:3]
    tm = transaction.TransactionManager()
    conn = db.open(tm)
    with tm:
        node = conn.root()[ROOT_KEY]
        for name in community_path:
            node = node[name]
        register = node["register"]
        changes = timed(f"{filename}: compare with the register", results, importer.compare, register, prepared.units)
        timed(f"{filename}: apply to the register", results, importer.apply, register, prepared.units)
        timed(f"{filename}: recompute totals and gaps", results, services.refresh, register, clock.now())
        started = time.perf_counter()
    results.append((f"{filename}: commit", time.perf_counter() - started))
    conn.close()
    return changes


def api_run(port, token, data, content_type, path):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method="POST", headers={
        "Authorization": f"Bearer {token}", "Accept": "application/json", "Content-Type": content_type})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:
        body = json.loads(response.read())
    return time.perf_counter() - started, body


def api_runs(port, csv_data, results, lines):
    """The same import through the HTTP API (whole requests), then its unchanged re-import."""
    login = urllib.request.Request(f"http://127.0.0.1:{port}/@login", method="POST",
                                   data=json.dumps({"login": "district", "password": "district-demo"}).encode(),
                                   headers={"Accept": "application/json", "Content-Type": "application/json"})
    token = json.loads(urllib.request.urlopen(login).read())["token"]
    seconds, body = api_run(port, token, csv_data, "text/csv", "/tianhe/shipai/mingyuan/register/@import")
    results.append((f"HTTP API: import {UNITS} units (CSV), whole request", seconds))
    lines.append(f"# API answer: applied={body['applied']} added={len(body['added'])}")
    seconds, body = api_run(port, token, csv_data, "text/csv", "/tianhe/shipai/mingyuan/register/@import")
    results.append(("HTTP API: re-import the unchanged file, whole request", seconds))
    lines.append(f"# API answer: unchanged={body['unchanged']} changed={len(body['changed'])}")


def main():
    rows = community_rows(UNITS, seed=7)
    csv_data, xlsx_data = as_csv(rows), write_xlsx(list(COLUMNS), rows)
    results, lines = [], []
    with tempfile.TemporaryDirectory() as folder:
        app = make_app({}, **{
            "zodbconn.uri": f"file://{folder}/Data.fs?blobstorage_dir={folder}/blobs",
            "retry.attempts": "10", "tm.manager_hook": "pyramid_tm.explicit_manager",
            "portal.secret": "bench-secret", "portal.id_key": "bench-id-key",
        })
        build_demo(app)          # in the registry, so that events hang each community's children
        db = app.registry._zodb_databases[""]
        domain_run(app, csv_data, "register.csv", ("tianhe", "shipai", "qiaoyuan"), results)
        domain_run(app, xlsx_data, "register.xlsx", ("tianhe", "linhe", "linfeng"), results)
        with served(app) as server:
            api_runs(server.effective_port, csv_data, results, lines)
        db.close()
        size = os.path.getsize(os.path.join(folder, "Data.fs"))
    lines += [f"{label:60} {seconds:7.2f} s" for label, seconds in results]
    lines.append(f"Data.fs after three {UNITS}-unit registers: {size / 1e6:.1f} MB")
    print(write_results("register.txt", "register import", lines,
                        [f"{os.cpu_count()} cores; {UNITS} units, about {len(rows)} rows; target: under 5 s"]))


if __name__ == "__main__":
    main()
