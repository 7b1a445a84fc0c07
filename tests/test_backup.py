"""Backups with repozo, full then incremental, restored into a new folder with the same votes."""
import subprocess
import time
import sys
from pathlib import Path

import transaction
from ZODB import DB
from ZODB.FileStorage import FileStorage

from portal.bootstrap import ROOT_KEY
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
