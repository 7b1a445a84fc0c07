"""Objections to the preliminary results (issue 19, DOMAIN.md "Objections"): owners file them during
the period (up to 23:59 of its last day), the organizer and the street office answer, the street
office decides, the final disclosure waits for every decision and lists objections without the
filer, an upheld one leads to corrected results published again with a new period."""
import datetime

from webtest import Upload

from portal import clock
from portal.ballots.rules import midnight
from portal.objections.rules import filing_problem
from tests.test_voting import ALL_AGREE, BALLOT, owner, voting_time

PDF = b"%PDF-1.4 objection evidence %%EOF"


def preliminary(app, portal_in, api):
    """Votes in, voting closed, preliminary results published; the day they were published."""
    voting_time(portal_in)
    for login in ("owner1", "owner2"):
        client, headers = owner(app, login)
        client.post_json(BALLOT + "/@vote", {"votes": ALL_AGREE}, headers=headers)
    with portal_in() as portal:
        end = portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"].end_date
    published = end + datetime.timedelta(days=1)
    clock.set_now(midnight(published) + datetime.timedelta(hours=9))
    street, headers = api("street")
    street.post_json(BALLOT + "/@workflow/publish_preliminary", {"comment": ""}, headers=headers)
    return published


def file(app, login, body, status=201):
    client, headers = owner(app, login)
    return client.post_json(BALLOT + "/@objections", body, headers=headers, status=status)


def test_the_period_runs_to_24_00_of_its_last_day():
    published = midnight(datetime.date(2027, 1, 2)) + datetime.timedelta(hours=10)
    last_minute = midnight(datetime.date(2027, 1, 9)) + datetime.timedelta(hours=23, minutes=59)
    assert filing_problem(published, 7, last_minute) is None          # 3-9 January: 7 days
    assert filing_problem(published, 7, midnight(datetime.date(2027, 1, 10))) is not None
    assert filing_problem(None, 7, last_minute) is not None


def test_owners_file_and_see_only_their_own_while_the_period_runs(app, portal_in, api):
    preliminary(app, portal_in, api)
    first = file(app, "owner1", {"matter": "m1", "text": "第3栋的纸质票未计入。"}).json
    assert first["id"] == 1 and first["status"] == "filed" and first["matter"] == "m1"
    file(app, "owner2", {"matter": None, "text": "公示时间太短。"})
    file(app, "owner1", {"matter": "m9", "text": "x"}, status=400)
    file(app, "owner1", {"text": ""}, status=400)
    client, headers = owner(app, "owner1")
    mine = client.get(BALLOT + "/@objections", headers=headers).json["items"]
    assert [o["id"] for o in mine] == [1]
    street, street_headers = api("street")
    assert [o["id"] for o in street.get(BALLOT + "/@objections", headers=street_headers).json["items"]] == [1, 2]
    organizer, organizer_headers = api("organizer")
    organizer.post_json(BALLOT + "/@objections", {"text": "x"}, headers=organizer_headers, status=403)


def test_an_objection_through_the_page_with_an_attachment(app, portal_in, api, as_role):
    preliminary(app, portal_in, api)
    browser = as_role("owner1")
    page = browser.get(BALLOT + "/@objections")
    form = [f for f in page.forms.values() if f.action.endswith("@objections")][0]
    form["text"] = "计票有误，见附件。"
    form["matter"] = "m2"
    form["attachment"] = Upload("证据.pdf", PDF, "application/pdf")
    done = form.submit().follow()
    assert "您的异议已提交，编号为 1" in done.text and "计票有误，见附件。" in done.text
    assert browser.get(BALLOT + "/@objections/1/@attachment").body == PDF
    as_role("owner2").get(BALLOT + "/@objections/1/@attachment", status=404)    # not theirs


def test_after_the_period_no_objection_but_answers_still_count(app, portal_in, api):
    published = preliminary(app, portal_in, api)
    file(app, "owner1", {"text": "第一项计票有误。"})
    clock.set_now(midnight(published + datetime.timedelta(days=8)) + datetime.timedelta(hours=1))
    refused = file(app, "owner2", {"text": "迟到的异议"}, status=409)
    assert "异议期已于" in refused.json["message"]
    street, headers = api("street")
    answered = street.post_json(BALLOT + "/@objections/1/@answer",
                                {"text": "已复核，纸质票已计入。", "decision": "not_upheld"}, headers=headers).json
    assert answered["status"] == "decided" and answered["decision"] == "not_upheld"


