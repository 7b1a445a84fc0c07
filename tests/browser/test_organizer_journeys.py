"""The organizer's journey in headless Chromium at a desk (1366x900) and on a phone (390x844):
drafting with the notice period in sight, adding, moving and removing matters without reloading,
every button named, the ballot page's timeline, and withdrawing asked first.  axe on every page;
screenshots of the draft form, the ballot page and a confirmation page at both sizes."""
import datetime

import pytest
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.expected_conditions import staleness_of
from selenium.webdriver.support.ui import WebDriverWait

from portal import clock
from portal.ballots.rules import day_text, local_date
from tests.browser.conftest import audit, make_browser, shot
from tests.browser.test_journeys import fill, sign_in, wait_for_text

SIZES = {"desktop": (1366, 900), "phone": (390, 844)}


@pytest.fixture(params=sorted(SIZES))
def sized(request):
    driver = make_browser(SIZES[request.param])
    yield request.param, driver
    driver.quit()


def set_date(driver, element, day):
    driver.execute_script("arguments[0].value = arguments[1];"
                          "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));", element, day.isoformat())


def matters(driver):
    """The matter fieldsets of the draft form, in page order."""
    return driver.find_elements(By.CSS_SELECTOR, ".item-matters > .deform-seq > .deform-seq-container > .seq-item")


def legend_numbers(driver):
    return [m.find_element(By.CSS_SELECTOR, ":scope > legend .seq-number").text for m in matters(driver)]


def matter_titles(driver):
    return [m.find_element(By.CSS_SELECTOR, ":scope > .item-title input").get_attribute("value") for m in matters(driver)]


def click(driver, element):
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()


def full_shot(driver, name):
    """The whole page, not only what the window shows (then the window as it was)."""
    width, height = driver.get_window_size()["width"], driver.get_window_size()["height"]
    page = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(max(page, height), 6000))
    driver.execute_script("window.scrollTo(0, 0)")
    shot(driver, name)
    driver.set_window_size(width, height)


def unnamed_buttons(driver):
    """Visible buttons and button-like links whose accessible name is empty (an icon that did not load)."""
    found = []
    for element in driver.find_elements(By.CSS_SELECTOR, "button, a.btn, input[type=submit]"):
        if element.is_displayed() and not (element.accessible_name or "").strip():
            found.append(element.get_attribute("outerHTML")[:120])
    return found


