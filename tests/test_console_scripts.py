"""Every console script against the shipped development.ini (explicit transaction manager,
retries): what it does is really in the database afterwards, and its transactions carry its note.

Each test copies development.ini into a temp folder, so %(here)s/var/ is that folder's var/."""
import datetime
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import transaction
from ZODB import DB
from ZODB.FileStorage import FileStorage
from ZODB.POSException import POSKeyError

from portal.bootstrap import ROOT_KEY

SHIPPED = Path(__file__).resolve().parent.parent / "development.ini"


@pytest.fixture
def ini(tmp_path):
    path = tmp_path / "development.ini"
    shutil.copy(SHIPPED, path)
    text = path.read_text()
    assert "tm.manager_hook = pyramid_tm.explicit_manager" in text and "retry.attempts" in text
    (tmp_path / "var").mkdir()               # as `make serve` makes it
    return path


def run(module, ini, *args, env=None):
    done = subprocess.run([sys.executable, "-m", f"portal.scripts.{module}", str(ini), *args],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          env=dict(os.environ, PYTHONWARNINGS="ignore", **(env or {})))
    assert done.returncode == 0, done.stdout[-1000:] + done.stderr[-3000:]
    return done


class Stored:
    """The ini's database opened directly (no application holds it between scripts)."""

    def __init__(self, ini):
        var = ini.parent / "var"
        self.db = DB(FileStorage(str(var / "Data.fs"), blob_dir=str(var / "blobs")))
        self.tm = transaction.TransactionManager()
        self.conn = self.db.open(self.tm)

    @property
    def portal(self):
        return self.conn.root()[ROOT_KEY]

    def notes(self):
        return [t.description.decode("utf-8") for t in self.db.storage.iterator()]

    def close(self):
        self.tm.abort()
        self.conn.close()
        self.db.close()


def stored(ini, work):
    store = Stored(ini)
    try:
        return work(store)
    finally:
        store.close()


def test_init_demo_saves_the_city_with_its_note(ini):
    assert run("init", ini, "--demo").returncode == 0

    def check(store):
        assert store.portal["tianhe"]["shipai"]["mingyuan"].title == "明苑小区"
        assert store.portal.accounts.by_login("admin").check_password("admin-demo")
        assert "portal-init --demo" in store.notes()
    stored(ini, check)


def test_init_saves_the_administrator(ini):
    done = run("init", ini, env={"PORTAL_ADMIN_LOGIN": "chief", "PORTAL_ADMIN_PASSWORD": "a-long-secret"})
    assert done.returncode == 0 and "chief created" in done.stdout

    def check(store):
        assert [a.login for a in store.portal.accounts.staff()] == ["chief"]
        assert store.portal.local_roles[store.portal.accounts.by_login("chief").uid] == ("admin",)
        assert "portal-init: the city administrator" in store.notes()
    stored(ini, check)
    again = run("init", ini, env={"PORTAL_ADMIN_LOGIN": "other", "PORTAL_ADMIN_PASSWORD": "a-long-secret"})
    assert "nothing to do" in again.stdout


def test_generate_city_saves_every_community(ini):
    run("init", ini, "--demo")
    done = run("generate_city", ini, "--communities", "3", "--units", "30")
    assert done.returncode == 0 and "3 communities" in done.stdout

    def check(store):
        for n, district in ((0, "yuexiu"), (1, "haizhu"), (2, "liwan")):
            community = store.portal[district]["gen-s0"][f"gen-c{n}"]
            assert community["register"].summary["all_units"] >= 30
            assert community.register_summary["units"] > 0
        assert {"generate-city: gen-c0", "generate-city: gen-c2"} <= set(store.notes())
    stored(ini, check)


def test_tick_saves_the_transitions_it_fires(ini):
    run("init", ini, "--demo")

    def states(store):
        ballots = store.portal["tianhe"]["shipai"]["mingyuan"]["ballots"]
        return {name: ballot.state for name, ballot in ballots.items()}

    def far_ahead(store):
        store.portal.clock_offset = datetime.timedelta(days=400).total_seconds()   # the demo clock
        store.tm.commit()
        return states(store)
    before = stored(ini, far_ahead)
    done = run("tick", ini)
    fired = int(done.stdout.split()[0])
    assert done.returncode == 0 and fired >= 1
    after = stored(ini, states)
    assert after != before
    notes = [n for n in stored(ini, Stored.notes) if n.startswith("portal-tick:")]
    assert sum(int(n.rsplit("(", 1)[1].split()[0]) for n in notes) == fired   # one transaction per ballot
    assert run("tick", ini).stdout.startswith("0 ")


