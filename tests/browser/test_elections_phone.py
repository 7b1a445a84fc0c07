"""An owner on a 390x844 phone votes in the demo's committee election (9 candidates, 5 seats) and
on its choice of 3 plans by keyboard only; a sixth agree is refused at once (the live count stays
at 5 and the message shows); the confirmation and the receipt check list every mark; axe-core
finds no violation on any page."""
import datetime

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from portal import clock
from portal.ballots.rules import midnight
from portal.bootstrap import ROOT_KEY
from portal.demo import DEMO_CANDIDATES, publish_election_notice
from tests.browser.conftest import audit, shot
from tests.browser.test_journeys import sign_in, wait_for_text
from tests.conftest import current

B3 = "/tianhe/shipai/mingyuan/ballots/b3/"
WORDS = {"agree": "✓ 同意", "oppose": "✗ 不同意", "abstain": "○ 弃权"}
# what the owner means to mark: five agrees, the sixth agree refused (it stays abstain), two opposes
WANTED = ["agree"] * 5 + ["abstain", "oppose", "oppose", "abstain"]


def groups(driver, selector):
    """{radio name: {value: element}} of the radios under ``selector``, in page order."""
    found = {}
    for radio in driver.find_elements(By.CSS_SELECTOR, f"{selector} input[type=radio]"):
        found.setdefault(radio.get_attribute("name"), {})[radio.get_attribute("value")] = radio
    return list(found.values())


def press(radio):
    """Focus a radio by keyboard and check it with the space bar (send_keys focuses it first)."""
    radio.send_keys(Keys.SPACE)


def test_an_owner_votes_in_an_election_and_a_choice_on_a_phone_by_keyboard(server, phone):
    app, base = server
    db = app.registry._zodb_databases[""]
    with current(app.registry), db.transaction() as conn:        # street staff publish b3's notice
        start = publish_election_notice(conn.root()[ROOT_KEY], clock.now()).start_date
    clock.set_now(midnight(start) + datetime.timedelta(days=1, hours=9))
    sign_in(phone, base, "owner1")
    phone.get(base + B3)
    audit(phone, "election ballot")
    assert DEMO_CANDIDATES[0][0] in phone.page_source and "业主自行管理" in phone.page_source
    phone.find_element(By.LINK_TEXT, "现在投票").click()
    wait_for_text(phone, "核对我的选择")
    audit(phone, "election vote")
    candidates = groups(phone, ".election")
    assert len(candidates) == 9
    count = phone.find_element(By.CSS_SELECTOR, ".election .agreed")
    refused = phone.find_element(By.CSS_SELECTOR, ".election .agree-refused")
    for n in range(5):
        press(candidates[n]["agree"])
    assert count.text == "5" and not refused.is_displayed()
    press(candidates[5]["agree"])                                   # the sixth agree
    assert count.text == "5" and refused.is_displayed()
    assert "最多只能同意 5 位候选人" in refused.text
    assert candidates[5]["abstain"].is_selected() and not candidates[5]["agree"].is_selected()
    shot(phone, "election-01-sixth-agree-refused")                  # where the owner is: the card
    phone.execute_script("arguments[0].scrollIntoView({block: 'start'})", count)
    shot(phone, "election-01b-count-and-message")                   # the count and message, above the cards
    for n in (6, 7):
        press(candidates[n]["oppose"])
    assert not refused.is_displayed() and count.text == "5"
    (choice,) = [g for g in groups(phone, "form") if "o1" in g]
    press(choice["o1"])
    phone.switch_to.active_element.send_keys(Keys.ARROW_DOWN)       # the arrow moves on to the second plan
    assert choice["o2"].is_selected()
    shot(phone, "election-02-vote")
    phone.find_element(By.CSS_SELECTOR, "button[name='review']").send_keys(Keys.ENTER)
    wait_for_text(phone, "确认并投票")
    audit(phone, "election confirm")
    marks = [li.text for li in phone.find_elements(By.CSS_SELECTOR, "ul.candidate-marks li")]
    assert marks == [f"{name}: {WORDS[m]}" for (name, _s), m in zip(DEMO_CANDIDATES, WANTED)]
    assert "公开招标选聘物业服务企业" in phone.page_source
    shot(phone, "election-03-confirm")
    phone.find_element(By.CSS_SELECTOR, "button[name='confirm']").send_keys(Keys.ENTER)
    wait_for_text(phone, "您的投票已记录")
    audit(phone, "election receipt")
    receipt = phone.find_element(By.CSS_SELECTOR, ".receipt-code").text
    assert len(receipt) == 14
    shot(phone, "election-04-receipt")
    phone.get(base + B3 + "@receipt?code=" + receipt)
    audit(phone, "election receipt check")
    election, plan = [" ".join(li.text.split()) for li in phone.find_elements(By.CSS_SELECTOR, "ol.choices li")]
    for (name, _s), mark in zip(DEMO_CANDIDATES, WANTED):
        assert f"{name} {WORDS[mark]}" in election
    assert "公开招标选聘物业服务企业" in plan
    shot(phone, "election-05-receipt-check")
