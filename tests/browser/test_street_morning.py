"""A street clerk's morning on a desktop (issue 20): she signs in and lands on her worklist, approves
the ballot waiting for review, reviews the two paper ballots the organizer entered (one scan read
beside its marks, both approved in one batch) and releases the room-number list whose window is
open; each line of the worklist goes as its work is done.  axe finds no violation on any page.

The morning's work is made as real users make it: the organizer drafts and submits a ballot and
enters two paper ballots with their scans through the JSON API, on the first day of b2's voting
(when the list of unbound rooms is still open)."""
import datetime
import json
import re

import webtest
from selenium.webdriver.common.by import By

from portal import clock
from portal.ballots.rules import midnight
from portal.bootstrap import ROOT_KEY
from tests.browser.conftest import audit, shot
from tests.browser.test_journeys import sign_in, wait_for_text
from tests.browser.test_paper_desk import approve_both, scan_file
from tests.conftest import token_for

WORKLIST = "/tianhe/shipai/@worklist"
BALLOTS = "/tianhe/shipai/mingyuan/ballots/"
B2 = BALLOTS + "b2"
TITLE = "清晨审核测试表决"
KINDS = {"review": "待审核的表决", "paper": "待审核的书面投票", "rooms": "可发布的房号名单"}


def two_unvoted_units(app):
    """Two dwellings whose single owner has not bound an account, as (key, title)."""
    with app.registry._zodb_databases[""].transaction() as conn:
        register = conn.root()[ROOT_KEY]["tianhe"]["shipai"]["mingyuan"]["register"]
        return [(u.__name__, u.title) for u in register.values() if u.kind == "dwelling" and len(u.owners) == 1
                and u.owners[0].id_hash not in register.bindings][:2]


def prepare_the_morning(app, tmp_path):
    """The first voting day of b2, 09:00: a new ballot submitted for review and two paper ballots
    entered by the organizer; returns the submitted ballot's title and the two units' titles."""
    client = webtest.TestApp(app)
    start = datetime.date.fromisoformat(client.get(B2, headers={"Accept": "application/json"}).json["start_date"])
    clock.set_now(midnight(start) + datetime.timedelta(hours=9))
    organizer = {"Accept": "application/json", "Authorization": "Bearer " + token_for(client, "organizer")}
    today = clock.local(clock.now()).date()
    created = client.post_json(BALLOTS, {
        "@type": "Ballot", "title": TITLE, "start_date": (today + datetime.timedelta(days=20)).isoformat(),
        "end_date": (today + datetime.timedelta(days=25)).isoformat(),
        "matters": [{"title": "增设电动自行车充电桩", "text": "在各栋楼下增设充电桩。", "category": 4}]},
        headers=organizer, status=201).json
    client.post_json(created["@id"].replace("http://localhost", "") + "/@workflow/submit", {"comment": ""},
                     headers=organizer)
    matters = [m["id"] for m in client.get(B2, headers=organizer).json["matters"]]
    units = two_unvoted_units(app)
    for n, (key, _title) in enumerate(units):
        client.post(B2 + "/@paper", {"unit": key, "votes": json.dumps({m: "agree" for m in matters})},
                    upload_files=[("scan", f"scan{n}.png", scan_file(tmp_path, f"scan{n}.png").read_bytes())],
                    headers=organizer, status=201)
    return [title for _key, title in units]


def counts(driver):
    """{line title: count} as the worklist's summary shows them."""
    found = {}
    for item in driver.find_elements(By.CSS_SELECTOR, "ul.counts li"):
        title, count = re.fullmatch(r"(.+?)\s*[:：]?\s*(\d+)", item.text.strip()).groups()
        found[title] = int(count)
    return found


def line(driver, kind):
    return driver.find_element(By.CSS_SELECTOR, f"ol.worklist li.work-{kind} a")


def back_to_the_worklist(driver, base):
    driver.get(base + WORKLIST)
    wait_for_text(driver, "待办事项")
    return counts(driver)


