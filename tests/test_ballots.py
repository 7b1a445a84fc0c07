"""Drafting, reviewing, publishing and the timed life of a ballot, through pages and the API."""
import datetime

from portal import clock
from portal.ballots import rules
from portal.scripts.tick import tick
from tests.ballot_helpers import BALLOTS, ballot_path, days, draft_through_form


def publish(as_role, path):
    organizer, street = as_role("organizer"), as_role("street")
    for client, step in ((organizer, "submit"), (street, "approve"), (street, "publish_notice")):
        page = client.get(path)
        form = [f for f in page.forms.values() if f.action.endswith(f"@workflow/{step}")][0]
        result = form.submit().follow()
    return result


def test_an_organizer_drafts_three_matters_through_the_form(as_role, portal_in):
    organizer = as_role("organizer")
    saved = draft_through_form(organizer)
    assert saved.status_int == 302, saved.text[:2000]
    page = saved.follow()
    assert "事项3" in page.text and "草稿" in page.text
    assert "三分之二" in page.text or "three quarters" in page.text
    with portal_in() as portal:
        ballot = portal["tianhe"]["shipai"]["mingyuan"]["ballots"][ballot_path(saved).strip("/").split("/")[-1]]
        assert [m["category"] for m in ballot.matters] == [1, 4, 6]
        assert [m["id"] for m in ballot.matters] == ["m1", "m2", "m3"]
        assert ballot.state == "draft" and ballot.electorate is None


def test_a_window_longer_than_thirty_days_is_refused(as_role):
    page = draft_through_form(as_role("organizer"), start=17, last=47)
    assert page.status_int == 400 and "30 日" in page.text


def test_review_publication_freezes_the_electorate(as_role, portal_in, anon):
    path = ballot_path(draft_through_form(as_role("organizer")))
    anon.get(path, status=403)                      # a draft is not public
    page = publish(as_role, path)
    assert "公告中" in page.text
    notice = anon.get(path + "@notice")
    with portal_in() as portal:
        summary = portal["tianhe"]["shipai"]["mingyuan"]["register"].summary
        ballot = portal["tianhe"]["shipai"]["mingyuan"]["ballots"][path.strip("/").split("/")[-1]]
        assert ballot.electorate.totals.owners == summary["owners"]
        assert ballot.published is not None
        assert [e["action"] for e in portal.audit_log.under(path)][:1] == ["ballot.transition"]
    assert str(summary["owners"]) in notice.text and "事项1" in notice.text
    listing = anon.get("/tianhe/@notices")
    assert "测试表决" in listing.text


def test_the_notice_period_boundary(as_role, api):
    client, headers = api("organizer")
    street, street_headers = api("street")

    def ready(start):
        body = {"@type": "Ballot", "title": "边界", "start_date": days(start), "end_date": days(start + 5),
                "matters": [{"title": "事项", "text": "全文", "category": 9}]}
        url = client.post_json(BALLOTS, body, headers=headers, status=201).json["@id"]
        client.post_json(url + "/@workflow/submit", {}, headers=headers)
        street.post_json(url + "/@workflow/approve", {}, headers=street_headers)
        return url

    late = ready(16)            # submitted in time, but published tomorrow: 14 full days before voting
    clock.set_now(clock.now() + datetime.timedelta(days=1))
    street, street_headers = api("street")         # a token of that day
    res = street.post_json(late + "/@workflow/publish_notice", {}, headers=street_headers, status=409)
    assert "15" in res.json["message"] and rules.day_text(datetime.date.fromisoformat(days(16))) in res.json["message"]
    clock.set_now(None)
    street, street_headers = api("street")
    fifteen = ready(16)
    res = street.post_json(fifteen + "/@workflow/publish_notice", {}, headers=street_headers)
    assert res.json["review_state"] == "notice"


