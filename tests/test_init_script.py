"""portal-init: the demo city with --demo, only an administrator without it."""
import os
import subprocess
import sys

import transaction
from ZODB import DB
from ZODB.FileStorage import FileStorage

from portal.bootstrap import ROOT_KEY


def write_ini(tmp_path):
    ini = tmp_path / "site.ini"
    ini.write_text(
        "[app:main]\nuse = egg:portal\n"
        f"zodbconn.uri = file://{tmp_path}/Data.fs?blobstorage_dir={tmp_path}/blobs\n"
        "portal.secret = s\nportal.id_key = k\n"
    )
    return ini


def run_init(ini, *args, env=None):
    return subprocess.run([sys.executable, "-m", "portal.scripts.init", str(ini), *args],
                          capture_output=True, text=True, env=dict(os.environ, **(env or {})),
                          stdin=subprocess.DEVNULL)


def open_portal(tmp_path):
    db = DB(FileStorage(str(tmp_path / "Data.fs"), blob_dir=str(tmp_path / "blobs")))
    conn = db.open()
    return db, conn.root()[ROOT_KEY]


def test_demo_creates_the_city_and_the_demo_accounts(tmp_path):
    done = run_init(write_ini(tmp_path), "--demo")
    assert done.returncode == 0, done.stderr
    db, portal = open_portal(tmp_path)
    try:
        assert len(portal) == 11
        assert portal["tianhe"]["shipai"].title == "石牌街道"
        assert portal["tianhe"]["shipai"]["mingyuan"].title == "明苑小区"
        assert all(len(district) >= 2 for district in portal.values())
        for login in ("admin", "district", "street", "organizer"):
            assert portal.accounts.by_login(login).check_password(f"{login}-demo")
    finally:
        transaction.abort()
        db.close()


def test_without_demo_only_the_administrator_is_created(tmp_path):
    env = {"PORTAL_ADMIN_LOGIN": "chief", "PORTAL_ADMIN_PASSWORD": "a-long-secret"}
    done = run_init(write_ini(tmp_path), env=env)
    assert done.returncode == 0, done.stderr
    assert "a-long-secret" not in done.stdout + done.stderr
    db, portal = open_portal(tmp_path)
    try:
        assert len(portal) == 0
        chief = portal.accounts.by_login("chief")
        assert chief.check_password("a-long-secret")
        assert portal.local_roles[chief.uid] == ("admin",)
        assert [a.login for a in portal.accounts.staff()] == ["chief"]
    finally:
        transaction.abort()
        db.close()


def test_a_short_administrator_password_is_refused(tmp_path):
    done = run_init(write_ini(tmp_path), env={"PORTAL_ADMIN_LOGIN": "chief", "PORTAL_ADMIN_PASSWORD": "short"})
    assert done.returncode != 0
    assert "at least 8" in done.stderr


def test_the_city_generator_builds_communities_with_registers(tmp_path):
    ini = write_ini(tmp_path)
    assert run_init(ini, "--demo").returncode == 0
    done = subprocess.run([sys.executable, "-m", "portal.scripts.generate_city", str(ini), "--communities", "3",
                           "--units", "40"], capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    db, portal = open_portal(tmp_path)
    try:
        community = portal["haizhu"]["gen-s0"]["gen-c1"]
        assert community["register"].summary["all_units"] >= 40
        assert community.register_summary["units"] > 0
    finally:
        transaction.abort()
        db.close()
