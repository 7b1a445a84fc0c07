"""Elections and choices end to end on the demo's b3 (9 candidates for 5 seats, 2 alternates; a
choice of 3 plans): the real form, the server's refusals, results after the close, paper ballots
through the JSON API (a paper election with too many agrees is void and takes part)."""
import datetime
import json
import re

import pytest
from webtest import Upload

from portal import clock
from portal.ballots.rules import midnight
from portal.demo import DEMO_CANDIDATES, publish_election_notice
from tests.test_voting import BALLOT as B2, owner, voting_time

B3 = "/tianhe/shipai/mingyuan/ballots/b3"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CHINESE = re.compile("[\u4e00-\u9fff]")
SIX_AGREES = {f"c{n}": "agree" for n in range(1, 7)}


def b3_of(portal):
    return portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b3"]


def election_time(portal_in, days_in=1):
    """b3's notice published (the demo leaves it approved), then the clock in its voting window."""
    with portal_in(commit=True) as portal:
        start = publish_election_notice(portal, clock.now()).start_date
    clock.set_now(midnight(start) + datetime.timedelta(days=days_in, hours=9))


def after_close(portal_in):
    with portal_in() as portal:
        end = b3_of(portal).end_date
    clock.set_now(midnight(end + datetime.timedelta(days=1)) + datetime.timedelta(hours=9))


def radios(form):
    """The form's radio groups in order: candidates c1 ... c9, then the choice m2 (deform names
    each group by its field's oid)."""
    return [name for name, fields in form.fields.items() if type(fields[0]).__name__ == "Radio"]


def mark_form(form, marks, choice):
    names = radios(form)
    assert len(names) == len(DEMO_CANDIDATES) + 1
    for name, value in zip(names, marks):
        form[name] = value
    form[names[-1]] = choice


def recorded(portal_in):
    with portal_in() as portal:
        return b3_of(portal).box.records()


def test_an_owner_votes_on_an_election_and_a_choice_through_the_form(app, as_role, portal_in):
    election_time(portal_in)
    client = as_role("owner1")
    page = client.get(B3 + "/@vote")
    assert "已选同意" in page.text and DEMO_CANDIDATES[8][1] in page.text and "业主自行管理" in page.text
    form = page.forms["form"]
    marks = ["agree"] * 5 + ["oppose", "oppose", "abstain", "abstain"]
    mark_form(form, marks, "o2")
    confirm = form.submit("review")
    items = [li.text for li in confirm.html.select("ul.candidate-marks li")]
    assert items == [f"{name}: {'✓ 同意' if m == 'agree' else '✗ 不同意' if m == 'oppose' else '○ 弃权'}"
                     for (name, _s), m in zip(DEMO_CANDIDATES, marks)]
    assert "公开招标选聘物业服务企业" in confirm.text
    assert recorded(portal_in) == []                              # not before the confirmation
    receipt = confirm.forms["confirm"].submit("confirm")
    code = receipt.html.select(".receipt-code")[0].text.strip()
    assert len(code) == 14
    check = receipt.click(href="@receipt")
    rows = check.html.select("ol.choices li")
    assert len(rows) == 2
    election_row = " ".join(rows[0].text.split())
    for (name, _statement), given in zip(DEMO_CANDIDATES, marks):
        words = {"agree": "✓ 同意", "oppose": "✗ 不同意", "abstain": "○ 弃权"}[given]
        assert f"{name} {words}" in election_row
    assert "公开招标选聘物业服务企业" in rows[1].text
    ((_owner, record),) = recorded(portal_in)
    assert record["matters"] == {"m1": {f"c{n}": m for n, m in enumerate(marks, start=1)}, "m2": "o2"}


def test_a_sixth_agree_is_refused_by_the_server_and_nothing_is_recorded(app, as_role, portal_in, db):
    election_time(portal_in)
    client = as_role("owner2")
    form = client.get(B3 + "/@vote").forms["form"]
    mark_form(form, ["agree"] * 6, "o1")
    before = db.lastTransaction()
    refused = form.submit("review", status=400)
    assert "最多只能同意 5 位候选人，您同意了 6 位。" in refused.text
    assert db.lastTransaction() == before
    assert recorded(portal_in) == []