def test_audit_verify_reads_the_stored_log(ini):
    run("init", ini, "--demo")

    def append(store):
        log = store.portal.audit_log
        now = datetime.datetime.now(datetime.timezone.utc)
        log.append(now, "u1", "content.create", "/tianhe")
        log.append(now, "u2", "content.edit", "/tianhe/shipai")
        store.tm.commit()
        return log.verify()[1]
    count = stored(ini, append)
    done = run("audit", ini, "verify")
    assert done.returncode == 0 and f"audit log intact: {count} entries" in done.stdout and count >= 2


def test_pack_drops_old_revisions_and_keeps_the_log(ini):
    run("init", ini, "--demo")

    def rewrite(store):
        district = store.portal["tianhe"]
        district._p_activate()
        oid, first = district._p_oid, district._p_serial
        district.title = "天河区(改)"
        store.tm.commit()
        return oid, first
    oid, first = stored(ini, rewrite)
    stored(ini, lambda store: store.db.storage.loadSerial(oid, first))      # still there before
    done = run("pack", ini, "--days", "0")
    assert done.returncode == 0 and "audit log intact" in done.stdout

    def check(store):
        with pytest.raises(POSKeyError):
            store.db.storage.loadSerial(oid, first)
        assert store.portal["tianhe"].title == "天河区(改)"
    stored(ini, check)


def test_rotate_id_key_saves_the_re_encrypted_values(ini):
    from portal.register import keyring
    from portal.register.crypto import PersonalData

    run("init", ini, "--demo")
    old = (ini.parent / "var" / "id.key").read_text().strip()
    new = "a-new-id-key-for-the-rotation-test"
    env = {"PORTAL_ID_KEY": new, "PORTAL_ID_KEY_RETIRED": old, "PORTAL_ID_LOOKUP_KEY": old}
    done = run("rotate_id_key", ini, env=env)
    assert done.returncode == 0 and "can be removed" in done.stdout, done.stdout + done.stderr[-2000:]

    def check(store):
        personal = PersonalData(new.encode(), [old.encode()], old.encode())
        assert keyring.left_behind(store.portal, personal) == 0
        owner = next(iter(store.portal["tianhe"]["shipai"]["mingyuan"]["register"].values())).owners[0]
        with pytest.raises(ValueError):
            PersonalData(old.encode()).decrypt(owner.id_enc)
        assert personal.decrypt(owner.id_enc)
        assert any(e["action"] == "register.id_key_rotated" for e in store.portal.audit_log.under("/", limit=5))
        assert "portal-rotate-id-key: /tianhe/shipai/mingyuan" in store.notes()
    stored(ini, check)


def refused(module, ini, *args):
    """A script that cannot start: its exit status and what it said, which is a sentence."""
    done = subprocess.run([sys.executable, "-m", f"portal.scripts.{module}", str(ini), *args],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120,
                          env=dict(os.environ, PYTHONWARNINGS="ignore"))
    assert done.returncode != 0 and "Traceback" not in done.stderr, done.stderr[-3000:]
    return done.returncode, done.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize("module", ["tick", "notify", "reindex", "audit", "pack"])
def test_a_script_says_that_the_var_folder_is_missing(ini, module):
    (ini.parent / "var").rmdir()
    status, said = refused(module, ini, *(["verify"] if module == "audit" else []))
    assert status == 1
    assert said == (f"cannot start: the folder {ini.parent / 'var'} does not exist; make serve makes var/ on "
                    f"its first run. See zodbconn.uri and the file paths in {ini}.")
    assert not (ini.parent / "var").exists()          # and makes nothing


def test_a_script_says_that_the_server_holds_the_database(ini):
    run("init", ini, "--demo")
    store = Stored(ini)                 # as a server on the embedded FileStorage does
    try:
        status, said = refused("tick", ini)
    finally:
        store.close()
    assert status == 1 and said.startswith("cannot start: the database is in use by another process")
    assert run("tick", ini).returncode == 0          # once it is let go


def test_a_script_says_that_the_storage_server_does_not_answer(ini):
    from tests.support.loopback import free_port

    text = ini.read_text()
    uri = next(line for line in text.splitlines() if line.startswith("zodbconn.uri"))
    ini.write_text(text.replace(uri, f"zodbconn.uri = zeo://127.0.0.1:{free_port()}?wait_timeout=1"))
    status, said = refused("tick", ini)
    assert status == 1 and said.startswith("cannot start: the storage server does not answer.")


def test_a_script_says_that_its_settings_file_is_missing(tmp_path):
    status, said = refused("tick", tmp_path / "nowhere.ini")
    assert status == 2 and said.endswith(f"error: there is no settings file {tmp_path / 'nowhere.ini'}")


def test_an_audit_says_that_its_settings_file_is_missing(tmp_path):
    status, said = refused("audit", tmp_path / "nowhere.ini", "verify")
    assert status == 1 and said == f"there is no settings file {tmp_path / 'nowhere.ini'}"
