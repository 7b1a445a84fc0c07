"""Ballot settings on the vote path, through the app: electronic-over-paper both ways, a reused
Idempotency-Key, the change limit, and the notice and objection periods."""
import datetime
import threading

from pyramid_retry import IBeforeRetry

from portal import clock
from portal.binding import service as binding
from portal.security.accounts import OWNER, Account
from tests.conftest import browser, token_for
from portal.voting import rules
from tests.ballot_helpers import BALLOTS, days, draft_through_form, ballot_path
from tests.test_paper import approve, enter, progress, unit_of
from tests.test_voting import ALL_AGREE, BALLOT, owner, voting_time

CHANGED = dict(ALL_AGREE, m1="oppose")


def setting(portal_in, **values):
    with portal_in(commit=True) as portal:
        ballot = portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"]
        for name, value in values.items():
            setattr(ballot, name, value)


def stored(portal_in):
    with portal_in() as portal:
        ballot = portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"]
        return dict(getattr(ballot, "paper", None) or {}), ballot.box.records()


def test_setting_off_paper_first_then_electronic_the_paper_vote_stands(app, as_role, portal_in):
    setting(portal_in, electronic_prevails=False)
    voting_time(portal_in)
    enter(as_role, unit_of(portal_in, "owner2"))
    approve(as_role)
    client, headers = owner(app, "owner2")
    res = client.post_json(BALLOT + "/@vote", {"votes": CHANGED}, headers=headers, status=409)
    assert res.json["error"] == "already_voted" and "不允许修改" in res.json["message"]
    paper, records = stored(portal_in)
    assert paper["p1"]["state"] == "approved"
    assert [(r["channel"], r["matters"]["m1"]) for _k, r in records] == [("paper", "agree")]


def test_setting_off_electronic_first_then_paper_the_paper_ballot_is_flagged(app, as_role, portal_in):
    setting(portal_in, electronic_prevails=False)
    voting_time(portal_in)
    client, headers = owner(app, "owner1")
    client.post_json(BALLOT + "/@vote", {"votes": ALL_AGREE}, headers=headers)
    enter(as_role, unit_of(portal_in, "owner1"))
    page = approve(as_role)
    assert "不计入" in page.text and "不允许修改投票" in page.text and "以电子投票为准" not in page.text
    paper, records = stored(portal_in)
    assert paper["p1"]["state"] == "flagged" and paper["p1"]["reason"].startswith("The unit's vote is already")
    assert [r["channel"] for _k, r in records] == ["electronic"] and progress(app)["voted_owners"] == 1


def test_setting_off_with_changes_allowed_the_last_vote_counts_either_way(app, as_role, portal_in):
    setting(portal_in, electronic_prevails=False, allow_vote_change=True)
    voting_time(portal_in)
    client, headers = owner(app, "owner1")
    client.post_json(BALLOT + "/@vote", {"votes": ALL_AGREE}, headers=headers)
    enter(as_role, unit_of(portal_in, "owner1"))
    approve(as_role)
    paper, records = stored(portal_in)
    assert paper["p1"]["state"] == "approved" and [r["channel"] for _k, r in records] == ["paper"]
    client.post_json(BALLOT + "/@vote", {"votes": CHANGED}, headers=headers)
    paper, records = stored(portal_in)
    assert paper["p1"]["state"] == "flagged" and paper["p1"]["reason"] == "A later vote of the unit replaced this paper ballot."
    assert [(r["channel"], r["matters"]["m1"]) for _k, r in records] == [("electronic", "oppose")]
    assert progress(app)["voted_owners"] == 1


def test_setting_on_electronic_replaces_paper_even_where_changes_are_not_allowed(app, as_role, portal_in):
    setting(portal_in, electronic_prevails=True, allow_vote_change=False)
    voting_time(portal_in)
    enter(as_role, unit_of(portal_in, "owner2"))
    approve(as_role)
    client, headers = owner(app, "owner2")
    client.post_json(BALLOT + "/@vote", {"votes": CHANGED}, headers=headers)
    paper, records = stored(portal_in)
    assert paper["p1"]["state"] == "flagged" and "electronic vote prevails" in paper["p1"]["reason"]
    assert [(r["channel"], r["matters"]["m1"]) for _k, r in records] == [("electronic", "oppose")]
    again = client.post_json(BALLOT + "/@vote", {"votes": ALL_AGREE}, headers=headers, status=409)
    assert again.json["error"] == "already_voted"