def test_voting_opens_and_closes_on_time_without_anyone_clicking(as_role, anon, portal_in):
    path = ballot_path(draft_through_form(as_role("organizer"), start=17, last=20))
    publish(as_role, path)
    opens = rules.midnight(datetime.date.fromisoformat(days(17)))
    clock.set_now(opens - datetime.timedelta(seconds=1))
    assert "公告中" in anon.get(path).text
    clock.set_now(opens)
    assert "投票中" in anon.get(path).text           # read after the due time: moved first
    closes = rules.midnight(datetime.date.fromisoformat(days(21)))
    clock.set_now(closes)
    with portal_in(commit=True) as portal:
        assert tick(portal, clock.now()) >= 1          # the scheduler does the same (demo ballots too)
        assert tick(portal, clock.now()) == 0          # and is idempotent
        ballot = portal["tianhe"]["shipai"]["mingyuan"]["ballots"][path.strip("/").split("/")[-1]]
        assert ballot.state == "closed" and ballot.history[-1]["who"] == "clock"


def confirmation_form(client, path, step):
    """The ballot page's button for an irreversible step leads to its confirmation page first."""
    page = client.get(path)
    assert not [f for f in page.forms.values() if f.action.endswith(f"@workflow/{step}")]
    confirm = page.click(href=f"@workflow/{step}$")
    return [f for f in confirm.forms.values() if f.action.endswith(f"@workflow/{step}")][0]


def test_cancel_needs_a_reason_and_withdraw_is_the_organizers(as_role):
    path = ballot_path(draft_through_form(as_role("organizer")))
    street = as_role("street")
    cancel = confirmation_form(street, path, "cancel")
    assert cancel["comment"].attrs.get("required") is not None
    cancel["comment"] = "  "
    result = cancel.submit(status=409)
    assert "请在备注中说明理由" in result.text and "请确认" in result.text     # asked again, on the same page
    assert "@workflow/withdraw" not in street.get(path).text
    withdraw = confirmation_form(as_role("organizer"), path, "withdraw")
    withdraw.submit().follow()


def test_an_extension_is_requested_and_approved_within_thirty_days(as_role, api, portal_in):
    path = ballot_path(draft_through_form(as_role("organizer"), start=17, last=36))
    publish(as_role, path)
    too_long, longest = days(47), days(46)       # 31 and 30 days from the first voting day
    clock.set_now(rules.midnight(datetime.date.fromisoformat(days(18))))
    organizer, headers = api("organizer")
    street, street_headers = api("street")
    res = organizer.post_json(path + "@extension", {"end_date": too_long}, headers=headers, status=409)
    assert "30" in res.json["message"]
    res = organizer.post_json(path + "@extension", {"end_date": longest}, headers=headers, status="*")
    assert res.status_int == 200, res.json
    res = street.post_json(path + "@extension-approve", {}, headers=street_headers)
    assert res.json["end_date"] == longest
    with portal_in() as portal:
        ballot = portal["tianhe"]["shipai"]["mingyuan"]["ballots"][path.strip("/").split("/")[-1]]
        assert ballot.notices[-1]["kind"] == "extension"
        assert rules.window_problem(ballot.start_date, ballot.end_date) is None


def test_the_api_creates_reads_and_refuses_clearly(api):
    client, headers = api("organizer")
    body = {"@type": "Ballot", "title": "接口表决", "start_date": days(20), "end_date": days(25),
            "scope": ["1", "2"], "matters": [{"title": "甲", "text": "全文", "category": 6},
                                             {"title": "乙", "text": "全文", "category": 2}]}
    created = client.post_json(BALLOTS, body, headers=headers, status=201).json
    assert created["review_state"] == "draft" and created["scope"] == ["1", "2"]
    assert [m["rule"] for m in created["matters"]] == ["special", "ordinary"]
    assert created["opens"].endswith("+08:00") or created["opens"].endswith("+00:00")
    res = client.post_json(created["@id"] + "/@workflow/approve", {}, headers=headers, status=409)
    assert res.json["message"] == "在当前状态下不能进行这一步。"
    res = client.post_json(created["@id"] + "/@workflow/fly", {}, headers=headers, status=404)
    bad = dict(body, matters=[], scope=["99"])
    res = client.post_json(BALLOTS, bad, headers=headers, status=400)
    assert {"matters", "scope"} <= set(res.json["errors"])
    owner, owner_headers = api("owner1")
    owner.post_json(BALLOTS, body, headers=owner_headers, status=403)


