"""The paper desk (issue 20, "Paper ballots at the desk"): a unit picker that searches and marks the
units that voted electronically before the entry, the scan beside the marks, batch approval after a
confirmation, matter titles instead of ids; and (issue 19) a correction that flips a verdict."""
import datetime

from portal import clock
from portal.ballots.rules import midnight
from tests.test_paper import PDF, approve, ballot_of, enter, unbound_unit, unit_of
from tests.test_voting import ALL_AGREE, BALLOT, owner, voting_time

FIRST_MATTER = "修订《明苑小区业主大会议事规则》"


def unit_title(portal_in, key):
    with portal_in() as portal:
        return portal["tianhe"]["shipai"]["mingyuan"]["register"][key].title


def test_the_unit_picker_searches_and_marks_electronic_votes_before_the_entry(app, as_role, portal_in):
    voting_time(portal_in)
    client, headers = owner(app, "owner1")
    client.post_json(BALLOT + "/@vote", {"votes": ALL_AGREE}, headers=headers)
    voted = unit_of(portal_in, "owner1")
    title = unit_title(portal_in, voted)
    desk = as_role("organizer").get(BALLOT + "/@paper")
    picker = [f for f in desk.forms.values() if "q" in f.fields][0]
    picker["q"] = title
    found = picker.submit()
    results = found.html.select("ul.unit-results li")
    assert [li.a.text for li in results] == [title]
    assert "已电子投票：以电子投票为准" in results[0].text
    picked = found.click(href="unit=" + voted)
    alert = picked.html.select_one("section.paper-enter p.notice[role=alert]")
    assert title in alert.text and "以电子投票为准" in alert.text
    form = picked.forms["form"]
    assert form["unit"].value == voted
    label = [text for value, _selected, text in form["unit"].options if value == voted][0]
    assert label.endswith("（已电子投票）")
    nothing = [f for f in picked.forms.values() if "q" in f.fields][0]
    nothing["q"] = "99栋9999"
    assert "没有符合条件" in nothing.submit().text


def test_matter_titles_and_the_scan_beside_the_marks(app, as_role, portal_in):
    voting_time(portal_in)
    enter(as_role, unbound_unit(portal_in))
    desk = as_role("street").get(BALLOT + "/@paper")
    table = desk.html.select_one("form.paper-batch table").text
    assert FIRST_MATTER in table and "m1:" not in table and "m2" not in table
    page = desk.click(href=r"@paper-entry\?id=p1$")
    review = page.html.select_one("div.paper-review")
    scan = review.select_one("figure.paper-scan object")
    assert scan["data"].endswith("@paper-scan?id=p1") and scan["type"] == "application/pdf"
    marks = review.select_one("div.paper-marks dl.marks").text
    assert FIRST_MATTER in marks and "m1" not in marks
    assert page.goto(scan["data"]).body == PDF


def test_batch_approval_asks_first_and_checks_each_entry(app, as_role, portal_in):
    voting_time(portal_in)
    client, headers = owner(app, "owner1")
    client.post_json(BALLOT + "/@vote", {"votes": ALL_AGREE}, headers=headers)
    enter(as_role, unbound_unit(portal_in))
    enter(as_role, unit_of(portal_in, "owner2"))
    enter(as_role, unit_of(portal_in, "owner1"))             # the electronic vote prevails over this one
    organizer_desk = as_role("organizer").get(BALLOT + "/@paper")
    assert not organizer_desk.html.select("input[name=ids]")          # not for the one who entered them
    desk = as_role("street").get(BALLOT + "/@paper")
    form = [f for f in desk.forms.values() if f.action.endswith("@paper-batch")][0]
    for box in form.fields["ids"]:
        box.checked = True
    confirm = form.submit()
    assert "批准这 3 张票？" in confirm.text and "不能撤销" in confirm.text
    with portal_in() as portal:
        assert all(r["state"] == "pending" for r in ballot_of(portal).paper.values())      # nothing yet
    done = [f for f in confirm.forms.values() if "confirmed" in f.fields][0].submit().follow()
    assert "已批准并计入 2 张" in done.text
    with portal_in() as portal:
        states = {pid: r["state"] for pid, r in ballot_of(portal).paper.items()}
        actions = [e["action"] for e in portal.audit_log.under(BALLOT)][:3]
    assert states == {"p1": "approved", "p2": "approved", "p3": "flagged"}
    assert actions == ["paper.review"] * 3
    assert not done.html.select("input[name=ids]")
    nothing = as_role("street").get(BALLOT + "/@paper-batch").follow()
    assert "请至少勾选一张" in nothing.text


