"""The owner's journey of issue 16 on a phone (390x844, Chinese), in standard and elderly mode:
sign in -> /@my -> vote -> "已投票" on /@my and the ballot; unbinding asks first; the results at
390 px have no line holding a single character; axe finds nothing; screenshots of every key page
at 390x844 and 1366x900."""
import datetime

import pytest
from selenium.webdriver.common.by import By

from portal import clock
from portal.ballots.rules import midnight
from portal.bootstrap import ROOT_KEY
from tests.browser.conftest import audit, make_browser, shot
from tests.browser.test_journeys import click_button, fill, wait_for_text

B2 = "/tianhe/shipai/mingyuan/ballots/b2/"
WIDE = (1366, 900)

# Every text node of <main>, split into the lines it is drawn on (one Range per character): the
# lines that hold a single character of a node that has more than one.
LONELY_CHARACTERS = """
const found = [];
const offScreen = el => {      // text kept for screen readers only (clipped to 1 px) is not read on screen
  for (let a = el; a && a !== document.body; a = a.parentElement) {
    const style = getComputedStyle(a);
    if (style.clip.startsWith('rect') || a.getBoundingClientRect().width <= 1) return true;
  }
  return false;
};
const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  const text = node.textContent;
  if (text.trim().length < 2 || !node.parentElement.offsetParent || offScreen(node.parentElement)) continue;
  const lines = new Map();
  for (let i = 0; i < text.length; i++) {
    if (!text[i].trim()) continue;
    const range = document.createRange();
    range.setStart(node, i); range.setEnd(node, i + 1);
    const rect = range.getBoundingClientRect();
    if (!rect.width) continue;
    const top = Math.round(rect.top);
    lines.set(top, (lines.get(top) || '') + text[i]);
  }
  if (lines.size > 1) {
    for (const chars of lines.values()) if (chars.length === 1) found.push([text.trim().slice(0, 40), chars]);
  }
}
return found;
"""


def at_voting(app):
    db = app.registry._zodb_databases[""]
    with db.transaction() as conn:
        start = conn.root()[ROOT_KEY]["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"].start_date
        conn.root()[ROOT_KEY]["tianhe"]["shipai"].office_phone = "020-8523 6000"
    clock.set_now(midnight(start) + datetime.timedelta(hours=9))


def publish_preliminary(app):
    from portal.ballots import lifecycle

    db = app.registry._zodb_databases[""]
    with db.transaction() as conn:
        end = conn.root()[ROOT_KEY]["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"].end_date
    clock.set_now(midnight(end + datetime.timedelta(days=1)) + datetime.timedelta(hours=9))
    with db.transaction() as conn:
        ballot = conn.root()[ROOT_KEY]["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"]
        lifecycle.catch_up(ballot, clock.now())
        lifecycle.fire(ballot, "publish_preliminary", "", clock.now())


def sign_in_owner(driver, base, login):
    driver.get(base + "/@login")
    audit(driver, "sign-in")
    fill(driver, "login", login)
    fill(driver, "password", f"{login}-demo")
    click_button(driver, "signin")
    wait_for_text(driver, "现在要做的事")
    assert driver.current_url.endswith("/@my")


def vote_all(driver, name):
    """Mark the first choice of each matter by tapping its label, review, confirm; the receipt code."""
    driver.find_element(By.LINK_TEXT, "现在投票").click()
    wait_for_text(driver, "核对我的选择")
    audit(driver, f"{name} vote")
    radios = driver.find_elements(By.CSS_SELECTOR, ".vote-form input[type=radio]")
    assert len(radios) == 9                      # three matters: 同意 / 反对 / 弃权 each
    for radio in radios[::3]:
        label = driver.find_element(By.CSS_SELECTOR, f"label[for='{radio.get_attribute('id')}']")
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", label)
        label.click()                            # the whole label is the tap target
        assert radio.is_selected()
    shot(driver, f"{name}-03-vote")
    click_button(driver, "review")
    wait_for_text(driver, "确认并投票")
    audit(driver, f"{name} confirm")
    shot(driver, f"{name}-04-confirm")
    click_button(driver, "confirm")
    wait_for_text(driver, "您的投票已记录")
    audit(driver, f"{name} receipt")
    code = driver.find_element(By.CSS_SELECTOR, "code.receipt-code")
    assert len(code.text) == 14
    lines = driver.execute_script(
        "const r = document.createRange(); r.selectNodeContents(arguments[0]);"
        "return new Set(Array.from(r.getClientRects(), b => Math.round(b.top))).size", code)
    assert lines == 1                             # the code never wraps
    assert code.size["width"] <= driver.execute_script("return document.documentElement.clientWidth")
    shot(driver, f"{name}-05-receipt")
    return code.text


