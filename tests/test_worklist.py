"""A street office's worklist (issue 20): each line appears with the work and goes when it is
done, oldest first, linking to where the work is done; only staff see it."""
import datetime

from portal import clock
from portal.ballots.rules import midnight
from tests.ballot_helpers import BALLOTS, days
from tests.test_objections import file, preliminary
from tests.test_voting import BALLOT, voting_time

WORKLIST = "/tianhe/shipai/@worklist"


def kinds(api, login="street"):
    client, headers = api(login)
    return [(item["kind"], item["ballot"]) for item in client.get(WORKLIST, headers=headers).json["items"]]


def test_review_and_publication_lines_come_and_go(api):
    organizer, headers = api("organizer")
    created = organizer.post_json(BALLOTS, {"@type": "Ballot", "title": "待办测试表决", "start_date": days(20),
                                            "end_date": days(25),
                                            "matters": [{"title": "事项", "text": "全文", "category": 4}]},
                                  headers=headers).json
    path = created["@id"].replace("http://localhost", "")
    assert ("review", "待办测试表决") not in kinds(api)
    organizer.post_json(path + "/@workflow/submit", {"comment": ""}, headers=headers)
    assert ("review", "待办测试表决") in kinds(api)
    street, street_headers = api("street")
    street.post_json(path + "/@workflow/approve", {"comment": ""}, headers=street_headers)
    items = {i["kind"]: i for i in street.get(WORKLIST, headers=street_headers).json["items"]
             if i["ballot"] == "待办测试表决"}
    assert set(items) == {"publish_notice"}
    last = datetime.date.fromisoformat(days(20)) - datetime.timedelta(days=16)
    assert items["publish_notice"]["detail"]["last_day"] == last.isoformat()
    street.post_json(path + "/@workflow/publish_notice", {"comment": ""}, headers=street_headers)
    assert not [k for k in kinds(api) if k[1] == "待办测试表决" and k[0] in ("review", "publish_notice")]


def test_room_lists_extensions_results_and_objections(app, portal_in, api):
    with portal_in() as portal:
        start = portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"].start_date
    clock.set_now(midnight(start) + datetime.timedelta(hours=9))          # the unbound list is open
    title = "2026年第一次业主共同决定事项表决"
    assert ("rooms", title) in kinds(api)
    street, headers = api("street")
    street.post(BALLOT + "/@rooms-release", {"list": "unbound"}, headers=headers)
    assert ("rooms", title) not in kinds(api)
    voting_time(portal_in)
    organizer, organizer_headers = api("organizer")
    with portal_in() as portal:
        end = portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"].end_date
    organizer.post_json(BALLOT + "/@extension", {"end_date": (end + datetime.timedelta(days=2)).isoformat()},
                        headers=organizer_headers)
    assert ("extension", title) in kinds(api)
    preliminary(app, portal_in, api)
    file(app, "owner1", {"text": "有异议。"})
    found = kinds(api)
    assert ("objections", title) in found and ("extension", title) not in found     # voting is over
    client, headers = api("organizer")
    client.get(WORKLIST, headers=headers, status=403)
    assert kinds(api, "district")                                           # district staff see it too


def test_the_page_lists_the_work_oldest_first(as_role, api):
    organizer, headers = api("organizer")
    for n in (1, 2):
        path = organizer.post_json(BALLOTS, {"@type": "Ballot", "title": f"第{n}个待审表决", "start_date": days(20),
                                             "end_date": days(25),
                                             "matters": [{"title": "事项", "text": "全文", "category": 4}]},
                                   headers=headers).json["@id"].replace("http://localhost", "")
        organizer.post_json(path + "/@workflow/submit", {"comment": ""}, headers=headers)
        clock.set_now(clock.now() + datetime.timedelta(hours=1))
    page = as_role("street").get(WORKLIST)
    assert "待审核的表决" in page.text and page.text.index("第1个待审表决") < page.text.index("第2个待审表决")


def test_the_street_office_reads_closed_results_before_publishing_them(app, portal_in, api):
    voting_time(portal_in)
    with portal_in() as portal:
        end = portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"].end_date
    clock.set_now(midnight(end + datetime.timedelta(days=1)) + datetime.timedelta(hours=9))
    street, headers = api("street")
    assert street.get(BALLOT, headers=headers).json["review_state"] == "closed"
    assert street.get(BALLOT + "/@results", headers=headers).json["matters"]
    owner, owner_headers = api("owner1")
    owner.get(BALLOT + "/@results", headers=owner_headers, status=403)          # not before publication
