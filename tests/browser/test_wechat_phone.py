"""WeChat sign-in on a phone (issue 17): the owner opens the portal's WeChat entry, allows the
official account on the stand-in's authorisation page, links WeChat once after the usual
sign-in, and from then on is signed in by WeChat alone; axe finds no violation."""

import pytest
from selenium.webdriver.common.by import By

from portal import clock, main
from portal.notify.rules import EVENTS
from tests.browser.conftest import audit, make_browser, shot, PHONE
from tests.browser.test_journeys import click_button, fill, wait_for_text
from tests.conftest import build_demo, make_settings
from tests.support.loopback import free_port
from tests.support.threaded import served


@pytest.fixture
def wechat_server(tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    settings = dict(make_settings(tmp_path), **{
        "portal.wechat_double": "true", "portal.wechat_app_id": "wxdevelopment",
        "portal.wechat_secret": "development-only-wechat-secret", "portal.wechat_token": "development-only-token",
        "portal.wechat_api_url": base + "/wechat-double/", "portal.wechat_oauth_url": base + "/wechat-double/connect/",
        "portal.public_url": base, **{f"portal.wechat_template.{e}": f"TPL_{e}" for e in EVENTS}})
    app = main({}, **settings)
    build_demo(app)
    with served(app, port=port):
        yield app, base
    app.registry._zodb_databases[""].close()
    clock.set_now(None)


def arrived(driver, path, seconds=10):
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        WebDriverWait(driver, seconds).until(lambda d: d.current_url.split("?")[0].endswith(path))
    except Exception:
        raise AssertionError(f"expected {path}, at {driver.current_url}: {driver.find_element(By.TAG_NAME, 'main').text[:300]}")


def allow(driver, name):
    """The stand-in's authorisation page: who the WeChat user is, and "allow"."""
    wait_for_text(driver, "微信网页授权")
    fill(driver, "name", name)
    driver.find_element(By.CSS_SELECTOR, "form#wechat-allow button").click()


def sign_in_form(driver, seconds=15):
    """Wait for the sign-in form the callback leads to (under load, longer than the implicit 3 s)."""
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        WebDriverWait(driver, seconds).until(lambda d: d.find_elements(By.NAME, "login"))
    except Exception:
        raise AssertionError(f"no sign-in form at {driver.current_url}: {driver.find_element(By.TAG_NAME, 'main').text[:300]}")


def signed_out(driver, seconds=15):
    """Wait until the sign-out has landed: a page without the signed-in user's menu."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, seconds).until(lambda d: not d.find_elements(By.CSS_SELECTOR, "nav.user button.link"))


def test_an_owner_links_wechat_once_then_signs_in_by_wechat_on_a_phone(wechat_server):
    _app, base = wechat_server
    driver = make_browser(PHONE)
    try:
        driver.get(base + "/@wechat")
        allow(driver, "owner-one")
        sign_in_form(driver)
        fill(driver, "login", "owner1")                     # the usual sign-in, once
        fill(driver, "password", "owner1-demo")
        click_button(driver, "signin")
        shot(driver, "owner-10-wechat-link")
        audit(driver, "wechat link")
        driver.find_element(By.CSS_SELECTOR, "form#wechat-link button").click()
        arrived(driver, "/@my")
        driver.find_element(By.CSS_SELECTOR, "nav.user button.link").click()     # sign out
        signed_out(driver)                                   # before the next page is asked for
        driver.get(base + "/@wechat")
        allow(driver, "owner-one")
        arrived(driver, "/@my")                              # signed in by WeChat alone
        assert driver.find_elements(By.CSS_SELECTOR, "nav.user button.link")
        shot(driver, "owner-11-wechat-signed-in")
    finally:
        driver.quit()