def test_a_reused_idempotency_key_with_other_choices_gets_422_and_records_nothing(app, portal_in):
    setting(portal_in, allow_vote_change=True)
    voting_time(portal_in)
    client, headers = owner(app, "owner1")
    keyed = dict(headers, **{"Idempotency-Key": "vote-1"})
    first = client.post_json(BALLOT + "/@vote", {"votes": ALL_AGREE}, headers=keyed).json
    repeat = client.post_json(BALLOT + "/@vote", {"votes": ALL_AGREE}, headers=keyed).json
    assert repeat == first
    res = client.post_json(BALLOT + "/@vote", {"votes": CHANGED}, headers=keyed, status=422)
    assert res.json["error"] == "key_reused" and "未被记录" in res.json["message"]
    _paper, records = stored(portal_in)
    assert [r["matters"]["m1"] for _k, r in records] == ["agree"]
    found = client.get(BALLOT + "/@receipt", {"code": first["receipt"]}, headers=headers).json
    assert found["current"] is True
    english = client.post_json(BALLOT + "/@vote?_LOCALE_=en", {"votes": CHANGED}, headers=keyed, status=422)
    assert "was not recorded" in english.json["message"]


def test_changes_beyond_the_hourly_limit_get_429_with_a_message(app, portal_in):
    setting(portal_in, allow_vote_change=True)
    voting_time(portal_in)
    client, headers = owner(app, "owner1")
    client.post_json(BALLOT + "/@vote", {"votes": ALL_AGREE}, headers=headers)
    for n in range(rules.MAX_CHANGES_PER_HOUR):
        client.post_json(BALLOT + "/@vote", {"votes": CHANGED if n % 2 == 0 else ALL_AGREE}, headers=headers)
    res = client.post_json(BALLOT + "/@vote", {"votes": CHANGED}, headers=headers, status=429)
    assert res.json["error"] == "too_many_changes" and "一小时" in res.json["message"]
    _paper, records = stored(portal_in)
    assert records[0][1]["matters"]["m1"] == ("oppose" if rules.MAX_CHANGES_PER_HOUR % 2 else "agree")
    clock.set_now(clock.now() + rules.CHANGE_WINDOW)
    client.post_json(BALLOT + "/@vote", {"votes": CHANGED}, headers=headers)


