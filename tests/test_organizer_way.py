"""The organizer's way through drafting and review (issue 16), through the real rendered pages: the
draft form's lists and messages, the notice period on saving and submitting, the return of an
approved ballot for new dates, and the confirmation of steps that cannot be undone."""
import copy
import datetime
import json
import re

from portal import clock, evolve
from portal.ballots import rules
from portal.bootstrap import ROOT_KEY
from tests.ballot_helpers import BALLOTS, ballot_path, days, draft_through_form, today


def ballot_of(portal_in, path):
    with portal_in() as portal:
        ballot = portal["tianhe"]["shipai"]["mingyuan"]["ballots"][path.strip("/").split("/")[-1]]
        return ballot.state, ballot.history[-1]["comment"]


def step_form(client, path, step):
    """The ballot page's own form for a step that acts at once."""
    return [f for f in client.get(path).forms.values() if f.action.endswith(f"@workflow/{step}")][0]


def confirmed(client, path, step, reason=None, status=302):
    """Follow the ballot page's button to the confirmation page and confirm there."""
    page = client.get(path).click(href=f"@workflow/{step}$")
    assert "请确认" in page.text
    form = [f for f in page.forms.values() if f.action.endswith(f"@workflow/{step}")][0]
    if reason is not None:
        form["comment"] = reason
    return form.submit(status=status)


def test_the_draft_form_lists_matters_with_numbered_legends_and_labelled_buttons(as_role):
    page = as_role("organizer").get(BALLOTS + "@add", {"matters": 3})
    html = page.text
    legends = re.findall(r'<legend id="[^"]+"><span class="seq-title">([^<]+)</span> <span class="seq-number">(\d*)</span>',
                         html)
    assert [legend for legend in legends if legend[0] == "表决事项" and legend[1]] == [
        ("表决事项", "1"), ("表决事项", "2"), ("表决事项", "3")]
    assert "再添加一项表决事项" in html and "添加一位候选人" in html and "添加 表决事项" not in html
    assert html.count(">删除</button>") >= 3 and html.count(">上移</button>") >= 3 and ">下移</button>" in html
    assert "bi-x" not in html and "bi-arrows" not in html and "Modernizr" not in html     # no icon font, no polyfill
    assert "<label" not in re.search(r'<p class="form-label seq-heading"[^>]*>表决事项</p>', html).group(0)
    assert page.click(description="再添加一项空白事项").text.count('class="seq-number">4<') == 1   # without JavaScript


def test_required_fields_say_what_is_missing_in_natural_chinese(as_role):
    page = as_role("organizer").get(BALLOTS + "@add")
    form = page.forms["form"]
    result = form.submit("save", status=400)
    for message in ("请填写表决标题。", "请选择投票开始日。", "请选择投票截止日。", "请填写事项名称。", "请填写方案全文。"):
        assert message in result.text, message
    assert "必需" not in result.text


def test_the_live_hint_gets_the_earliest_start_of_every_notice_period_from_the_server(as_role):
    page = as_role("organizer").get(BALLOTS + "@add")
    table = json.loads(page.html.find(id="notice-hint")["data-earliest"])
    first = today() + datetime.timedelta(days=16)
    assert table["15"] == [first.isoformat(), rules.day_text(first)]
    assert table["60"][0] == (today() + datetime.timedelta(days=61)).isoformat()
    assert rules.day_text(first) in page.html.find(id="notice-hint").text


def test_a_too_early_draft_saves_with_a_warning_and_cannot_be_submitted(as_role, portal_in):
    organizer = as_role("organizer")
    saved = draft_through_form(organizer, start=15, last=20)
    assert saved.status_int == 302                                   # the draft still saves
    path = ballot_path(saved)
    page = organizer.get(path)
    warning = page.html.find(id="notice-warning").text
    earliest = rules.day_text(today() + datetime.timedelta(days=16))
    assert "15 日" in warning and earliest in warning
    refused = step_form(organizer, path, "submit").submit().follow()
    assert earliest in refused.html.find(class_="flash").text
    assert ballot_of(portal_in, path)[0] == "draft"


def test_a_draft_starting_on_the_earliest_day_is_submitted(as_role, portal_in):
    organizer = as_role("organizer")
    path = ballot_path(draft_through_form(organizer, start=16, last=20))
    assert organizer.get(path).html.find(id="notice-warning") is None
    step_form(organizer, path, "submit").submit().follow()
    assert ballot_of(portal_in, path)[0] == "submitted"