def test_an_organizer_drafts_with_the_notice_period_in_sight_and_withdrawing_asks_first(server, sized):
    size, driver = sized
    app, base = server
    today = local_date(clock.now())
    sign_in(driver, base, "organizer")
    driver.get(base + "/tianhe/shipai/mingyuan/ballots/@add")
    audit(driver, f"draft form ({size})")
    fill(driver, "title", "二〇二七年春季业主共同决定事项")
    start, end = driver.find_elements(By.CSS_SELECTOR, "input[type=date]")

    # told about the notice period while drafting: a too-early start shows the earliest day
    hint = driver.find_element(By.ID, "notice-hint")
    earliest = day_text(today + datetime.timedelta(days=16))
    assert hint.find_element(By.XPATH, "..").get_attribute("class").find("item-start_date") >= 0   # beside the date
    set_date(driver, start, today + datetime.timedelta(days=10))
    too_early = hint.find_element(By.CSS_SELECTOR, ".too-early")
    assert too_early.is_displayed() and earliest in hint.text
    fill(driver, "notice_days", "20")
    driver.execute_script("arguments[0].dispatchEvent(new Event('input', {bubbles: true}))",
                          driver.find_element(By.NAME, "notice_days"))
    assert day_text(today + datetime.timedelta(days=21)) in hint.text
    fill(driver, "notice_days", "15")
    set_date(driver, start, today + datetime.timedelta(days=20))
    assert not too_early.is_displayed() and earliest in hint.text
    set_date(driver, end, today + datetime.timedelta(days=26))

    # adding matters without reloading: the page keeps a mark set before the clicks
    driver.execute_script("window.stillThisPage = true")
    add = driver.find_element(By.XPATH, "//button[normalize-space()='再添加一项表决事项']")
    for _ in range(2):
        click(driver, add)
    assert driver.execute_script("return window.stillThisPage") is True
    assert legend_numbers(driver) == ["1", "2", "3"]
    assert driver.switch_to.active_element == matters(driver)[-1].find_element(By.CSS_SELECTOR, "select[name=kind]")
    for n, matter in enumerate(matters(driver), start=1):
        matter.find_element(By.CSS_SELECTOR, ":scope > .item-title input").send_keys(f"事项{n}")
        matter.find_element(By.CSS_SELECTOR, ":scope > .item-text textarea").send_keys(f"第{n}项的全文")

    # labelled buttons that work: no empty icon button anywhere on the form
    assert unnamed_buttons(driver) == []
    first = matters(driver)[0]
    assert first.find_element(By.CSS_SELECTOR, ":scope > .seq-controls .seq-up").get_property("disabled")
    click(driver, first.find_element(By.XPATH, "./div[@class='seq-controls']/button[normalize-space()='下移']"))
    assert matter_titles(driver) == ["事项2", "事项1", "事项3"] and legend_numbers(driver) == ["1", "2", "3"]
    click(driver, matters(driver)[2].find_element(By.XPATH, "./div[@class='seq-controls']/button[normalize-space()='删除']"))
    assert matter_titles(driver) == ["事项2", "事项1"]
    click(driver, add)
    last = matters(driver)[-1]
    last.find_element(By.CSS_SELECTOR, ":scope > .item-title input").send_keys("事项3")
    last.find_element(By.CSS_SELECTOR, ":scope > .item-text textarea").send_keys("第3项的全文")
    set_date(driver, start, today + datetime.timedelta(days=12))      # the hint as it warns, in the picture
    full_shot(driver, f"organizer-draft-form-{size}")
    set_date(driver, start, today + datetime.timedelta(days=20))
    click(driver, driver.find_element(By.CSS_SELECTOR, "button[name='save']"))
    wait_for_text(driver, "办理进度与时间")

    # the ballot page: what happens next and when, and what waits for whom
    assert "等待您核对日期和表决事项" in driver.page_source
    steps = driver.find_elements(By.CSS_SELECTOR, "ol.timeline li")
    assert len(steps) == 6 and "step-current" in steps[0].get_attribute("class")
    assert day_text(today + datetime.timedelta(days=20)) + "0时" in steps[2].text
    assert day_text(today + datetime.timedelta(days=26)) + "24时" in steps[3].text
    assert [t.text for t in driver.find_elements(By.CSS_SELECTOR, "ol.matters h3")] == ["事项2", "事项1", "事项3"]
    audit(driver, f"ballot page ({size})")
    assert unnamed_buttons(driver) == []
    full_shot(driver, f"organizer-ballot-timeline-{size}")
    ballot_url = driver.current_url

    # withdrawing asks first, says what will happen, and the way back leaves the draft as it was
    click(driver, driver.find_element(By.XPATH, "//a[normalize-space()='撤回']"))
    wait_for_text(driver, "请确认")
    assert "不能恢复" in driver.page_source
    assert "btn-danger" in driver.find_element(By.XPATH, "//button[contains(., '撤回')]").get_attribute("class")
    audit(driver, f"withdraw confirmation ({size})")
    full_shot(driver, f"organizer-confirm-withdraw-{size}")
    click(driver, driver.find_element(By.LINK_TEXT, "不，保持不变"))
    wait_for_text(driver, "办理进度与时间")
    assert driver.current_url == ballot_url and "草稿" in driver.find_element(By.CSS_SELECTOR, "p.state").text
    click(driver, driver.find_element(By.XPATH, "//a[normalize-space()='撤回']"))
    click(driver, driver.find_element(By.XPATH, "//button[contains(., '撤回')]"))
    wait_for_text(driver, "这项表决已终止")
    assert "已撤回" in driver.find_element(By.CSS_SELECTOR, "p.state").text


