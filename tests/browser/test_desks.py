"""The staff desks in headless Chromium at desktop size, checked with axe-core: district staff
land on their desk after signing in, the city administrators' desk with its charts, the street's
worklist, and the audit log in words with its raw fields behind a toggle."""
import datetime

import transaction
from selenium.webdriver.common.by import By

from portal import clock
from portal.desks.series import record_job
from tests.browser.conftest import audit, shot
from tests.browser.test_journeys import sign_in, wait_for_text
from tests.conftest import current


def record_months(app):
    """Three monthly recordings by the periodic job (the clock moved on a month each time)."""
    db = app.registry._zodb_databases[""]
    start = clock.now()
    with current(app.registry):
        for months in (0, 1, 2):
            clock.set_now(start + datetime.timedelta(days=31 * months))
            conn = db.open(transaction.TransactionManager(explicit=True))
            try:
                record_job(conn, app.registry)
            finally:
                conn.close()


def test_district_staff_land_on_their_desk_and_the_city_sees_its_coverage(server, desktop):
    app, base = server
    record_months(app)
    sign_in(desktop, base, "district")
    assert desktop.current_url == base + "/tianhe/@worklist"
    wait_for_text(desktop, "尚未建立投票数据库的小区")
    assert "3 个小区中 1 个已建立投票数据库" in desktop.page_source
    shot(desktop, "desks-01-district")
    audit(desktop, "district desk")
    desktop.find_element(By.PARTIAL_LINK_TEXT, "侨苑花园").click()
    wait_for_text(desktop, "导入")                          # the register's import page
    desktop.delete_all_cookies()
    sign_in(desktop, base, "admin")
    assert desktop.current_url == base + "/@worklist"
    charts = desktop.find_elements(By.CSS_SELECTOR, "svg.chart")
    assert len(charts) == 3 and all(c.size["height"] > 100 for c in charts)
    shot(desktop, "desks-02-city")
    desktop.execute_script("document.getElementById('over-time').scrollIntoView()")
    shot(desktop, "desks-02-city-charts")
    audit(desktop, "city desk")
    desktop.delete_all_cookies()
    sign_in(desktop, base, "street")
    assert desktop.current_url == base + "/tianhe/shipai/@worklist"
    shot(desktop, "desks-03-street")
    audit(desktop, "street worklist")


def test_the_audit_log_reads_in_words_with_the_raw_fields_behind_a_toggle(server, desktop):
    _app, base = server
    sign_in(desktop, base, "admin")
    desktop.get(base + "/@audit")
    wait_for_text(desktop, "市住房城乡建设局 登录")
    toggle = desktop.find_element(By.CSS_SELECTOR, "ol.audit details summary")
    toggle.click()
    assert "account.login" in desktop.find_element(By.CSS_SELECTOR, "ol.audit details").text
    shot(desktop, "desks-04-audit")
    audit(desktop, "audit log")
    desktop.execute_script("document.getElementById('audit-until').value = '2020-01-01'")
    desktop.find_element(By.CSS_SELECTOR, "#audit-filter button[type=submit]").click()
    wait_for_text(desktop, "没有符合条件的记录")
    audit(desktop, "audit log, filtered")