def approved(as_role, start=20):
    organizer, street = as_role("organizer"), as_role("street")
    path = ballot_path(draft_through_form(organizer, start=start, last=start + 5))
    step_form(organizer, path, "submit").submit()
    step_form(street, path, "approve").submit()
    return organizer, street, path


def test_the_street_office_returns_an_approved_ballot_for_new_dates_and_the_organizer_reads_why(as_role, portal_in):
    organizer, street, path = approved(as_role)
    assert "等待街道办发布公告" in organizer.get(path).text
    result = confirmed(street, path, "return_for_dates", reason="小区停电检修，请把投票推迟一周")
    assert ballot_of(portal_in, path) == ("draft", "小区停电检修，请把投票推迟一周")
    page = result.follow()
    assert "已退回组织者修改" in page.text
    mine = organizer.get(path)
    assert "已退回组织者修改" in mine.text and "小区停电检修，请把投票推迟一周" in mine.text
    assert mine.click(description="编辑草稿").forms["form"].submit("save").status_int == 302   # new dates saved


def test_returning_needs_a_reason_and_the_reason_typed_is_kept(as_role, portal_in):
    _organizer, street, path = approved(as_role)
    refused = confirmed(street, path, "return_for_dates", reason="   ", status=409)
    assert "请在备注中说明理由" in refused.text and "请确认" in refused.text
    assert ballot_of(portal_in, path)[0] == "approved"


def test_the_api_returns_an_approved_ballot_with_a_reason_only(as_role, api, portal_in):
    _organizer, _street, path = approved(as_role)
    client, headers = api("street")
    res = client.post_json(path + "@workflow/return_for_dates", {}, headers=headers, status=409)
    assert res.json["message"] == "请在备注中说明理由。"
    organizer, organizer_headers = api("organizer")
    organizer.post_json(path + "@workflow/return_for_dates", {"comment": "x"}, headers=organizer_headers, status=403)
    res = client.post_json(path + "@workflow/return_for_dates", {"comment": "日期需调整"}, headers=headers)
    assert res.json == {"review_state": "draft", "transition": "return_for_dates"}


def test_withdrawing_asks_first_and_says_what_happens(as_role, portal_in):
    organizer = as_role("organizer")
    path = ballot_path(draft_through_form(organizer))
    page = organizer.get(path).click(href="@workflow/withdraw$")
    assert "不能恢复" in page.text and 'class="btn btn-danger"' in page.text and "不，保持不变" in page.text
    assert ballot_of(portal_in, path)[0] == "draft"                    # looking changes nothing
    [f for f in page.forms.values() if f.action.endswith("@workflow/withdraw")][0].submit().follow()
    assert ballot_of(portal_in, path)[0] == "withdrawn"


def test_a_confirmation_page_of_a_step_one_may_not_take_says_why(as_role):
    organizer = as_role("organizer")
    path = ballot_path(draft_through_form(organizer))
    street = as_role("street")
    refused = street.get(path + "@workflow/withdraw").follow()
    assert "您无权进行这一步" in refused.text
    assert "此表决的流程中没有这一步" in street.get(path + "@workflow/nowhere").follow().text
    assert organizer.get(path + "@workflow/submit").status_int == 302     # acts at once: no page of its own


def test_evolve_0024_adds_the_return_and_the_submit_check_to_a_stored_workflow(db):
    with db.transaction() as conn:
        portal = conn.root()[ROOT_KEY]
        old = copy.deepcopy(portal.workflows["ballot"])
        del old["transitions"]["return_for_dates"]
        old["transitions"]["submit"]["guards"] = []
        old["states"]["approved"]["permissions"].pop("review")
        portal.workflows["ballot"] = old
        del portal.evolved["0024-organizer-dates"]
    assert evolve.run_pending(db) == ["0024-organizer-dates"]
    with db.transaction() as conn:
        workflow = conn.root()[ROOT_KEY].workflows["ballot"]
        assert workflow["transitions"]["return_for_dates"]["to"] == "draft"
        assert workflow["transitions"]["return_for_dates"]["guards"] == ["comment_required"]
        assert workflow["transitions"]["submit"]["guards"] == ["notice_period"]
        assert workflow["states"]["approved"]["permissions"]["review"] == ["street"]
