"""The owner's and the organizer's journeys in headless Chromium, checked with axe-core."""
import datetime
import json
import re

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from portal import clock
from portal.ballots.rules import midnight
from portal.bootstrap import ROOT_KEY
from tests.browser.conftest import audit, shot


def fill(driver, name, value):
    field = driver.find_element(By.NAME, name)
    field.clear()
    field.send_keys(value)


def wait_for_text(driver, text, seconds=10):
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, seconds).until(lambda d: text in d.page_source)


def click_button(driver, name):
    driver.find_element(By.CSS_SELECTOR, f"button[name='{name}']").click()


def test_an_owner_signs_up_binds_votes_and_checks_the_receipt_on_a_phone(server, phone):
    app, base = server
    db = app.registry._zodb_databases[""]
    personal = app.registry.personal_data
    with db.transaction() as conn:
        portal = conn.root()[ROOT_KEY]
        register = portal["tianhe"]["shipai"]["mingyuan"]["register"]
        unit = [u for u in register.values() if u.kind == "dwelling" and len(u.owners) == 1
                and u.owners[0].id_hash not in register.bindings][0]
        name, number = personal.decrypt(unit.owners[0].name_enc), personal.decrypt(unit.owners[0].id_enc)
        from portal.binding import codes

        letter = codes.issue_letter(register, unit, unit.owners[0], personal, clock.now(), "")
        start = portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"].start_date

    phone.get(base + "/@register")
    audit(phone, "sign-up")
    fill(phone, "phone", "13766667777")
    click_button(phone, "send")
    phone.find_element(By.NAME, "code")           # waits for the second step to load
    outbox = app.registry.settings["portal.outbox_file"]
    code = re.search(r"\d{6}", json.loads(open(outbox, encoding="utf-8").read().splitlines()[-1])["text"]).group(0)
    fill(phone, "code", code)
    fill(phone, "password", "owner-password")
    fill(phone, "password-confirm", "owner-password")
    shot(phone, "owner-01-sign-up")
    click_button(phone, "create")
    wait_for_text(phone, "我的房屋")

    phone.get(base + "/tianhe/shipai/mingyuan/@bind")
    audit(phone, "bind")
    fill(phone, "name", name)
    fill(phone, "id_number", number)
    fill(phone, "code", letter)
    shot(phone, "owner-02-bind")
    click_button(phone, "bind")
    wait_for_text(phone, "您已绑定明苑小区")
    assert unit.title in phone.page_source

    clock.set_now(midnight(start) + datetime.timedelta(hours=9))
    phone.get(base + "/tianhe/shipai/mingyuan/ballots/b2/")
    audit(phone, "ballot")
    assert phone.find_elements(By.CSS_SELECTOR, ".bar-figure strong")[0].text.startswith("0 / ")
    phone.find_element(By.LINK_TEXT, "现在投票").click()
    wait_for_text(phone, "核对我的选择")
    audit(phone, "vote")
    radios = phone.find_elements(By.CSS_SELECTOR, "input[type=radio]")
    assert len(radios) == 9
    # keyboard only: focus the first choice of each matter and move with the arrow keys
    for index, moves in ((0, 0), (3, 1), (6, 2)):
        radios[index].send_keys(Keys.SPACE)
        for _ in range(moves):
            phone.switch_to.active_element.send_keys(Keys.ARROW_DOWN)
    shot(phone, "owner-03-vote")
    phone.find_element(By.CSS_SELECTOR, "button[name='review']").send_keys(Keys.ENTER)   # keyboard only
    wait_for_text(phone, "确认并投票")
    audit(phone, "confirm")
    assert "✓ 同意" in phone.page_source and "✗ 反对" in phone.page_source and "○ 弃权" in phone.page_source
    shot(phone, "owner-04-confirm")
    phone.find_element(By.CSS_SELECTOR, "button[name='confirm']").send_keys(Keys.ENTER)
    wait_for_text(phone, "您的投票已记录")
    receipt = phone.find_element(By.CSS_SELECTOR, ".receipt-code").text
    assert len(receipt) == 14
    shot(phone, "owner-05-receipt")
    phone.get(base + "/tianhe/shipai/mingyuan/ballots/b2/")
    bars = phone.find_elements(By.CSS_SELECTOR, ".bar-figure strong")
    assert bars[0].text.startswith("1 / ")                 # it read "0 / ..." before the vote
    assert float(phone.find_element(By.CSS_SELECTOR, ".bar-figure svg rect.fill").get_attribute("width")) > 0
    shot(phone, "owner-06-progress")

    with db.transaction() as conn:
        ballot = conn.root()[ROOT_KEY]["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"]
        end = ballot.end_date
    clock.set_now(midnight(end + datetime.timedelta(days=1)) + datetime.timedelta(hours=9))
    with db.transaction() as conn:
        from portal.ballots import lifecycle

        ballot = conn.root()[ROOT_KEY]["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"]
        lifecycle.catch_up(ballot, clock.now())
        lifecycle.fire(ballot, "publish_preliminary", "", clock.now())
    phone.get(base + "/tianhe/shipai/mingyuan/ballots/b2/@results")
    audit(phone, "results")
    assert len(phone.find_elements(By.CSS_SELECTOR, "section.result")) == 3
    shot(phone, "owner-07-results")
    phone.get(base + "/tianhe/shipai/mingyuan/ballots/b2/@receipt?code=" + receipt)
    choices = [li.text for li in phone.find_elements(By.CSS_SELECTOR, "ol.choices li")]
    assert [c.split(": ")[1] for c in choices] == ["✓ 同意", "✗ 反对", "○ 弃权"]
    shot(phone, "owner-08-receipt-check")