def test_an_owner_signs_in_lands_on_my_home_votes_and_sees_it_everywhere(server, phone):
    app, base = server
    at_voting(app)
    sign_in_owner(phone, base, "owner1")
    audit(phone, "my home")
    status = phone.find_element(By.CSS_SELECTOR, "li.status-to-vote .my-status").text
    assert status.startswith("投票中，您尚未投票，截止")
    shot(phone, "owner-my-01-to-vote")
    receipt = vote_all(phone, "owner-my")
    phone.find_element(By.LINK_TEXT, "返回我的主页").click()
    wait_for_text(phone, "您已投票")
    voted = phone.find_element(By.CSS_SELECTOR, "li.status-voted")
    assert voted.find_element(By.CSS_SELECTOR, ".my-status").text.startswith("您已投票（")
    kept = voted.find_element(By.CSS_SELECTOR, ".receipt-kept code.receipt-code")
    assert kept.text == receipt                  # kept by this browser, not by the server
    audit(phone, "my home, voted")
    shot(phone, "owner-my-06-voted")
    phone.get(base + B2)
    assert "您已投票" in phone.find_element(By.CSS_SELECTOR, ".notice.voted").text
    audit(phone, "ballot, voted")
    shot(phone, "owner-my-07-ballot-voted")


def test_unbinding_asks_first(server, phone):
    app, base = server
    sign_in_owner(phone, base, "owner2")
    phone.find_element(By.LINK_TEXT, "解除我的账号绑定").click()
    wait_for_text(phone, "重新领取绑定码")
    audit(phone, "unbind confirmation")
    button = phone.find_element(By.CSS_SELECTOR, ".confirm-actions button")
    assert "btn-danger" in button.get_attribute("class")
    assert button.value_of_css_property("background-color") != phone.find_element(
        By.CSS_SELECTOR, ".top").value_of_css_property("background-color")
    shot(phone, "owner-unbind-01-confirm")
    phone.find_element(By.LINK_TEXT, "不，保持不变").click()
    wait_for_text(phone, "现在要做的事")
    assert phone.find_elements(By.CSS_SELECTOR, ".my-community")        # still bound
    phone.find_element(By.LINK_TEXT, "解除我的账号绑定").click()
    phone.find_element(By.CSS_SELECTOR, ".confirm-actions button").click()
    wait_for_text(phone, "尚未绑定")


def test_the_results_at_390_px_have_no_line_of_one_character(server, phone):
    app, base = server
    at_voting(app)
    sign_in_owner(phone, base, "owner1")
    vote_all(phone, "owner-results")
    publish_preliminary(app)
    phone.get(base + B2 + "@results")
    assert phone.find_element(By.CSS_SELECTOR, ".stage").text.startswith("初步结果（异议期至")
    lonely = phone.execute_script(LONELY_CHARACTERS)
    assert lonely == [], lonely
    widths = phone.execute_script("return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1]                # nothing wider than the phone
    rows = phone.find_elements(By.CSS_SELECTOR, ".result-table tr")
    assert rows and rows[-1].value_of_css_property("display") == "block"    # cards below 600 px
    audit(phone, "results")
    shot(phone, "owner-results-01-phone")
    phone.execute_script("window.scrollTo(0, document.body.scrollHeight / 2)")
    shot(phone, "owner-results-02-phone-middle")


def test_elderly_mode_enlarges_hides_and_keeps_voting_usable(server, phone):
    app, base = server
    at_voting(app)
    phone.get(base + "/")
    standard = phone.execute_script("return parseFloat(getComputedStyle(document.documentElement).fontSize)")
    phone.find_element(By.CSS_SELECTOR, "a.elderly-switch").click()
    wait_for_text(phone, "标准模式")
    larger = phone.execute_script("return parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert larger > standard * 1.15
    assert not phone.find_element(By.CSS_SELECTOR, "nav.crumbs").is_displayed()      # secondary links hidden
    audit(phone, "home, elderly")
    shot(phone, "elderly-01-home")
    sign_in_owner(phone, base, "owner3")
    assert phone.find_element(By.CSS_SELECTOR, "html").get_attribute("class") == "elderly"   # remembered
    audit(phone, "my home, elderly")
    shot(phone, "elderly-02-my")
    vote_all(phone, "elderly")
    choice = phone.find_elements(By.CSS_SELECTOR, "a.btn")[0]
    assert choice.size["height"] >= 56
    phone.get(base + "/@my")
    wait_for_text(phone, "您已投票")
    audit(phone, "my home voted, elderly")
    shot(phone, "elderly-06-my-voted")


PAGES = (("home", "/", None), ("sign-in", "/@login", None), ("reset", "/@reset", None),
         ("search", "/@search?q=%E6%98%8E%E8%8B%91", None), ("my", "/@my", "owner1"),
         ("ballot", B2, "owner1"), ("vote", B2 + "@vote", "owner1"),
         ("receipt-check", B2 + "@receipt", "owner1"), ("unbind", "/tianhe/shipai/mingyuan/@unbind", "owner1"),
         ("community", "/tianhe/shipai/mingyuan/", "owner1"))


@pytest.mark.parametrize("size", [(390, 844), WIDE], ids=["phone", "desktop"])
def test_screenshots_of_every_key_owner_page(server, size):
    app, base = server
    at_voting(app)
    driver = make_browser(size)
    try:
        signed_in = False
        for name, path, login in PAGES:
            if login and not signed_in:
                sign_in_owner(driver, base, login)
                signed_in = True
            driver.get(base + path)
            audit(driver, f"{name} {size[0]}")
            widths = driver.execute_script(
                "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            assert widths[0] <= widths[1], f"{name} is wider than the screen at {size[0]} px"
            shot(driver, f"owner-page-{name}-{size[0]}")
        if size == WIDE:
            publish_preliminary(app)
            driver.get(base + B2 + "@results")
            audit(driver, "results desktop")
            shot(driver, "owner-page-results-1366")
    finally:
        driver.quit()