def test_concurrent_first_votes_need_next_to_no_retries(app, db, portal_in):
    """40 owners (their keys share the box's buckets) vote at once on 8 threads; the only writes
    are to pre-filled buckets and a merging counter, so conflicts resolve and nothing re-runs."""
    voting_time(portal_in)
    voters = []
    with db.transaction() as conn:
        portal = conn.root()["portal"]
        community = portal["tianhe"]["shipai"]["mingyuan"]
        register = community["register"]
        sole = [h for h in register.identity_index.keys() if h not in register.bindings
                and all(len(u.owners) == 1 and u.kind == "dwelling" for u in register.units_of(h))]
        for n, id_hash in enumerate(sole[:40]):
            account = portal.accounts.add(Account(f"voter{n}", "v", f"voter{n}-pass", kind=OWNER))
            binding.bind(community, account, id_hash, "code", clock.now())
            voters.append(f"voter{n}")
    tokens = {login: token_for(browser(app), login, f"{login}-pass") for login in voters}
    warm, headers = owner(app, "owner1")
    assert warm.get(BALLOT, headers=headers).json["phase"] == "voting"    # the timer fired before the load
    retried, statuses, lock = [], [], threading.Lock()
    app.registry.registerHandler(lambda event: retried.append(str(event.exception)), (IBeforeRetry,))
    barrier = threading.Barrier(8)

    def work(batch):
        client = browser(app)
        barrier.wait()
        for login in batch:
            res = client.post_json(BALLOT + "/@vote", {"votes": ALL_AGREE}, status="*", headers={
                "Accept": "application/json", "Authorization": "Bearer " + tokens[login]})
            with lock:
                statuses.append(res.status_int)

    threads = [threading.Thread(target=work, args=(voters[i::8],)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [200] * len(voters)
    with db.transaction() as conn:
        box = conn.root()["portal"]["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"].box
        assert len(box.records()) == len(voters) == box.voted_owners()
        assert box.voted_area() == sum(box.areas[k] for k, _r in box.records())
    print(f"retries: {len(retried)} for {len(voters)} concurrent votes on 8 threads")
    assert len(retried) * 100 < len(voters), retried          # fewer than 1 retry per 100 votes


def test_notice_and_objection_periods_are_ballot_settings(api, as_role):
    client, headers = api("organizer")
    street, street_headers = api("street")
    body = {"@type": "Ballot", "title": "公告期", "start_date": days(18), "end_date": days(22),
            "notice_days": 20, "objection_days": 10, "electronic_prevails": False,
            "matters": [{"title": "事项", "text": "全文", "category": 9}]}
    created = client.post_json(BALLOTS, body, headers=headers, status=201).json
    assert (created["notice_days"], created["objection_days"], created["electronic_prevails"]) == (20, 10, False)
    url = created["@id"]
    res = client.post_json(url + "/@workflow/submit", {}, headers=headers, status=409)
    assert "20" in res.json["message"]      # 17 full days are not enough: refused when submitting already
    page = as_role("organizer").get(url.replace("http://localhost", ""))
    assert "公告期：20 天" in page.text and "异议期：10 天" in page.text
    bad = dict(body, notice_days=14, objection_days=31)
    res = client.post_json(BALLOTS, bad, headers=headers, status=400)
    assert "15" in res.json["errors"]["notice_days"] and "30" in res.json["errors"]["objection_days"]
    plain = client.post_json(BALLOTS, dict(body, notice_days="二十", objection_days=7.5), headers=headers,
                             status=400)
    assert {"notice_days", "objection_days"} <= set(plain.json["errors"])
    default = {k: v for k, v in body.items() if k not in ("notice_days", "objection_days", "electronic_prevails")}
    created = client.post_json(BALLOTS, default, headers=headers, status=201).json
    assert (created["notice_days"], created["objection_days"], created["electronic_prevails"]) == (15, 7, True)


def test_the_draft_form_offers_the_periods_with_their_defaults(as_role, portal_in):
    organizer = as_role("organizer")
    form = organizer.get(BALLOTS + "@add", {"matters": 1}).forms["form"]
    assert form["notice_days"].value == "15" and form["objection_days"].value == "7"
    assert form["electronic_prevails"].checked
    saved = draft_through_form(organizer, start=30, last=35, matters=1)
    assert saved.status_int == 302
    edit = organizer.get(ballot_path(saved) + "@edit")
    form = edit.forms["form"]
    form["notice_days"] = "16"
    form["objection_days"] = "0"
    page = form.submit("save", status=400)
    assert "1 至 30" in page.text
    form = page.forms["form"]
    form["objection_days"] = "9"
    assert form.submit("save", status="*").status_int == 302
    shown = organizer.get(ballot_path(saved))
    assert "公告期：16 天" in shown.text and "异议期：9 天" in shown.text


def test_an_older_ballot_reads_the_defaults():
    from portal.ballots.models import Ballot

    ballot = Ballot(title="x", start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2026, 1, 2))
    assert (ballot.notice_days, ballot.objection_days, ballot.electronic_prevails) == (15, 7, True)


def test_the_results_page_lists_the_paper_ballots_not_counted(app, as_role, portal_in, api):
    from portal.ballots.rules import midnight

    voting_time(portal_in)
    client, headers = owner(app, "owner1")
    client.post_json(BALLOT + "/@vote", {"votes": ALL_AGREE}, headers=headers)
    enter(as_role, unit_of(portal_in, "owner1"))
    approve(as_role)
    with portal_in() as portal:
        ballot = portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"]
        end, room = ballot.end_date, ballot.community["register"][ballot.paper["p1"]["unit"]].title
    clock.set_now(midnight(end + datetime.timedelta(days=1)) + datetime.timedelta(hours=9))
    street, street_headers = api("street")
    street.post_json(BALLOT + "/@workflow/publish_preliminary", {}, headers=street_headers)
    page = as_role("owner1").get(BALLOT + "/@results")
    listed = page.html.select("section.card")[0].text
    # owners learn how many were set aside, never which unit's (that would tell how it voted)
    assert room not in listed and "有 1 张书面票未计入" in listed and "以电子投票为准" in listed
    assert "电子投票: 1" in listed.replace("：", ": ") and "书面投票: 0" in listed.replace("：", ": ")
    staff = as_role("street").get(BALLOT + "/@results").html.select("section.card")[0].text
    assert room in staff and "以电子投票为准" in staff