def sign_in(driver, base, login):
    driver.get(base + "/@login")
    fill(driver, "login", login)
    fill(driver, "password", f"{login}-demo")
    click_button(driver, "signin")
    signed_in(driver, login)


def signed_in(driver, who):
    """Wait for the sign-out button after tapping "sign in": asking for the next page before it
    shows can cancel the sign-in's POST (a loaded machine may take longer than the implicit 3 s)."""
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        WebDriverWait(driver, 15).until(lambda d: d.find_elements(By.CSS_SELECTOR, "nav.user button.link"))
    except Exception:
        main = driver.find_elements(By.TAG_NAME, "main")
        raise AssertionError(f"{who} not signed in, at {driver.current_url}: "
                             f"{main[0].text[:500] if main else driver.page_source[:500]}") from None


def test_an_organizer_drafts_and_street_staff_publish_on_a_desktop(server, desktop):
    app, base = server
    sign_in(desktop, base, "organizer")
    desktop.get(base + "/tianhe/shipai/mingyuan/ballots/@add")
    audit(desktop, "draft form")
    fill(desktop, "title", "浏览器测试表决")
    today = clock.now().date()
    dates = desktop.find_elements(By.CSS_SELECTOR, "input[type=date]")
    for field, day in zip(dates, (today + datetime.timedelta(days=20), today + datetime.timedelta(days=25))):
        desktop.execute_script("arguments[0].value = arguments[1]", field, day.isoformat())
    for _ in range(2):
        # the matters' own "add" (each matter has its own for candidates and options inside it)
        add = desktop.execute_script(
            "return Array.from(document.querySelectorAll('.item-matters .deform-seq-add')).filter("
            "a => a.parentElement.closest('.mb-3[class*=item-]').classList.contains('item-matters'))[0]")
        desktop.execute_script("arguments[0].scrollIntoView()", add)
        add.click()                           # deform's JavaScript adds a matter
    titles = desktop.find_elements(By.CSS_SELECTOR, "input[name=title]")[1:]
    texts = desktop.find_elements(By.CSS_SELECTOR, "textarea[name=text]")
    assert len(titles) == 3 and len(texts) == 3
    for n, (title, text) in enumerate(zip(titles, texts), start=1):
        title.send_keys(f"浏览器事项{n}")
        text.send_keys(f"第{n}项的全文")
    shot(desktop, "organizer-01-draft")
    click_button(desktop, "save")
    wait_for_text(desktop, "浏览器事项3")
    desktop.find_element(By.XPATH, "//button[contains(., '提交街道审核')]").click()
    wait_for_text(desktop, "已提交街道审核")
    url = desktop.current_url
    desktop.delete_all_cookies()
    sign_in(desktop, base, "street")
    desktop.get(url)
    desktop.find_element(By.XPATH, "//button[contains(., '审核通过')]").click()
    wait_for_text(desktop, "已审核通过")
    desktop.find_element(By.XPATH, "//button[contains(., '发布公告')]").click()
    wait_for_text(desktop, "公告中")
    shot(desktop, "organizer-02-published")
    desktop.get(url + "@notice")
    audit(desktop, "notice")


def test_an_owner_reads_the_rules_of_procedure_and_a_filing_receipt(server, phone):
    app, base = server
    db = app.registry._zodb_databases[""]
    from portal.documents import service
    from portal.workflow import engine

    with db.transaction() as conn:
        portal = conn.root()[ROOT_KEY]
        container = portal["tianhe"]["shipai"]["mingyuan"]["documents"]
        for doc_type, title in (("rules_of_procedure", "明苑小区业主大会议事规则"),
                                ("receipt_committee", "业主委员会备案回执")):
            doc = service.create(container, {"doc_type": doc_type, "title": title, "filing_number": "2026-1",
                                             "filing_date": datetime.date(2026, 3, 1)},
                                 "doc.pdf", b"%PDF-1.4 filed %%EOF", "", clock.now())
            engine.fire(portal.workflows["document"], doc, "publish", "", clock.now())
    sign_in(phone, base, "owner1")
    phone.get(base + "/tianhe/shipai/mingyuan/documents/")
    audit(phone, "documents")
    shot(phone, "reader-01-documents")
    phone.find_element(By.PARTIAL_LINK_TEXT, "业主大会议事规则").click()
    wait_for_text(phone, "阅读文件")
    audit(phone, "document")
    shot(phone, "reader-02-rules")
    assert "阅读文件" in phone.page_source
    phone.get(base + "/tianhe/shipai/mingyuan/documents/")
    phone.find_element(By.PARTIAL_LINK_TEXT, "业主委员会备案回执").click()
    wait_for_text(phone, "2026-1")
