"""The same code on RelStorage over PostgreSQL: only the zodbconn URI differs.  A private
PostgreSQL server is started on a loopback port; two application processes serve one database; a
vote through one shows in the progress read through the other, and a concurrent vote load through
both ends with every vote recorded once and totals equal to a recount.  Skips, saying why, where
PostgreSQL or RelStorage's driver is missing."""
import datetime
import subprocess
import threading
import urllib.request

import pytest
import zodburi
from ZODB import DB
from ZODB.FileStorage import FileStorage

from portal.bootstrap import ROOT_KEY
from tests.support import loopback, postgres
from tests.support.loopback import DEMO_BALLOT, DEMO_COMMUNITY, api
from tests.two_processes import SECRET, serve_two, vote_through_one_read_through_other

VOTERS = 40

pytestmark = pytest.mark.skipif(postgres.unavailable() is not None, reason=postgres.unavailable() or "")


@pytest.fixture
def relstorage(tmp_path):
    processes = []
    with postgres.PrivateServer() as server:
        uri = server.create_database("portal")
        try:
            ports = serve_two(tmp_path, lambda port: f"{uri}?blob_dir={tmp_path}/cache-{port}&shared_blob_dir=false",
                              processes)
            yield uri, ports
        finally:
            loopback.stop(processes)


def open_database(uri):
    factory, options = zodburi.resolve_uri(uri)
    return DB(factory(), **options)


def test_a_vote_through_one_process_shows_in_the_other_over_postgresql(relstorage):
    _uri, ports = relstorage
    vote_through_one_read_through_other(*ports)


def test_concurrent_votes_through_two_processes_are_each_recorded_once(relstorage):
    uri, ports = relstorage
    db = open_database(uri)
    try:
        tokens = loopback.demo_voting(db, SECRET, VOTERS)
    finally:
        db.close()
    statuses, lock = [], threading.Lock()

    def client(offset):
        for n in range(offset, len(tokens), 8):
            status, _answer = api(ports[n % 2], "POST", DEMO_BALLOT + "/@vote",
                                  {"votes": {"m1": "agree", "m2": "oppose", "m3": "abstain"}}, tokens[n])
            with lock:
                statuses.append(status)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * len(tokens)
    for port in ports:
        assert api(port, "GET", DEMO_BALLOT + "/@progress", token=tokens[0])[1]["voted_owners"] == len(tokens)

    db = open_database(uri)
    try:
        with db.transaction() as conn:
            district, street, name = DEMO_COMMUNITY
            box = conn.root()[ROOT_KEY][district][street][name]["ballots"]["b2"].box
            records = box.records()
            assert len(records) == len(tokens) == box.voted_owners()
            assert box.voted_area() == sum(box.areas[key] for key, _record in records)
            assert len({record["account"] for _key, record in records}) == len(tokens)
    finally:
        db.close()


CONVERT = """%import relstorage
<filestorage source>
  path {folder}/Data.fs
  blob-dir {folder}/blobs
</filestorage>
<relstorage destination>
  blob-dir {folder}/blobcache
  shared-blob-dir false
  <postgresql>
    dsn {dsn}
  </postgresql>
</relstorage>
"""


def test_a_file_storage_moves_to_postgresql_with_zodbconvert(tmp_path):
    """The move the README describes: zodbconvert with that configuration, blobs included."""
    from portal import uploads

    plan = b"%PDF-1.4 the lift replacement plan %%EOF"
    ini = loopback.write_ini(tmp_path, f"file://{tmp_path}/Data.fs?blobstorage_dir={tmp_path}/blobs", 0,
                             SECRET, "two-process-key")
    loopback.init(ini, "--demo")
    db = DB(FileStorage(str(tmp_path / "Data.fs"), blob_dir=str(tmp_path / "blobs")))
    with db.transaction() as conn:
        district, street, name = DEMO_COMMUNITY
        ballot = conn.root()[ROOT_KEY][district][street][name]["ballots"]["b2"]
        ballot.attachments = (uploads.stored_file("电梯方案.pdf", plan, datetime.datetime.now(datetime.timezone.utc)),)
    db.close()
    with postgres.PrivateServer() as server:
        uri = server.create_database("portal")
        (tmp_path / "convert.conf").write_text(CONVERT.format(folder=tmp_path, dsn=server.dsn("portal")))
        done = subprocess.run([str(loopback.BIN / "zodbconvert"), str(tmp_path / "convert.conf")],
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr[-2000:]
        port = loopback.free_port()
        process = loopback.start(loopback.write_ini(
            tmp_path, f"{uri}?blob_dir={tmp_path}/cache-{port}&shared_blob_dir=false", port, SECRET, "two-process-key"))
        try:
            loopback.wait_for(port)
            assert api(port, "GET", DEMO_BALLOT)[1]["attachments"][0]["filename"] == "电梯方案.pdf"
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{DEMO_BALLOT}/@attachment?n=0") as response:
                assert response.read() == plan
        finally:
            loopback.stop([process])
