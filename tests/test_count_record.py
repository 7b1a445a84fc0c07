"""The paper count record (issue 19, "Supervised paper counting"): who counts, issued and returned,
second entries and mismatches, and the reconciliation on the desk, the results and the filing."""
import datetime
import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from portal import clock
from portal.ballots.rules import midnight
from tests.test_paper import (approve, ballot_of, enter, open_count, radios, room_titles, second_organizer,
                              unbound_unit)
from tests.test_voting import ALL_AGREE, BALLOT, owner, voting_time


def counter_names(portal_in, personal):
    with portal_in() as portal:
        return [personal.decrypt(p["name_enc"]) for p in ballot_of(portal).paper_count["people"]]


def test_the_organizer_opens_a_count_record_naming_owners_by_room(app, as_role, portal_in):
    voting_time(portal_in)
    page = open_count(as_role, portal_in).follow()
    assert "计票记录已保存" in page.text
    names = counter_names(portal_in, app.registry.personal_data)
    assert len(names) == 2 and all(name in page.text for name in names)          # shown to the organizer
    assert "发出票数" in page.text and page.html.select_one(".rec-issued td").text == "10"
    assert page.html.select_one(".rec-returned td").text == "8"
    assert "已收回的票中还有 8 张尚未录入" in page.text
    with portal_in() as portal:
        entries = [dict(e) for e in portal.audit_log.under(BALLOT)]
        stored = ballot_of(portal).paper_count["people"][0]["name_enc"]
    assert entries[0]["action"] == "paper.count"
    assert isinstance(stored, bytes) and names[0].encode() not in stored       # encrypted at rest
    assert not [n for n in names if n in json.dumps(entries, ensure_ascii=False, default=str)]
    street = as_role("street").get(BALLOT + "/@paper-count")            # the street office reads it
    assert all(name in street.text for name in names) and "form" not in street.forms


def test_returned_more_than_issued_and_unknown_rooms_are_refused_at_the_field(as_role, portal_in, api):
    voting_time(portal_in)
    page = open_count(as_role, portal_in, issued="5", returned="6", status=400)
    assert "收回票数（6）多于发出票数（5）" in page.text
    assert page.forms["form"]["counters"].value                       # what was typed is kept
    page = open_count(as_role, portal_in, issued="-1", status=400)
    assert "请填写 0 或更大的整数" in page.text
    organizer, headers = api("organizer")
    body = {"issued": 5, "returned": 3, "second_entry": False, "counters": "99栋9999", "supervisors": "x"}
    refused = organizer.post_json(BALLOT + "/@paper-count", body, headers=headers, status=400).json
    assert "99栋9999" in refused["errors"]["counters"]
    rooms = room_titles(portal_in, 2)
    same = dict(body, counters=rooms[0], supervisors=rooms[0])
    assert "同一业主" in organizer.post_json(BALLOT + "/@paper-count", same, headers=headers, status=400).json["message"]
    done = organizer.post_json(BALLOT + "/@paper-count", dict(body, counters=rooms[0], supervisors=rooms[1]),
                               headers=headers).json
    assert done["count"] == {"issued": 5, "returned": 3, "second_entry": False, "counters": 1, "supervisors": 1}
    assert done["reconciliation"]["entered"] == 0 and done["reconciliation"]["unreturned"] == 2
    with portal_in() as portal:
        assert ballot_of(portal).paper_count["returned"] == 3


def test_a_candidate_cannot_count(app, portal_in):
    from portal.paper import count

    personal = app.registry.personal_data
    with portal_in() as portal:
        election = portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b3"]
        unit = [u for u in portal["tianhe"]["shipai"]["mingyuan"]["register"].values() if u.owners][0]
        unit.owners[0].name_enc = personal.encrypt(election.matters[0]["candidates"][0]["name"])
        other = room_titles(lambda: _same(portal), 1, skip=5)[0]
        with pytest.raises(count.CountRefused) as refused:
            count.save(election, 3, 3, False, unit.title, other, personal, "uid", clock.now())
        assert refused.value.message.startswith("A candidate")


class _same:
    def __init__(self, portal):
        self.portal = portal

    def __enter__(self):
        return self.portal

    def __exit__(self, *exc):
        return False


def second_entry(client, paper_id, choices):
    page = client.get(BALLOT + "/@paper-entry", {"id": paper_id})
    assert "不显示第一次录入的内容" in page.text          # blind: the first entry's marks are not shown
    form = page.forms["second"]
    for field, choice in zip(radios(form), choices):
        form[field] = choice
    return form.submit("second").follow()


