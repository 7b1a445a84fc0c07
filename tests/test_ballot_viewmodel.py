"""The ballot page's view-model: what waits for whom, the timeline, the buttons and which of them
ask first, in every state of the default workflow (plain data, no Pyramid)."""
import datetime
from types import SimpleNamespace

import pytest

from portal.ballots import viewmodel
from portal.ballots.rules import midnight
from tests.workflow_states import definition

D = datetime.date
NOW = midnight(D(2026, 11, 1)) + datetime.timedelta(hours=10)
WF = definition("ballot")
ROLE_PERMISSIONS = {"organizer": {"edit", "submit", "withdraw"}, "street": {"review", "publish", "cancel"}}


def ballot(state, history=(), start=D(2026, 11, 20), end=D(2026, 11, 29), electorate=None):
    entries = ({"who": "o", "when": NOW, "from": None, "to": "draft", "transition": None, "comment": ""},)
    return SimpleNamespace(state=state, history=entries + tuple(history), start_date=start, end_date=end,
                           notice_days=15, objection_days=7, electorate=electorate)


def entry(source, target, transition, when=NOW, comment=""):
    return {"who": "s", "when": when, "from": source, "to": target, "transition": transition, "comment": comment}


def can(role, state):
    """What ``role`` holds in ``state`` of the default workflow."""
    held = {p for p, roles in WF["states"][state]["permissions"].items() if role in roles}
    return lambda permission: permission in held


@pytest.mark.parametrize("transition, asks", [
    ("withdraw", True), ("cancel", True), ("return", True), ("return_for_dates", True),
    ("submit", False), ("approve", False), ("publish_notice", False), ("publish_preliminary", False),
    ("republish_preliminary", False), ("disclose_final", False)])
def test_steps_that_end_a_ballot_or_send_it_back_ask_first(transition, asks):
    assert viewmodel.irreversible(WF, transition) is asks


def test_an_administrators_new_step_back_to_draft_asks_too():
    wf = dict(WF, transitions=dict(WF["transitions"], back={"from": ["notice"], "to": "draft", "guards": []}))
    assert viewmodel.irreversible(wf, "back")


def test_the_organizers_buttons_on_a_draft():
    actions = {a.transition: a for a in viewmodel.actions(WF, ballot("draft"), can("organizer", "draft"))}
    assert set(actions) == {"submit", "withdraw"}
    assert not actions["submit"].confirm and actions["submit"].css == "btn btn-primary"
    assert actions["withdraw"].confirm and actions["withdraw"].danger and actions["withdraw"].css == "btn btn-danger"
    assert actions["submit"].title == "提交街道审核"
    english = viewmodel.actions(WF, ballot("draft"), can("organizer", "draft"), chinese=False)
    assert {a.title for a in english} == {"Submit to the street", "Withdraw"}


def test_the_street_offices_buttons_on_an_approved_ballot():
    actions = {a.transition: a for a in viewmodel.actions(WF, ballot("approved"), can("street", "approved"))}
    assert set(actions) == {"publish_notice", "return_for_dates", "cancel"}
    back = actions["return_for_dates"]
    assert back.confirm and back.reason_required and not back.danger and back.css == "btn"


def statuses(view):
    return [(s.key, s.status) for s in view.timeline]


def test_a_drafts_timeline_waits_for_the_review():
    view = viewmodel.ballot_view(WF, ballot("draft"), NOW, can("organizer", "draft"))
    assert statuses(view) == [("review", "current"), ("notice", "next"), ("opens", "next"), ("closes", "next"),
                              ("objections", "next"), ("final", "next")]
    notice = view.timeline[1].when
    assert notice.mapping["day_zh"] == "2026年11月4日"           # 20 November less 15 days and the day itself
    assert view.timeline[2].when.mapping["day_zh"] == "2026年11月20日"
    assert view.timeline[3].when.mapping["day_zh"] == "2026年11月29日"   # "24:00 on the last day"


def test_an_approved_ballot_has_its_review_done_and_its_notice_next():
    approved = ballot("approved", [entry("draft", "submitted", "submit"),
                                   entry("submitted", "approved", "approve", NOW + datetime.timedelta(days=1))])
    view = viewmodel.ballot_view(WF, approved, NOW, can("street", "approved"))
    assert statuses(view)[:3] == [("review", "done"), ("notice", "current"), ("opens", "next")]
    assert view.timeline[0].when.mapping["day_zh"] == "2026年11月2日"
    assert "publish the notice" in view.waiting and view.waiting.mapping["day_zh"] == "2026年11月4日"
    assert "street office" in viewmodel.ballot_view(WF, approved, NOW, can("organizer", "approved")).waiting


