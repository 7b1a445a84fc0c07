"""The server is killed with SIGKILL in the middle of a vote load.  After a restart every vote
that was acknowledged with a 200 is there exactly once, the running totals equal a recount, and
the FileStorage passes ZODB's own consistency check (fstest)."""
import signal
import subprocess
import sys
import threading
import time

import transaction
from ZODB import DB
from ZODB.FileStorage import FileStorage

from portal.bootstrap import ROOT_KEY
from tests.support import loopback
from tests.support.loopback import DEMO_BALLOT, api

SECRET = "crash-test-secret"
VOTERS = 120


def prepare(tmp_path, port):
    ini = loopback.write_ini(tmp_path, f"file://{tmp_path}/Data.fs?blobstorage_dir={tmp_path}/blobs", port,
                             SECRET, "crash-key", clock_override="true", outbox_file=f"{tmp_path}/outbox.jsonl")
    loopback.init(ini, "--demo")
    db = DB(FileStorage(str(tmp_path / "Data.fs"), blob_dir=str(tmp_path / "blobs")))
    try:
        return ini, loopback.demo_voting(db, SECRET, VOTERS, login="crash")
    finally:
        db.close()


def vote(port, token, retry_key):
    return api(port, "POST", DEMO_BALLOT + "/@vote", {"votes": {"m1": "agree", "m2": "oppose", "m3": "abstain"}},
               token, **{"Idempotency-Key": retry_key})


def kill_in_the_middle(server, port, tokens):
    """Six clients vote; once a third of the votes are acknowledged the server gets SIGKILL.
    The acknowledged votes: {voter number: receipt}."""
    acknowledged, lock = {}, threading.Lock()

    def client(offset):
        for n in range(offset, len(tokens), 6):
            status, answer = vote(port, tokens[n], f"k{n}")
            if status == 200:
                with lock:
                    acknowledged[n] = answer["receipt"]

    threads = [threading.Thread(target=client, args=(i,)) for i in range(6)]
    try:
        loopback.wait_for(port)
        for thread in threads:
            thread.start()
        deadline = time.time() + 60
        while len(acknowledged) < VOTERS // 3 and time.time() < deadline:
            time.sleep(0.01)
    finally:
        server.send_signal(signal.SIGKILL)      # also when the test fails: no server is left behind
        server.wait()
        for thread in threads:
            if thread.ident is not None:        # started
                thread.join()
    return acknowledged


def test_acknowledged_votes_survive_a_sigkill(tmp_path):
    port = loopback.free_port()
    ini, tokens = prepare(tmp_path, port)
    acknowledged = kill_in_the_middle(loopback.start(ini), port, tokens)
    assert VOTERS // 3 <= len(acknowledged) < VOTERS

    server = loopback.start(ini)    # reopening drops a transaction the kill left half-written
    try:
        loopback.wait_for(port)         # the clients resend what got no answer
        for n in range(len(tokens)):
            status, answer = vote(port, tokens[n], f"k{n}")
            assert status in (200, 409), status
            if n in acknowledged and status == 200:
                assert answer["receipt"] == acknowledged[n]     # the same receipt, not a second vote
    finally:
        loopback.stop([server])
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
