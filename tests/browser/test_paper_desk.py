"""The paper desk on a desktop (issue 20): the organizer finds two units by building and room and
enters their paper ballots with scans; street staff read each scan beside its marks and approve both
in one batch after a confirmation.  axe finds no violation on any of these pages."""
import datetime

import webtest
from PIL import Image, ImageDraw
from selenium.webdriver.common.by import By

from portal import clock
from portal.ballots.rules import midnight
from tests.browser.conftest import audit, shot
from tests.browser.test_journeys import fill, sign_in, wait_for_text
from tests.conftest import token_for

BALLOT = "/tianhe/shipai/mingyuan/ballots/b2"


def scan_file(tmp_path, name):
    """A PNG that looks like a scanned paper ballot with its ticks."""
    image = Image.new("RGB", (600, 800), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((30, 30, 570, 770), outline="black", width=3)
    for row in range(3):
        y = 160 + row * 160
        draw.line((60, y, 540, y), fill="black", width=2)
        draw.rectangle((80, y + 40, 120, y + 80), outline="black", width=2)
        draw.line((85, y + 60, 100, y + 75), fill="blue", width=4)
        draw.line((100, y + 75, 118, y + 42), fill="blue", width=4)
    path = tmp_path / name
    image.save(path)
    return path


def units_to_enter(app):
    """Two dwellings whose owners have not voted, as (title, building, room)."""
    from portal.bootstrap import ROOT_KEY

    with app.registry._zodb_databases[""].transaction() as conn:
        register = conn.root()[ROOT_KEY]["tianhe"]["shipai"]["mingyuan"]["register"]
        units = [u for u in register.values() if u.kind == "dwelling" and len(u.owners) == 1
                 and u.owners[0].id_hash not in register.bindings][:2]
        return [(u.title, u.building, u.room) for u in units]


def enter_one(driver, base, title, building, room, scan):
    driver.get(base + BALLOT + "/@paper")
    fill(driver, "q", f"{building} {room}")
    driver.find_element(By.CSS_SELECTOR, "form.unit-picker button").click()
    driver.find_element(By.LINK_TEXT, title).click()
    groups = {}
    for radio in driver.find_elements(By.CSS_SELECTOR, "section.paper-enter input[type=radio]"):
        groups.setdefault(radio.get_attribute("name"), []).append(radio)
    for radios in groups.values():
        driver.execute_script("arguments[0].click()", [r for r in radios if r.get_attribute("value") == "agree"][0])
    driver.find_element(By.CSS_SELECTOR, "input[type=file][name=upload]").send_keys(str(scan))
    driver.find_element(By.CSS_SELECTOR, "button[name=enter]").click()
    wait_for_text(driver, "已录入；须由另一人核对。")


def approve_both(driver, confirm_shot, approved_shot):
    """Tick the two entries on the paper desk, confirm the batch, see both counted."""
    boxes = driver.find_elements(By.CSS_SELECTOR, "form.paper-batch input[name=ids]")
    assert len(boxes) == 2
    for box in boxes:
        box.click()
    driver.find_element(By.CSS_SELECTOR, "form.paper-batch button[type=submit]").click()
    wait_for_text(driver, "批准这 2 张票？")
    audit(driver, "batch confirmation")
    shot(driver, confirm_shot)
    driver.find_element(By.CSS_SELECTOR, "p.confirm-actions button").click()
    wait_for_text(driver, "已批准并计入 2 张")
    assert len(driver.find_elements(By.XPATH, "//td[contains(., '已批准，计入')]")) == 2
    shot(driver, approved_shot)


def test_entering_and_batch_approving_paper_ballots_on_a_desktop(server, desktop, tmp_path):
    app, base = server
    client = webtest.TestApp(app)
    headers = {"Accept": "application/json", "Authorization": "Bearer " + token_for(client, "street")}
    start = datetime.date.fromisoformat(client.get(BALLOT, headers=headers).json["start_date"])
    clock.set_now(midnight(start) + datetime.timedelta(days=1, hours=9))
    units = units_to_enter(app)
    sign_in(desktop, base, "organizer")
    desktop.get(base + BALLOT + "/@paper")
    audit(desktop, "paper desk (organizer)")
    for n, (title, building, room) in enumerate(units):
        enter_one(desktop, base, title, building, room, scan_file(tmp_path, f"scan{n}.png"))
    shot(desktop, "paper-01-entered")
    desktop.delete_all_cookies()
    sign_in(desktop, base, "street")
    desktop.get(base + BALLOT + "/@paper-entry?id=p1")
    scan = desktop.find_element(By.CSS_SELECTOR, "figure.paper-scan img")
    marks = desktop.find_element(By.CSS_SELECTOR, "div.paper-marks dl.marks")
    assert scan.location["x"] + scan.size["width"] <= marks.location["x"]         # side by side
    assert "修订《明苑小区业主大会议事规则》" in marks.text
    shot(desktop, "paper-02-scan-beside-marks")
    audit(desktop, "paper entry with its scan")
    desktop.get(base + BALLOT + "/@paper")
    approve_both(desktop, "paper-03-confirm-batch", "paper-04-approved")
    audit(desktop, "paper desk (street)")
