"""Backups with repozo, full then incremental, restored into a new folder with the same votes."""
import subprocess
import time
import sys
from pathlib import Path

import transaction
from ZODB import DB
from ZODB.FileStorage import FileStorage

from portal.bootstrap import ROOT_KEY
from tests.conftest import ini_file
from tests.test_voting import ALL_AGREE, BALLOT, owner, voting_time

REPOZO = [str(Path(sys.executable).parent / "repozo")]


def repozo(*args):
    done = subprocess.run(REPOZO + list(args), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done


def test_full_and_incremental_backups_restore_the_same_votes(app, db, tmp_path, portal_in):
    voting_time(portal_in)
    client, headers = owner(app, "owner1")
    client.post_json(BALLOT + "/@vote", {"votes": ALL_AGREE}, headers=headers)
    backups = tmp_path / "backups"
    backups.mkdir()
    data_fs = str(tmp_path / "Data.fs")
    repozo("-B", "-r", str(backups), "-f", data_fs)                   # full
    time.sleep(1.1)          # repozo names its files by the second
    client, headers = owner(app, "owner2")
    client.post_json(BALLOT + "/@vote", {"votes": ALL_AGREE}, headers=headers)
    repozo("-B", "-r", str(backups), "-f", data_fs)                   # incremental
    assert sorted(p.suffix for p in backups.iterdir() if p.suffix in (".fs", ".deltafs")) == [".deltafs", ".fs"]
    restored = tmp_path / "restored"
    restored.mkdir()
    repozo("-R", "-r", str(backups), "-o", str(restored / "Data.fs"))
    copy = DB(FileStorage(str(restored / "Data.fs"), read_only=True))
    try:
        conn = copy.open()
        box = conn.root()[ROOT_KEY]["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"].box
        accounts = conn.root()[ROOT_KEY].accounts
        assert sorted(accounts.get(r["account"]).login for _k, r in box.records()) == ["owner1", "owner2"]
        assert box.voted_owners() == 2
    finally:
        transaction.abort()
        copy.close()


def test_packing_keeps_the_votes_and_the_audit_chain_and_shrinks_the_file(app, db, tmp_path, portal_in):
    voting_time(portal_in)
    for login in ("owner1", "owner2"):
        client, headers = owner(app, login)
        client.post_json(BALLOT + "/@vote", {"votes": ALL_AGREE}, headers=headers)
    for n in range(20):                      # revisions to drop: the same street edited again and again
        with portal_in(commit=True) as portal:
            portal["tianhe"].title = f"天河区 {n}"
    db.close()                               # a FileStorage is packed with the application stopped
    data_fs = tmp_path / "Data.fs"
    before = data_fs.stat().st_size
    done = subprocess.run([str(Path(sys.executable).parent / "portal-pack"), str(ini_file(tmp_path)), "--days", "0"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "audit log intact" in done.stdout
    assert data_fs.stat().st_size < before
    packed = DB(FileStorage(str(data_fs), read_only=True))
    try:
        conn = packed.open()
        box = conn.root()[ROOT_KEY]["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"].box
        assert box.voted_owners() == 2 and len(box.records()) == 2
        assert conn.root()[ROOT_KEY]["tianhe"].title == "天河区 19"
    finally:
        transaction.abort()
        packed.close()