BAD_VOTES = {
    "more agrees than seats": (B3, {"m1": SIX_AGREES, "m2": "o1"}, "最多只能同意 5 位候选人"),
    "unknown candidate": (B3, {"m1": {"c10": "agree"}, "m2": "o1"}, "本次选举没有候选人 c10"),
    "unknown option": (B3, {"m1": {}, "m2": "o9"}, None),
    "a question marked with a dict": (B2, {"m1": {"c1": "agree"}, "m2": "agree", "m3": "agree"}, None),
    "a choice given a list": (B3, {"m1": {}, "m2": ["o1", "o2"]}, None),
    "an election given a string": (B3, {"m1": "agree", "m2": "o1"}, None),
}


@pytest.mark.parametrize("case", sorted(BAD_VOTES))
def test_bad_marks_through_the_json_api_are_refused_in_chinese(app, portal_in, db, case):
    path, votes, words = BAD_VOTES[case]
    (voting_time if path == B2 else election_time)(portal_in)
    client, headers = owner(app, "owner3")
    before = db.lastTransaction()
    res = client.post_json(path + "/@vote", {"votes": votes}, headers=headers, status=400)
    text = res.json["message"] + " ".join(res.json.get("errors", {}).values())
    assert CHINESE.search(res.json["message"]) and all(CHINESE.search(v) for v in res.json["errors"].values())
    assert "m1" in str(res.json["errors"]) or "m2" in str(res.json["errors"])
    if words:
        assert words in text
    assert db.lastTransaction() == before


def paper_entry(client, headers, unit, votes, status=201):
    return client.post(B3 + "/@paper", {"unit": unit, "votes": json.dumps(votes)},
                       upload_files=[("scan", "ballot.pdf", PDF)], headers=headers, status=status)


def unvoted_units(portal_in, count):
    """Units of owners who hold one unit each and have no account: street offices get their paper."""
    with portal_in() as portal:
        register = b3_of(portal).community["register"]
        units = [u.__name__ for u in register.values() if u.kind == "dwelling" and len(u.owners) == 1
                 and u.owners[0].id_hash not in register.bindings]
    return units[:count]


def results_after_close(app, api, portal_in):
    """The matters of b3's preliminary results, as an owner reads them (new sign-ins: a token
    lives 12 hours)."""
    after_close(portal_in)
    street, street_headers = api("street")
    street.post_json(B3 + "/@workflow/publish_preliminary", {}, headers=street_headers)
    client, headers = owner(app, "owner1")
    return client.get(B3 + "/@results", headers=headers).json["matters"]


def test_a_paper_election_with_too_many_agrees_is_void_but_takes_part(app, api, portal_in):
    election_time(portal_in)
    organizer, org_headers = api("organizer")
    street, street_headers = api("street")
    void_unit, good_unit = unvoted_units(portal_in, 2)
    entered = paper_entry(organizer, org_headers, void_unit, {"m1": SIX_AGREES, "m2": "o3"}).json
    assert entered["id"] == "p1" and entered["state"] == "pending"
    second = paper_entry(organizer, org_headers, good_unit, {"m1": {"c1": "agree", "c9": "oppose"}, "m2": "abstain"})
    assert second.json["id"] == "p2"
    listed = street.get(B3 + "/@paper", headers=street_headers).json["items"]
    assert [(p["id"], p["state"]) for p in listed] == [("p1", "pending"), ("p2", "pending")]
    assert [m["title"] for m in listed[0]["matters"]] == ["选举明苑小区第三届业主委员会委员", "选择小区物业服务方式"]
    refused = street.post_json(B3 + "/@paper-review", {"id": "p2", "decision": "reject"},
                               headers=street_headers, status=400)
    assert refused.json["message"] == "请说明驳回的理由。" or CHINESE.search(refused.json["message"])
    street.post_json(B3 + "/@paper-review", {"id": "p9", "decision": "approve"}, headers=street_headers, status=404)
    for paper_id in ("p1", "p2"):
        done = street.post_json(B3 + "/@paper-review", {"id": paper_id, "decision": "approve"},
                                headers=street_headers).json
        assert done["state"] == "approved"
    again = street.post_json(B3 + "/@paper-review", {"id": "p1", "decision": "approve"},
                             headers=street_headers, status=409)
    assert CHINESE.search(again.json["message"])
    client, headers = owner(app, "owner1")
    assert client.get(B3 + "/@progress", headers=headers).json["voted_owners"] == 2
    election, choice = results_after_close(app, api, portal_in)
    assert election["participating_owners"] == 2 and election["void_owners"] == 1
    assert election["void_area"] != "0.00"
    c1 = election["candidates"][0]
    assert (c1["agree_owners"], c1["oppose_owners"], c1["abstain_owners"]) == (1, 0, 0)    # the void one: none
    assert sum(c["oppose_owners"] for c in election["candidates"]) == 1
    assert choice["participating_owners"] == 2 and choice["abstain_owners"] == 1
    assert {o["id"]: o["owners"] for o in choice["options"]} == {"o1": 0, "o2": 0, "o3": 1}   # its choice counts