def test_batch_approval_by_json_reports_each_refusal(app, as_role, portal_in, api):
    voting_time(portal_in)
    enter(as_role, unbound_unit(portal_in))
    street, headers = api("street")
    first = street.post_json(BALLOT + "/@paper-batch", {"ids": ["p1"]}, headers=headers).json
    assert first["items"] == [{"id": "p1", "state": "approved"}]
    again = street.post_json(BALLOT + "/@paper-batch", {"ids": ["p1"]}, headers=headers).json["items"][0]
    assert again["state"] == "approved" and "已审核" in again["error"]
    street.post_json(BALLOT + "/@paper-batch", {"ids": ["p9"]}, headers=headers, status=404)
    street.post_json(BALLOT + "/@paper-batch", {"ids": []}, headers=headers, status=400)


def split_the_electorate(portal_in, left_out):
    """Every owner group but ``left_out``'s votes electronically, half agreeing to the first matter
    (those with the larger areas), half opposing: it fails by one owner."""
    with portal_in(commit=True) as portal:
        ballot = ballot_of(portal)
        box = ballot.box
        unit_of_key = {}
        for unit, key in box.owner_of_unit.items():
            unit_of_key.setdefault(key, unit)
        skip = box.owner_of_unit[left_out]
        voters = sorted((k for k in box.areas.keys() if k != skip), key=lambda k: -box.areas[k])
        if len(voters) % 2:
            voters = voters[:-1]
        half = len(voters) // 2
        for n, key in enumerate(voters):
            choices = dict(ALL_AGREE, m1="agree" if n < half else "oppose")
            box.cast(f"test-voter-{n}", [unit_of_key[key]], ballot.matters, choices, clock.now())
    return half


def results(api, login="street"):
    client, headers = api(login)
    return client.get(BALLOT + "/@results", headers=headers).json["matters"][0]


def test_a_correction_after_an_upheld_objection_flips_the_verdict(app, as_role, portal_in, api):
    voting_time(portal_in)
    paper_unit = unbound_unit(portal_in)
    half = split_the_electorate(portal_in, paper_unit)
    enter(as_role, paper_unit, choices=("agree", "agree", "abstain"))
    approve(as_role, decision="reject", reason="签名不清")
    with portal_in() as portal:
        end = ballot_of(portal).end_date
    clock.set_now(midnight(end + datetime.timedelta(days=1)) + datetime.timedelta(hours=9))
    street, headers = api("street")
    street.post_json(BALLOT + "/@workflow/publish_preliminary", {"comment": ""}, headers=headers)
    before = results(api)
    assert before["quorum_met"] and not before["passed"] and before["agree_owners"] == half
    client, owner_headers = owner(app, "owner1")
    client.post_json(BALLOT + "/@objections", {"matter": "m1", "text": "一张签名清楚的纸质票被驳回。"},
                     headers=owner_headers, status=201)
    desk = as_role("street").get(BALLOT + "/@paper-entry", {"id": "p1"})
    assert not [f for f in desk.forms.values() if f.action.endswith("@paper-correct")]   # not before a decision
    street.post_json(BALLOT + "/@objections/1/@answer", {"text": "经核对扫描件，签名清楚，应计入。", "decision": "upheld",
                                                         "correction": "p1 号纸质票重新审核后计入"}, headers=headers)
    page = as_role("street").get(BALLOT + "/@paper-entry", {"id": "p1"})
    form = [f for f in page.forms.values() if f.action.endswith("@paper-correct")][0]
    form["objection"] = "1"
    form["reason"] = "签名清楚，重新审核后计入"
    page = form.submit().follow()
    assert "已批准，计入" in page.text and "签名清楚，重新审核后计入" in page.text
    again = street.post_json(BALLOT + "/@paper-review", {"id": "p1", "decision": "reject", "reason": "x"},
                             headers=headers, status=409).json
    assert again["error"] == "closed"                   # after the preliminary results: corrections only
    street.post_json(BALLOT + "/@workflow/republish_preliminary", {"comment": "更正计票后重新公示"}, headers=headers)
    after = results(api, "owner1")
    assert after["passed"] and after["agree_owners"] == half + 1
    with portal_in() as portal:
        ballot = ballot_of(portal)
        record = ballot.paper["p1"]
        assert [h["transition"] for h in ballot.history][-1] == "republish_preliminary"
        actions = [e["action"] for e in portal.audit_log.under(BALLOT)]
    assert record["correction"]["objection"] == 1 and record["correction"]["before"]["state"] == "rejected"
    assert "paper.correct" in actions
    shown = as_role("owner1").get(BALLOT + "/@results")
    assert "passed" in shown.html.select("section.result p.verdict")[0]["class"]