def test_a_too_early_draft_saves_with_the_earliest_day_beside_its_dates(server, sized):
    size, driver = sized
    app, base = server
    today = local_date(clock.now())
    sign_in(driver, base, "organizer")
    driver.get(base + "/tianhe/shipai/mingyuan/ballots/@add")
    fill(driver, "title", "过早的表决")
    start, end = driver.find_elements(By.CSS_SELECTOR, "input[type=date]")
    set_date(driver, start, today + datetime.timedelta(days=12))
    set_date(driver, end, today + datetime.timedelta(days=14))
    matter = matters(driver)[0]
    matter.find_element(By.CSS_SELECTOR, ":scope > .item-title input").send_keys("事项")
    matter.find_element(By.CSS_SELECTOR, ":scope > .item-text textarea").send_keys("全文")
    click(driver, driver.find_element(By.CSS_SELECTOR, "button[name='save']"))
    wait_for_text(driver, "办理进度与时间")
    warning = driver.find_element(By.ID, "notice-warning")
    assert day_text(today + datetime.timedelta(days=16)) in warning.text
    page = driver.find_element(By.TAG_NAME, "html")
    click(driver, driver.find_element(By.XPATH, "//button[normalize-space()='提交街道审核']"))
    # the ballot's own warning already says "公告须在投票开始前至少": wait for the answer's page
    # (while the page is replaced, chromedriver may also answer "node does not belong to the
    # document": asked again, it says stale)
    WebDriverWait(driver, 10, ignored_exceptions=(WebDriverException,)).until(staleness_of(page))
    wait_for_text(driver, "公告须在投票开始前至少")
    assert "草稿" in driver.find_element(By.CSS_SELECTOR, "p.state").text
    audit(driver, f"refused submission ({size})")
    full_shot(driver, f"organizer-too-early-{size}")


def test_the_street_office_returns_an_approved_ballot_for_new_dates_and_the_organizer_reads_why(server, sized):
    size, driver = sized
    app, base = server
    sign_in(driver, base, "street")
    driver.get(base + "/tianhe/shipai/mingyuan/ballots/b3/")           # the demo's approved election
    assert "等待您发布公告" in driver.find_element(By.CSS_SELECTOR, "p.waiting").text
    steps = driver.find_elements(By.CSS_SELECTOR, "ol.timeline li")
    assert "step-done" in steps[0].get_attribute("class") and "step-current" in steps[1].get_attribute("class")
    click(driver, driver.find_element(By.XPATH, "//a[normalize-space()='退回组织者重新确定日期']"))
    wait_for_text(driver, "请确认")
    reason = driver.find_element(By.ID, "confirm-comment")
    assert reason.get_attribute("required") is not None and "组织者会在表决页面看到您填写的理由" in driver.page_source
    audit(driver, f"return confirmation ({size})")
    reason.send_keys("春节前后业主多不在家，请将投票改到三月")
    full_shot(driver, f"organizer-confirm-return-{size}")
    click(driver, driver.find_element(By.XPATH, "//button[contains(., '退回组织者重新确定日期')]"))
    wait_for_text(driver, "已退回组织者修改")
    driver.delete_all_cookies()
    sign_in(driver, base, "organizer")
    driver.get(base + "/tianhe/shipai/mingyuan/ballots/b3/")
    note = driver.find_element(By.CSS_SELECTOR, ".returned")
    assert "春节前后业主多不在家，请将投票改到三月" in note.text
    assert "等待您核对日期和表决事项" in driver.page_source
    audit(driver, f"returned ballot ({size})")
    full_shot(driver, f"organizer-returned-{size}")