def test_paper_entry_by_json_refuses_bad_input_in_chinese(app, api, portal_in, db):
    election_time(portal_in)
    organizer, headers = api("organizer")
    (unit,) = unvoted_units(portal_in, 1)
    before = db.lastTransaction()
    for votes in ({"m1": {"c10": "agree"}, "m2": "o1"}, {"m1": {}, "m2": ["o1"]}, {"m1": "agree", "m2": "o1"}):
        res = paper_entry(organizer, headers, unit, votes, status=400)
        assert all(CHINESE.search(v) for v in res.json["errors"].values())
    res = organizer.post(B3 + "/@paper", {"unit": unit, "votes": "{not json"},
                         upload_files=[("scan", "b.pdf", PDF)], headers=headers, status=400)
    assert CHINESE.search(res.json["message"])
    res = organizer.post(B3 + "/@paper", {"unit": unit, "votes": json.dumps({"m1": {}, "m2": "o1"})},
                         headers=headers, status=400)                            # no scan
    assert "scan" in res.json["errors"]
    res = paper_entry(organizer, headers, "nosuchunit", {"m1": {}, "m2": "o1"}, status=400)
    assert "unit" in res.json["errors"]
    assert db.lastTransaction() == before
    anon_client, anon_headers = api()
    anon_client.get(B3 + "/@paper", headers=anon_headers, status=401)
    owner_client, owner_headers = owner(app, "owner1")
    owner_client.get(B3 + "/@paper", headers=owner_headers, status=403)


def test_paper_page_entry_of_an_election_shows_every_mark(app, as_role, portal_in):
    election_time(portal_in)
    (unit,) = unvoted_units(portal_in, 1)
    organizer = as_role("organizer")
    form = organizer.get(B3 + "/@paper").forms["form"]
    form["unit"] = unit
    mark_form(form, ["agree"] * 6, "o1")                      # on paper more agrees than seats are taken
    form["upload"] = Upload("ballot.pdf", PDF)
    page = form.submit("enter").follow()
    row = " ".join(page.html.select("table.grid tbody tr")[0].text.split())
    assert "委员: 陈建华 ✓ 同意; 李秀英 ✓ 同意" in row and "郑海涛 ○ 弃权" in row    # matters by title, not id
    assert "选择小区物业服务方式: 续聘现物业服务企业" in row and "m1:" not in row
    with portal_in() as portal:
        (record,) = b3_of(portal).paper.values()
        assert record["matters"]["m1"]["c6"] == "agree" and record["matters"]["m2"] == "o1"


def everyone_votes(portal_in):
    """Every owner group of b3 votes electronically: c1-c3 agreed by all; four in five also agree
    to c4 and c5, the fifth to c6 and c7; four in five choose o2, the fifth o1 (whole numbers of
    owners, so the figures below are exact)."""
    from portal.voting import service

    with portal_in(commit=True) as portal:
        ballot = b3_of(portal)
        groups = {}
        for unit, owner_key in sorted(ballot.box.owner_of_unit.items()):
            groups.setdefault(owner_key, unit)
        for n, (owner_key, unit) in enumerate(sorted(groups.items())):
            extra = ("c4", "c5") if n % 5 else ("c6", "c7")
            votes = {"m1": {c: "agree" for c in ("c1", "c2", "c3") + extra} | {"c9": "oppose"},
                     "m2": "o2" if n % 5 else "o1"}
            service.record(ballot, f"test{n}", [unit], votes, clock.now())
        return len(groups), sum(1 for n in range(len(groups)) if n % 5 == 0)