def test_during_voting_the_close_is_next():
    voting = ballot("voting", [entry("approved", "notice", "publish_notice"), entry("notice", "voting", "open_voting")])
    view = viewmodel.ballot_view(WF, voting, NOW, can("organizer", "voting"))
    assert statuses(view)[:4] == [("review", "done"), ("notice", "done"), ("opens", "done"), ("closes", "current")]
    assert view.waiting.mapping["day_zh"] == "2026年11月29日" and view.notice_warning is None


def test_the_objection_period_is_shown_from_its_first_to_its_last_day():
    published = midnight(D(2026, 11, 30)) + datetime.timedelta(hours=9)
    preliminary = ballot("preliminary", [entry("approved", "notice", "publish_notice"),
                                         entry("closed", "preliminary", "publish_preliminary", published)])
    view = viewmodel.ballot_view(WF, preliminary, published, can("organizer", "preliminary"))
    objections = view.timeline[4]
    assert objections.status == "current"
    assert (objections.when.mapping["start_zh"], objections.when.mapping["end_zh"]) == ("2026年11月30日", "2026年12月7日")
    assert view.waiting.mapping["day_zh"] == "2026年12月7日"
    later = viewmodel.ballot_view(WF, preliminary, midnight(D(2026, 12, 8)), can("street", "preliminary"))
    assert "disclose the final results" in later.waiting


def test_a_disclosed_ballot_has_every_step_done():
    final = ballot("final", [entry("approved", "notice", "publish_notice"),
                             entry("closed", "preliminary", "publish_preliminary"),
                             entry("preliminary", "final", "disclose_final")])
    view = viewmodel.ballot_view(WF, final, NOW, can("organizer", "final"))
    assert {s.status for s in view.timeline} == {"done"} and view.actions == []


def test_an_ended_ballot_has_no_timeline_and_keeps_the_reason():
    cancelled = ballot("cancelled", [entry("draft", "cancelled", "cancel", comment="业主大会决定延期")])
    view = viewmodel.ballot_view(WF, cancelled, NOW, can("organizer", "cancelled"))
    assert view.timeline == [] and view.ended["comment"] == "业主大会决定延期"
    assert "ended" in view.waiting


def test_a_returned_draft_says_why():
    returned = ballot("draft", [entry("draft", "submitted", "submit"), entry("submitted", "approved", "approve"),
                                entry("approved", "draft", "return_for_dates", comment="请把投票推迟到十二月")])
    view = viewmodel.ballot_view(WF, returned, NOW, can("organizer", "draft"))
    assert view.returned["comment"] == "请把投票推迟到十二月"
    assert viewmodel.ballot_view(WF, ballot("draft"), NOW, can("organizer", "draft")).returned is None


@pytest.mark.parametrize("start, warned", [(D(2026, 11, 16), True), (D(2026, 11, 17), False), (D(2026, 11, 18), False)])
def test_a_draft_is_warned_when_its_start_is_too_early_for_a_notice_published_today(start, warned):
    view = viewmodel.ballot_view(WF, ballot("draft", start=start, end=start + datetime.timedelta(days=5)), NOW,
                                 can("organizer", "draft"))
    assert (view.notice_warning is not None) is warned
    assert view.earliest_start == D(2026, 11, 17)
    if warned:
        assert view.notice_warning.mapping["earliest_zh"] == "2026年11月17日"


def test_what_each_confirmation_says():
    assert len(viewmodel.consequences(WF, "withdraw", ballot("draft"))) == 1
    published = viewmodel.consequences(WF, "cancel", ballot("notice", electorate=object()))
    assert any("notice is already published" in line for line in published)
    assert any("reason" in line for line in published)
    back = viewmodel.consequences(WF, "return_for_dates", ballot("approved"))
    assert any("dates" in line for line in back) and any("reason" in line for line in back)


def test_a_last_notice_day_already_past_says_the_dates_must_change():
    late = ballot("draft", start=D(2026, 11, 10), end=D(2026, 11, 12))     # notice due by 25 October
    notice = viewmodel.ballot_view(WF, late, NOW, can("organizer", "draft")).timeline[1]
    assert "already past" in notice.when and notice.when.mapping["day_zh"] == "2026年10月25日"
    in_time = viewmodel.ballot_view(WF, ballot("draft", start=D(2026, 11, 17)), NOW, can("organizer", "draft"))
    assert "already past" not in in_time.timeline[1].when      # the last day itself (1 November) is today