def test_a_street_clerks_morning_at_her_worklist(server, desktop, tmp_path):
    app, base = server
    units = prepare_the_morning(app, tmp_path)
    sign_in(desktop, base, "street")
    assert desktop.current_url == base + WORKLIST                    # staff land on their worklist
    heading = desktop.find_element(By.TAG_NAME, "h1").text
    assert "待办事项" in heading and "石牌街道" in heading
    before = counts(desktop)
    assert {title: before[title] for title in KINDS.values()} == {title: 1 for title in KINDS.values()}
    review = line(desktop, "review")
    assert TITLE in review.text and "明苑小区" in review.text
    paper = desktop.find_element(By.CSS_SELECTOR, "ol.worklist li.work-paper")
    assert "2026年第一次业主共同决定事项表决" in paper.text and "· 2 张待审核" in paper.text          # the figure says what it counts
    assert "可发布的房号名单" in line(desktop, "rooms").text
    audit(desktop, "street worklist")
    shot(desktop, "morning-01-worklist")
    desktop.execute_script("arguments[0].scrollIntoView()", paper)
    shot(desktop, "morning-02-worklist-lines")

    # 1. the ballot submitted for review
    line(desktop, "review").click()
    wait_for_text(desktop, TITLE)
    assert "已提交街道审核" in desktop.page_source
    audit(desktop, "ballot under review")
    approve = desktop.find_element(By.XPATH, "//section[@aria-labelledby='steps']//button[contains(., '审核通过')]")
    desktop.execute_script("arguments[0].scrollIntoView({block: 'center'})", approve)
    shot(desktop, "morning-03-ballot-under-review")
    approve.click()                                  # a step that can be undone: no confirmation
    wait_for_text(desktop, "等待您发布公告")
    assert "已审核通过" in desktop.find_element(By.TAG_NAME, "main").text
    shot(desktop, "morning-04-ballot-approved")
    after = back_to_the_worklist(desktop, base)
    assert after[KINDS["review"]] == before[KINDS["review"]] - 1 == 0
    assert not desktop.find_elements(By.CSS_SELECTOR, "ol.worklist li.work-review")
    waiting = desktop.find_elements(By.CSS_SELECTOR, "ol.worklist li.work-publish_notice")
    assert any(TITLE in item.text and "最迟发布日" in item.text for item in waiting)   # now its notice waits

    # 2. the two paper ballots
    line(desktop, "paper").click()
    wait_for_text(desktop, "书面投票")
    assert all(title in desktop.page_source for title in units)
    audit(desktop, "paper desk")
    shot(desktop, "morning-05-paper-desk")
    desktop.find_elements(By.LINK_TEXT, "对照扫描件查看")[0].click()
    scan = desktop.find_element(By.CSS_SELECTOR, "figure.paper-scan img")
    marks = desktop.find_element(By.CSS_SELECTOR, "div.paper-marks dl.marks")
    assert desktop.execute_script("return arguments[0].complete && arguments[0].naturalWidth", scan) == 600
    assert scan.location["x"] + scan.size["width"] <= marks.location["x"]          # side by side
    assert "修订《明苑小区业主大会议事规则》" in marks.text and "同意" in marks.text
    audit(desktop, "paper entry with its scan")
    shot(desktop, "morning-06-scan-beside-marks")
    desktop.back()
    approve_both(desktop, "morning-07-confirm-batch", "morning-08-paper-approved")
    after = back_to_the_worklist(desktop, base)
    assert after[KINDS["paper"]] == 0
    assert not desktop.find_elements(By.CSS_SELECTOR, "ol.worklist li.work-paper")

    # 3. the room-number list whose window is open
    rooms = line(desktop, "rooms")
    assert rooms.get_attribute("href").endswith("/b2/@rooms?list=unbound")
    rooms.click()
    wait_for_text(desktop, "业主未绑定账号的房号")
    listed = desktop.find_elements(By.CSS_SELECTOR, "ul.rooms li")
    assert listed and units[0].split()[-1] in " ".join(li.text for li in listed)
    audit(desktop, "room-number list")
    shot(desktop, "morning-09-room-list")
    desktop.find_element(By.XPATH, "//a[contains(., '向会议组织机构发布此名单')]").click()
    wait_for_text(desktop, "发布后不能撤回")                         # a release is final: asked first
    assert f"会议组织机构将看到这 {len(listed)} 个房号" in desktop.find_element(By.TAG_NAME, "main").text
    audit(desktop, "release confirmation")
    shot(desktop, "morning-10a-confirm-release")
    desktop.find_element(By.CSS_SELECTOR, "p.confirm-actions button").click()
    wait_for_text(desktop, "名单已发布给会议组织机构。")
    assert "已发布给会议组织机构。" in desktop.find_element(By.TAG_NAME, "main").text
    assert not desktop.find_elements(By.XPATH, "//a[contains(., '向会议组织机构发布此名单')]")
    audit(desktop, "room-number list, released")
    shot(desktop, "morning-10-room-list-released")
    after = back_to_the_worklist(desktop, base)
    assert {title: after[title] for title in KINDS.values()} == {title: 0 for title in KINDS.values()}
    assert not desktop.find_elements(By.CSS_SELECTOR, "ol.worklist li.work-rooms")
    audit(desktop, "worklist at the end of the morning")
    shot(desktop, "morning-11-worklist-done")