def test_results_of_an_election_and_a_choice_in_json(app, api, portal_in):
    election_time(portal_in)
    voters, fifth = everyone_votes(portal_in)
    election, choice = results_after_close(app, api, portal_in)
    assert election["kind"] == "election" and election["seats"] == 5
    assert election["participating_owners"] == voters and election["void_owners"] == 0
    assert election["void_area"] == "0.00" and election["quorum_met"] is True
    by_id = {c["id"]: c for c in election["candidates"]}
    assert [c["name"] for c in election["candidates"]] == [name for name, _s in DEMO_CANDIDATES]
    assert by_id["c1"]["agree_owners"] == voters and by_id["c9"]["oppose_owners"] == voters
    assert by_id["c6"]["agree_owners"] == fifth and by_id["c8"]["abstain_owners"] == voters
    assert {c for c, r in by_id.items() if r["elected"]} == {"c1", "c2", "c3", "c4", "c5"}
    assert [by_id[c]["rank"] for c in ("c1", "c2", "c3")] == [1, 1, 1]          # tied candidates share a rank
    assert by_id["c4"]["rank"] == by_id["c5"]["rank"] == 4
    for cid in ("c6", "c7", "c8", "c9"):                                         # not qualified: no rank
        assert (by_id[cid]["qualified"], by_id[cid]["rank"], by_id[cid]["elected"], by_id[cid]["alternate"]) \
            == (False, None, False, False)
    assert election["unfilled_seats"] == 0 and election["tied"] == []
    assert set(by_id["c1"]) >= {"id", "name", "agree_owners", "agree_area", "oppose_owners", "oppose_area",
                                "abstain_owners", "abstain_area", "qualified", "rank", "elected", "alternate"}
    assert choice["kind"] == "choice" and choice["quorum_met"] is True
    assert choice["participating_owners"] == voters and choice["abstain_owners"] == 0
    assert [(o["id"], o["owners"], o["adopted"]) for o in choice["options"]] == [
        ("o1", fifth, False), ("o2", voters - fifth, True), ("o3", 0, False)]
    assert choice["adopted"] == "o2"
    assert {"total_owners", "total_area", "participating_area", "abstain_area"} <= set(choice)


def test_without_quorum_nobody_is_elected_and_no_option_adopted(app, api, portal_in):
    election_time(portal_in)
    client, headers = owner(app, "owner1")
    client.post_json(B3 + "/@vote", {"votes": {"m1": {"c1": "agree"}, "m2": "o1"}}, headers=headers)
    election, choice = results_after_close(app, api, portal_in)
    assert election["quorum_met"] is False and election["unfilled_seats"] == 5
    assert not any(c["elected"] or c["alternate"] for c in election["candidates"])
    assert choice["quorum_met"] is False and choice["adopted"] is None


def test_paper_votes_sent_as_a_file_or_as_json_body_are_refused(app, api, portal_in, db):
    election_time(portal_in)
    organizer, headers = api("organizer")
    (unit,) = unvoted_units(portal_in, 1)
    before = db.lastTransaction()
    res = organizer.post(B3 + "/@paper", {"unit": unit}, upload_files=[("votes", "v.json", b"{}"), ("scan", "b.pdf", PDF)],
                         headers=headers, status=400)
    assert res.json["errors"]["votes"] == "请以 JSON 文本 {事项编号: 选择} 填写 votes。"
    res = organizer.post_json(B3 + "/@paper", {"unit": unit, "votes": {"m1": {}, "m2": "o1"}}, headers=headers,
                              status=400)
    assert CHINESE.search(res.json["message"])
    assert db.lastTransaction() == before