def test_attachments_are_checked_kept_and_shown(as_role, anon):
    organizer = as_role("organizer")
    bad = draft_through_form(organizer, attachment=("plan.pdf", b"not a pdf"))
    assert bad.status_int == 400 and "PDF、PNG 或 JPEG" in bad.text
    pdf = b"%PDF-1.4 plan of the lifts %%EOF"
    saved = draft_through_form(organizer, attachment=("电梯方案.pdf", pdf))
    path = ballot_path(saved)
    page = saved.follow()
    link = page.html.select("a[href*='@attachment']")[0]
    assert link.text == "电梯方案.pdf"
    assert organizer.get(link["href"]).body == pdf
    anon.get(link["href"], status=403)          # a draft's files are as private as the draft
    publish(as_role, path)
    notice = anon.get(path + "@notice")
    assert anon.get(notice.html.select("a[href*='@attachment']")[0]["href"]).body == pdf


def test_a_draft_s_wrong_attachment_is_removed_in_the_edit_form(as_role):
    from webtest import Upload

    organizer = as_role("organizer")
    assert "remove_attachments" not in organizer.get(BALLOTS + "@add").forms["form"].fields
    wrong, right = b"%PDF-1.4 last year's plan %%EOF", b"%PDF-1.4 this year's plan %%EOF"
    path = ballot_path(draft_through_form(organizer, attachment=("旧方案.pdf", wrong)))
    form = organizer.get(path + "@edit").forms["form"]
    form["upload"] = Upload("新方案.pdf", right)
    form.submit("save", status=302)

    form, boxes = remove_boxes(organizer, path)
    assert {box._value: label for box, label in boxes} == {"0": "旧方案.pdf", "1": "新方案.pdf"}
    boxes[0][0].checked = True
    form.submit("save", status=302)
    page = organizer.get(path)
    assert [a.text for a in page.html.select("a[href*='@attachment']")] == ["新方案.pdf"]
    assert organizer.get(page.html.select("a[href*='@attachment']")[0]["href"]).body == right


def remove_boxes(client, path):
    """The edit form and its "remove attachments" boxes, each with the text of its label."""
    page = client.get(path + "@edit")
    form = page.forms["form"]
    area = page.html.select(".item-remove_attachments")[0]
    ids = [box["id"] for box in area.select("input[type=checkbox]")]
    boxes = [box for box in form.fields["checkbox"] if box.id in ids]
    return form, [(box, area.find("label", attrs={"for": box.id}).text.strip()) for box in boxes]


def test_a_forged_attachment_number_changes_nothing(as_role):
    organizer = as_role("organizer")
    path = ballot_path(draft_through_form(organizer, attachment=("方案.pdf", b"%PDF-1.4 plan %%EOF")))
    form, boxes = remove_boxes(organizer, path)
    boxes[0][0].checked, boxes[0][0]._value = True, "7"       # a number no attachment has
    refused = form.submit("save", status=400)
    assert refused.html.select(".item-remove_attachments .invalid-feedback, .item-remove_attachments .error")
    assert len(organizer.get(path).html.select("a[href*='@attachment']")) == 1


def test_the_api_lists_a_ballot_s_attachments(as_role, api):
    organizer = as_role("organizer")
    pdf = b"%PDF-1.4 plan %%EOF"
    path = ballot_path(draft_through_form(organizer, attachment=("方案.pdf", pdf)))
    client, headers = api("organizer")
    found = client.get(path.rstrip("/"), headers=headers).json["attachments"]
    assert [(a["filename"], a["content_type"], a["size"]) for a in found] == [("方案.pdf", "application/pdf", len(pdf))]
    assert client.get(found[0]["@id"], headers=headers).body == pdf