def test_a_mismatch_is_flagged_not_counted_and_resolved_by_someone_else(app, as_role, portal_in, api):
    voting_time(portal_in)
    open_count(as_role, portal_in, second=True)
    second_organizer(portal_in)
    enter(as_role, unbound_unit(portal_in))            # agree, oppose, abstain
    organizer = as_role("organizer")
    own = organizer.get(BALLOT + "/@paper-entry", {"id": "p1"})
    assert "须由另一人核对" in own.text and "second" not in own.forms      # not the one who entered it
    street = as_role("street")
    assert "@paper-review" not in street.get(BALLOT + "/@paper-entry", {"id": "p1"}).text   # not before
    other = as_role("organizer2")
    page = second_entry(other, "p1", ("agree", "agree", "abstain"))
    assert "两次录入不一致" in page.text and "第一次录入" in page.text and "第二次录入" in page.text
    assert "resolve" not in str([f.action for f in page.forms.values()])    # not by one who entered it
    client, headers = owner(app, "owner3")
    assert client.get(BALLOT + "/@progress", headers=headers).json["voted_owners"] == 0
    street_api, street_headers = api("street")
    refused = street_api.post_json(BALLOT + "/@paper-review", {"id": "p1", "decision": "approve"},
                                   headers=street_headers, status=409).json
    assert refused["error"] == "unchecked"
    page = street.get(BALLOT + "/@paper-entry", {"id": "p1"})
    form = [f for f in page.forms.values() if f.action.endswith("@paper-resolve")][0]
    form["which"] = "second"
    page = form.submit().follow()
    assert "待审核" in page.html.select_one("p.state").text
    form = [f for f in page.forms.values() if f.action.endswith("@paper-review")][0]
    form.submit("decision", value="approve").follow()
    assert client.get(BALLOT + "/@progress", headers=headers).json["voted_owners"] == 1
    with portal_in() as portal:
        record = ballot_of(portal).paper["p1"]
        counted = [r for _k, r in ballot_of(portal).box.records()]
        actions = [e["action"] for e in portal.audit_log.under(BALLOT)]
    assert record["matters"]["m2"] == "agree" and record["first"]["m2"] == "oppose"     # both kept
    assert counted[0]["matters"]["m2"] == "agree" and counted[0]["channel"] == "paper"
    assert actions[:3] == ["paper.review", "paper.resolve", "paper.second_entry"]


def test_matching_entries_go_to_review_and_the_same_person_cannot_check(app, as_role, portal_in, api):
    voting_time(portal_in)
    open_count(as_role, portal_in, second=True)
    enter(as_role, unbound_unit(portal_in))
    organizer, headers = api("organizer")
    same = organizer.post_json(BALLOT + "/@paper-second", {"id": "p1", "votes": {
        "m1": "agree", "m2": "oppose", "m3": "abstain"}}, headers=headers, status=403).json
    assert same["error"] == "same_person" and "另一人" in same["message"]
    street, street_headers = api("street")
    street.post_json(BALLOT + "/@paper-second", {"id": "p1", "votes": {"m1": "agree"}}, headers=street_headers,
                     status=403)                                # the organizer's side enters, the street checks
    other, other_headers = api(second_organizer(portal_in))
    done = other.post_json(BALLOT + "/@paper-second", {"id": "p1", "votes": {
        "m1": "agree", "m2": "oppose", "m3": "abstain"}}, headers=other_headers).json
    assert done["state"] == "pending" and done["matters"][1]["mark"] == "oppose"
    with portal_in(commit=True) as portal:          # one who entered it the second time, now street staff too
        from portal.security import localroles
        from portal.security.roles import STREET

        localroles.grant(portal["tianhe"]["shipai"], portal.accounts.by_login("organizer2").uid, STREET)
    other, other_headers = api("organizer2")
    refused = other.post_json(BALLOT + "/@paper-review", {"id": "p1", "decision": "approve"},
                              headers=other_headers, status=403).json
    assert refused["error"] == "same_person"
    assert street.post_json(BALLOT + "/@paper-review", {"id": "p1", "decision": "approve"},
                            headers=street_headers).json["state"] == "approved"


def test_without_a_second_entry_the_street_review_is_the_check(app, as_role, portal_in, api):
    from portal.security import localroles
    from portal.security.roles import STREET

    voting_time(portal_in)
    with portal_in(commit=True) as portal:          # one person holding both roles
        uid = portal.accounts.by_login("organizer").uid
        localroles.grant(portal["tianhe"]["shipai"], uid, STREET)
    enter(as_role, unbound_unit(portal_in))
    organizer, headers = api("organizer")
    refused = organizer.post_json(BALLOT + "/@paper-review", {"id": "p1", "decision": "approve"},
                                  headers=headers, status=403).json
    assert refused["error"] == "same_person"
    page = as_role("organizer").get(BALLOT + "/@paper-entry", {"id": "p1"})
    assert "须由另一人核对" in page.text and not [f for f in page.forms.values() if f.action.endswith("@paper-review")]
    assert approve(as_role).status_int == 200