def test_final_results_wait_for_every_decision_and_list_objections_without_the_filer(app, portal_in, api, anon):
    published = preliminary(app, portal_in, api)
    file(app, "owner1", {"matter": "m1", "text": "第3栋的纸质票未计入。"})
    organizer, organizer_headers = api("organizer")
    organizer.post_json(BALLOT + "/@objections/1/@answer", {"text": "已转街道办复核。"}, headers=organizer_headers)
    organizer.post_json(BALLOT + "/@objections/1/@answer", {"text": "不成立", "decision": "not_upheld"},
                        headers=organizer_headers, status=403)          # only the street office decides
    clock.set_now(midnight(published + datetime.timedelta(days=8)) + datetime.timedelta(hours=1))
    street, headers = api("street")
    refused = street.post_json(BALLOT + "/@workflow/disclose_final", {"comment": ""}, headers=headers, status=409)
    assert "#1" in refused.json["message"]
    street.post_json(BALLOT + "/@objections/1/@answer", {"text": "经复核，该纸质票已计入。", "decision": "not_upheld"},
                     headers=headers)
    # decided, and the period over: the timer discloses the final results at the next look
    assert street.get(BALLOT, headers=headers).json["phase"] == "disclosed"
    listed = anon.get(BALLOT + "/@objections", headers={"Accept": "application/json"}).json["items"]
    assert [o["text"] for o in listed] == ["第3栋的纸质票未计入。"]
    assert [a["role"] for a in listed[0]["answers"]] == ["organizer", "street"]
    page = anon.get(BALLOT + "/@objections")
    assert "演示业主" not in page.text and "owner1" not in page.text and "异议不成立" in page.text
    with portal_in() as portal:
        uid = portal.accounts.by_login("owner1").uid
        assert uid not in page.text and uid not in str(listed)
        actions = [e["action"] for e in portal.audit_log.under(BALLOT)]
        assert {"objection.file", "objection.answer", "objection.decide"} <= set(actions)


def test_an_upheld_objection_lets_corrected_results_be_published_with_a_new_period(app, portal_in, api):
    published = preliminary(app, portal_in, api)
    street, headers = api("street")
    street.post_json(BALLOT + "/@workflow/republish_preliminary", {"comment": "更正"}, headers=headers, status=409)
    file(app, "owner1", {"matter": "m1", "text": "有一张纸质票被错误作废。"})
    street.post_json(BALLOT + "/@objections/1/@answer", {"text": "异议成立。", "decision": "upheld",
                                                        "correction": "p1 号纸质票重新审核后计入"}, headers=headers)
    again = street.post_json(BALLOT + "/@objections/1/@answer", {"text": "again", "decision": "not_upheld"},
                             headers=headers, status=409)
    assert "已作出处理决定" in again.json["message"]
    later = midnight(published + datetime.timedelta(days=3)) + datetime.timedelta(hours=9)
    clock.set_now(later)
    street, headers = api("street")
    street.post_json(BALLOT + "/@workflow/republish_preliminary", {"comment": "p1 号纸质票重新审核后计入"},
                     headers=headers)
    # the new period counts from the re-publication: an objection 8 days after the first one is in time
    clock.set_now(midnight(published + datetime.timedelta(days=9)) + datetime.timedelta(hours=9))
    assert file(app, "owner2", {"text": "对更正后的结果仍有异议。"}).json["id"] == 2


def test_the_filer_is_told_of_the_answer_and_only_the_filer(app, portal_in, api):
    from portal.notify import queue
    from portal.notify.rules import ANSWER

    preliminary(app, portal_in, api)
    file(app, "owner1", {"matter": "m1", "text": "第3栋的纸质票未计入。"})
    street, headers = api("street")
    street.post_json(BALLOT + "/@objections/1/@answer", {"text": "已复核。"}, headers=headers)
    street.post_json(BALLOT + "/@objections/1/@answer", {"text": "异议不成立。", "decision": "not_upheld"},
                     headers=headers)
    with portal_in() as portal:
        from portal.voting.service import box_of, voter_units

        ballot = portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"]
        told = [m for _id, m in queue.queued(portal) if m.event == ANSWER]
        filer = portal.accounts.by_login("owner1").uid
        groups = set(box_of(ballot).owners_for_units(voter_units(ballot, filer)))
        assert len(told) == 2 and {m.group for m in told} == groups      # one per answer, to the filer's group
