"""Upgrades without fear (issue 21): a database made by the previous release's code (the fixture in
tests/fixtures/, made by make_release_fixture.py with that release) is served by this release
after its evolve steps, with every vote, receipt and audit entry intact."""
import gzip
import io
import json
from pathlib import Path

import pytest
import webtest
from ZODB import DB
from ZODB.FileStorage import FileStorage

from portal import evolve, main

FIXTURES = Path(__file__).resolve().parent / "fixtures"
RELEASES = sorted(p.name.removesuffix(".json") for p in FIXTURES.glob("release-*.json"))


def restored(folder, release):
    """A FileStorage in ``folder`` holding the release's exported portal as its root."""
    storage = FileStorage(str(folder / "Data.fs"), blob_dir=str(folder / "blobs"))
    db = DB(storage)
    with db.transaction() as conn:
        with gzip.open(FIXTURES / f"{release}.zexp.gz", "rb") as packed:
            conn.root()["portal"] = conn.importFile(io.BytesIO(packed.read()))
    db.close()


@pytest.fixture(params=RELEASES)
def upgraded(request, tmp_path):
    manifest = json.loads((FIXTURES / f"{request.param}.json").read_text(encoding="utf-8"))
    restored(tmp_path, request.param)
    app = main({}, **{"zodbconn.uri": f"file://{tmp_path}/Data.fs?blobstorage_dir={tmp_path}/blobs",
                      "retry.attempts": "3", "tm.manager_hook": "pyramid_tm.explicit_manager",
                      "portal.secret": manifest["secret"], "portal.id_key": manifest["id_key"],
                      "portal.clock_override": "true", "portal.outbox_file": f"{tmp_path}/outbox.jsonl"})
    yield app, manifest
    app.registry._zodb_databases[""].close()


def json_client(app, login=None):
    client = webtest.TestApp(app, extra_environ={"HTTP_ACCEPT": "application/json"})
    if login:
        token = client.post_json("/@login", {"login": login, "password": f"{login}-demo"}).json["token"]
        client.authorization = ("Bearer", token)
    return client


def test_there_is_a_fixture_of_the_previous_release():
    assert RELEASES, "tests/fixtures holds no release fixture"


def test_the_previous_release_is_served_after_its_evolve_steps(upgraded):
    app, manifest = upgraded
    db = app.registry._zodb_databases[""]
    with db.transaction() as conn:
        portal = conn.root()["portal"]
        assert evolve.pending(portal) == []              # every step ran, and was recorded
        intact, count, _bad = portal.audit_log.verify()
        entries = list(portal.audit_log.entries())
        assert intact and count >= manifest["audit_count"]
        assert [e["action"] for e in entries[:manifest["audit_count"]]] == manifest["audit_actions"]
        assert entries[manifest["audit_count"] - 1]["hash"] == manifest["audit_last_hash"]
    ballot = manifest["ballot"]
    admin = json_client(app, "admin")
    admin.post_json("/@clock", {"now": manifest["clock"]})
    owner = json_client(app, "owner1")
    progress = owner.get(ballot + "/@progress").json
    assert {k: progress[k] for k in ("voted_owners", "voted_area", "total_owners", "total_area")} == {
        k: manifest["progress"][k] for k in ("voted_owners", "voted_area", "total_owners", "total_area")}
    for login, made in manifest["receipts"].items():
        checked = json_client(app, login).get(ballot + "/@receipt", {"code": made["receipt"]}).json
        assert checked["matters"] == made["marks"]
    # the upgraded database goes on working: a new vote lands, a repeated one is refused
    third = json_client(app, "owner3")
    assert third.post_json(ballot + "/@vote", {"votes": {"m1": "agree", "m2": "agree", "m3": "agree"}}).status_int == 200
    owner.post_json(ballot + "/@vote", {"votes": {"m1": "oppose", "m2": "oppose", "m3": "oppose"}}, status=409)
    assert owner.get(ballot + "/@progress").json["voted_owners"] == manifest["progress"]["voted_owners"] + 1