def close_and_publish(portal_in, api):
    with portal_in() as portal:
        end = ballot_of(portal).end_date
    clock.set_now(midnight(end + datetime.timedelta(days=1)) + datetime.timedelta(hours=9))
    street, headers = api("street")
    street.post_json(BALLOT + "/@workflow/publish_preliminary", {"comment": ""}, headers=headers)


def test_the_reconciliation_shows_on_the_results(app, as_role, portal_in, api):
    voting_time(portal_in)
    open_count(as_role, portal_in, issued="10", returned="3")
    client, headers = owner(app, "owner1")
    client.post_json(BALLOT + "/@vote", {"votes": ALL_AGREE}, headers=headers)
    from tests.test_paper import unit_of

    enter(as_role, unbound_unit(portal_in))
    enter(as_role, unit_of(portal_in, "owner1"))        # electronically voted: it will not count
    approve(as_role, "p1")
    approve(as_role, "p2")
    close_and_publish(portal_in, api)
    page = as_role("owner1").get(BALLOT + "/@results")
    section = page.html.select_one("section.reconciliation")
    figures = {tr["class"][0]: tr.td.text for tr in section.select("tr")}
    assert (figures["rec-issued"], figures["rec-returned"], figures["rec-entered"], figures["rec-approved"],
            figures["rec-superseded"], figures["rec-pending"]) == ("10", "3", "2", "1", "1", "0")
    assert "书面票核对" in section.text and "因电子投票优先不计入" in section.text
    with portal_in() as portal:
        names = [app.registry.personal_data.decrypt(p["name_enc"]) for p in ballot_of(portal).paper_count["people"]]
    assert not [n for n in names if n in page.text]                      # the owners' page names no counter


SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-output" / "screenshots"
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")


@needs_poppler
def test_the_count_record_is_in_the_filing_pdf_and_archive(app, as_role, portal_in, api, tmp_path):
    voting_time(portal_in)
    open_count(as_role, portal_in, issued="12", returned="2")
    enter(as_role, unbound_unit(portal_in))
    approve(as_role, "p1")
    close_and_publish(portal_in, api)
    with portal_in() as portal:
        published = ballot_of(portal).history[-1]["when"]
        names = [app.registry.personal_data.decrypt(p["name_enc"]) for p in ballot_of(portal).paper_count["people"]]
    clock.set_now(published + datetime.timedelta(days=9))
    organizer, headers = api("organizer")
    assert organizer.get(BALLOT, headers=headers).json["phase"] == "disclosed"
    path = tmp_path / "filing.pdf"
    path.write_bytes(organizer.get(BALLOT + "/@filing.pdf", headers=headers).body)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    for words in ("书面投票唱票、计票、监票记录", "发出书面表决票 12 收回 2", "录入 1 审核通过并计入 1",
                  "计票人签字", "监票人签字", "书面委托投票", "已收回的票中还有 1 张尚未录入"):
        assert words in flat, words
    assert all(name in flat for name in names) and "\ufffd" not in text
    pages = [line.split()[-1] for line in subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                                                          check=True).stdout.splitlines() if line.startswith("Pages:")][0]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = next(str(n) for n in range(1, int(pages) + 1) if "唱票、计票、监票记录" in subprocess.run(
        ["pdftotext", "-f", str(n), "-l", str(n), str(path), "-"], capture_output=True, text=True).stdout)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", page, "-l", page, "-singlefile", str(path),
                    str(SCREENSHOTS / "filing-count-record")], check=True)
    archive = zipfile.ZipFile(io.BytesIO(organizer.get(BALLOT + "/@filing.zip", headers=headers).body))
    record = json.loads(archive.read("count_record.json"))
    assert (record["issued"], record["returned"], record["entered"], record["approved"]) == (12, 2, 1, 1)
    assert sorted(record["counters"] + record["supervisors"]) == sorted(names)
    assert "count_record.json" in json.loads(archive.read("manifest.json"))["files"]
    others = b"".join(archive.read(n) for n in archive.namelist() if n != "count_record.json").decode("utf-8")
    assert not [n for n in names if n in others]                  # only the count record names them
    vote_record = organizer.get(BALLOT + "/@record", headers=headers).text
    assert not [n for n in names if n in vote_record]
