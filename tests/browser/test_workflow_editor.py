"""A city administrator adds a state in the workflow editor, reads the preview, saves (issue 20)."""
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from portal.bootstrap import ROOT_KEY
from tests.browser.conftest import audit, make_browser, shot
from tests.browser.test_journeys import click_button, sign_in, wait_for_text

DESKTOP = (1366, 900)


@pytest.fixture
def wide():
    driver = make_browser(DESKTOP)
    yield driver
    driver.quit()


def choose(driver, form_id, name, value):
    Select(driver.find_element(By.CSS_SELECTOR, f"#{form_id} select[name='{name}']")).select_by_value(value)


def test_an_administrator_adds_a_state_sees_the_preview_and_saves(server, wide):
    app, base = server
    sign_in(wide, base, "admin")
    wide.get(base + "/@workflows/ballot")
    wait_for_text(wide, "各状态下谁可以做什么")
    assert wide.find_element(By.CSS_SELECTOR, "#diagram svg").is_displayed()
    shot(wide, "workflow-01-editor-diagram")
    audit(wide, "workflow editor")
    wide.execute_script("document.getElementById('editor').scrollIntoView()")
    shot(wide, "workflow-02-grid")

    form = "new-state"
    wide.execute_script("document.getElementById('add-state').scrollIntoView()")
    field = wide.find_element(By.CSS_SELECTOR, f"#{form} input[name='id']")
    field.clear()
    field.send_keys("second_review")
    for name, value in (("title_zh", "街道复核"), ("title_en", "Second review by the street")):
        box = wide.find_element(By.CSS_SELECTOR, f"#{form} input[name='{name}']")
        box.clear()
        box.send_keys(value)
    choose(wide, form, "phase", "review")
    choose(wide, form, "after", "approved")
    choose(wide, form, "enter_permission", "review")
    choose(wide, form, "before", "approved")
    choose(wide, form, "leave_permission", "review")
    choose(wide, form, "copy_from", "approved")
    shot(wide, "workflow-03-add-state")
    wide.find_element(By.CSS_SELECTOR, f"#{form} button[name='add_state']").click()

    wait_for_text(wide, "保存前请核对修改内容")
    assert "新增状态：街道复核" in wide.find_element(By.CSS_SELECTOR, ".state-added").text
    assert "街道复核" in wide.find_element(By.CSS_SELECTOR, "svg").get_attribute("textContent")
    shot(wide, "workflow-04-preview")
    audit(wide, "workflow preview")
    click_button(wide, "save")

    wait_for_text(wide, "流程已保存并生效")
    shot(wide, "workflow-05-saved")
    db = app.registry._zodb_databases[""]
    with db.transaction() as conn:
        definition = conn.root()[ROOT_KEY].workflows["ballot"]
        assert definition["states"]["second_review"]["title"]["zh"] == "街道复核"
        assert definition["transitions"]["to_second_review"]["from"] == ["approved"]
    wide.get(base + "/@workflows/ballot")
    assert "街道复核" in wide.find_element(By.CSS_SELECTOR, "#diagram svg").get_attribute("textContent")
