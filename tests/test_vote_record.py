"""The vote record (issue 19, DOMAIN.md "The vote record"): after the final disclosure, one line per
owner group that voted, with a vote id an owner finds from the receipt, no rooms or names; the
results recomputed from the record alone equal the published ones, in Python and by the script."""
import datetime
import json
import subprocess
import sys

from portal import clock
from portal.ballots.rules import midnight
from portal.record.rules import vote_id_of_code
from tests.test_filing import owners_personal_data
from tests.test_voting import BALLOT, owner, voting_time

MARKS = {"owner1": {"m1": "agree", "m2": "oppose", "m3": "abstain"},
         "owner2": {"m1": "oppose", "m2": "oppose", "m3": "agree"}}


def final(app, portal_in, api):
    voting_time(portal_in)
    receipts = {}
    for login, marks in MARKS.items():
        client, headers = owner(app, login)
        receipts[login] = client.post_json(BALLOT + "/@vote", {"votes": marks}, headers=headers).json["receipt"]
    with portal_in() as portal:
        end = portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"].end_date
    published = end + datetime.timedelta(days=1)
    clock.set_now(midnight(published) + datetime.timedelta(hours=9))
    street, headers = api("street")
    street.post_json(BALLOT + "/@workflow/publish_preliminary", {"comment": ""}, headers=headers)
    clock.set_now(midnight(published + datetime.timedelta(days=8)) + datetime.timedelta(hours=9))
    street, headers = api("street")
    assert street.get(BALLOT, headers=headers).json["phase"] == "disclosed"
    return receipts


def test_the_record_is_read_only_after_the_final_disclosure(app, portal_in, api, anon):
    client, headers = owner(app, "owner1")
    client.get(BALLOT + "/@record", headers=headers, status=403)
    final(app, portal_in, api)
    client, headers = owner(app, "owner1")
    assert client.get(BALLOT + "/@record", headers=headers).json["votes"]
    anon.get(BALLOT + "/@record", headers={"Accept": "application/json"}, status=401)


def test_an_owner_finds_their_line_and_the_record_names_nobody(app, portal_in, api, as_role):
    receipts = final(app, portal_in, api)
    client, headers = owner(app, "owner1")
    record = client.get(BALLOT + "/@record", headers=headers).json
    assert record["total_owners"] == 187 and len(record["votes"]) == 2
    mine = [v for v in record["votes"] if v["vote_id"] == vote_id_of_code(receipts["owner1"].lower().replace("-", " "))]
    assert len(mine) == 1 and mine[0]["marks"] == MARKS["owner1"] and mine[0]["channel"] == "electronic"
    text = json.dumps(record, ensure_ascii=False) + client.get(BALLOT + "/@record.csv", headers=headers).text
    with portal_in() as portal:
        register = portal["tianhe"]["shipai"]["mingyuan"]["register"]
        rooms = {unit.title for unit in register.values()}
        secret = owners_personal_data(portal, app.registry.personal_data)
    assert not [s for s in secret if s in text]
    assert not [room for room in rooms if f'"{room}"' in text or f",{room}," in text]
    page = as_role("owner1").get(BALLOT + "/@record")
    assert "查找我的记录" in page.text and 'id="record-data"' in page.text


def test_the_results_recomputed_from_the_record_equal_the_published_ones(app, portal_in, api, tmp_path):
    final(app, portal_in, api)
    client, headers = owner(app, "owner1")
    record = client.get(BALLOT + "/@record", headers=headers).json
    results = client.get(BALLOT + "/@results", headers=headers).json
    (tmp_path / "record.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "results.json").write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")
    script = [sys.executable, "-m", "portal.scripts.recompute", str(tmp_path / "record.json"),
              str(tmp_path / "results.json")]
    done = subprocess.run(script, capture_output=True, text=True)
    assert done.returncode == 0 and "equal to the published results" in done.stdout, done.stdout + done.stderr
    record["votes"][0]["marks"]["m1"] = "agree" if record["votes"][0]["marks"]["m1"] != "agree" else "oppose"
    (tmp_path / "record.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    tampered = subprocess.run(script, capture_output=True, text=True)
    assert tampered.returncode == 1 and "DIFFERENT" in tampered.stdout
