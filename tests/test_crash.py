"""The server is killed with SIGKILL in the middle of a vote load.  After a restart every vote
that was acknowledged with a 200 is there exactly once, the running totals equal a recount, and
the FileStorage passes ZODB's own consistency check (fstest)."""
import datetime
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import transaction
from ZODB import DB
from ZODB.FileStorage import FileStorage

from portal.ballots.rules import midnight
from portal.binding import service as binding
from portal.bootstrap import ROOT_KEY
from portal.security import localroles
from portal.security.accounts import OWNER, Account
from portal.security.tokens import TokenService
from tests.test_zeo import free_port, wait_for

BIN = Path(sys.executable).parent
SECRET = "crash-test-secret"
VOTERS = 120
BALLOT = "/tianhe/shipai/mingyuan/ballots/b2"


def write_ini(tmp_path, port):
    ini = tmp_path / "app.ini"
    ini.write_text(
        "[app:main]\nuse = egg:portal\n"
        f"zodbconn.uri = file://{tmp_path}/Data.fs?blobstorage_dir={tmp_path}/blobs\n"
        f"retry.attempts = 10\ntm.manager_hook = pyramid_tm.explicit_manager\nportal.secret = {SECRET}\n"
        f"portal.id_key = crash-key\nportal.clock_override = true\nportal.outbox_file = {tmp_path}/outbox.jsonl\n"
        f"[server:main]\nuse = egg:waitress#main\nlisten = 127.0.0.1:{port}\nthreads = 8\n")
    return ini


def prepare(tmp_path, ini):
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    subprocess.run([str(BIN / "portal-init"), str(ini), "--demo"], env=env, check=True, capture_output=True)
    db = DB(FileStorage(str(tmp_path / "Data.fs"), blob_dir=str(tmp_path / "blobs")))
    tokens = []
    with db.transaction() as conn:
        portal = conn.root()[ROOT_KEY]
        community = portal["tianhe"]["shipai"]["mingyuan"]
        register = community["register"]
        sole = [h for h in register.identity_index.keys() if h not in register.bindings
                and all(len(u.owners) == 1 and u.kind == "dwelling" for u in register.units_of(h))][:VOTERS]
        service = TokenService(SECRET.encode())
        now = datetime.datetime.now(datetime.timezone.utc)
        for n, id_hash in enumerate(sole):
            account = portal.accounts.add(Account(f"crash{n}", "v", "crash-password", kind=OWNER))
            register.bindings[id_hash] = {"uid": account.uid, "when": now, "method": "test"}
            binding.index_binding(register, account.uid, id_hash)
            localroles.grant(community, account.uid, "owner")
            tokens.append(service.issue(account))
        ballot = community["ballots"]["b2"]
        opens = midnight(ballot.start_date) + datetime.timedelta(hours=9)
        portal.clock_offset = (opens - now).total_seconds()     # the demo clock: voting is open
    db.close()
    return tokens


def start(ini):
    return subprocess.Popen([str(BIN / "pserve"), str(ini)], env=dict(os.environ, PYTHONWARNINGS="ignore"),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def vote(port, token, retry_key):
    body = json.dumps({"votes": {"m1": "agree", "m2": "oppose", "m3": "abstain"}}).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{port}{BALLOT}/@vote", data=body, method="POST", headers={
        "Accept": "application/json", "Content-Type": "application/json", "Authorization": "Bearer " + token,
        "Idempotency-Key": retry_key})
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, None
    except OSError:
        return None, None                       # no answer: the server died


def test_acknowledged_votes_survive_a_sigkill(tmp_path):
    port = free_port()
    ini = write_ini(tmp_path, port)
    tokens = prepare(tmp_path, ini)
    server = start(ini)
    wait_for(f"http://127.0.0.1:{port}/@health")
    acknowledged, lock = {}, threading.Lock()

    def client(offset):
        for n in range(offset, len(tokens), 6):
            status, answer = vote(port, tokens[n], f"k{n}")
            if status == 200:
                with lock:
                    acknowledged[n] = answer["receipt"]

    threads = [threading.Thread(target=client, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    while len(acknowledged) < VOTERS // 3:
        time.sleep(0.01)
    server.send_signal(signal.SIGKILL)
    server.wait()
    for thread in threads:
        thread.join()
    assert 0 < len(acknowledged) < VOTERS

    server = start(ini)     # reopening drops a transaction the kill left half-written                           # the clients resend what got no answer
    try:
        wait_for(f"http://127.0.0.1:{port}/@health")
        for n in range(len(tokens)):
            status, answer = vote(port, tokens[n], f"k{n}")
            assert status in (200, 409), status
            if n in acknowledged and status == 200:
                assert answer["receipt"] == acknowledged[n]     # the same receipt, not a second vote
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
    check = subprocess.run([sys.executable, "-m", "ZODB.scripts.fstest", str(tmp_path / "Data.fs")],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr

    db = DB(FileStorage(str(tmp_path / "Data.fs"), blob_dir=str(tmp_path / "blobs"), read_only=True))
    try:
        conn = db.open()
        box = conn.root()[ROOT_KEY]["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"].box
        records = box.records()
        assert len(records) == len(tokens) == box.voted_owners()
        assert box.voted_area() == sum(box.areas[k] for k, _r in records)
        accounts = conn.root()[ROOT_KEY].accounts
        voters = {accounts.get(r["account"]).login for _k, r in records}
        assert {f"crash{n}" for n in acknowledged} <= voters
    finally:
        transaction.abort()
        db.close()
