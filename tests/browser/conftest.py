"""Browser tests: the portal served by waitress in this process, driven by Debian's chromium.

The server runs in-process so that the tests can set the portal's clock and prepare data in the
database directly; the browser talks to it over HTTP on 127.0.0.1 like any phone would.
Screenshots of each journey's key pages are saved under test-output/screenshots/.
"""
import os
import shutil
from pathlib import Path

import pytest

from portal import clock
from tests.conftest import demo_storage
from tests.support.threaded import served

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-output" / "screenshots"
AXE = ROOT / ".browser" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
PHONE = (390, 844)
DESKTOP = (1280, 900)


@pytest.fixture
def server(tmp_path, tmp_path_factory):
    app = demo_storage(tmp_path, tmp_path_factory)
    with served(app) as httpd:
        yield app, f"http://127.0.0.1:{httpd.effective_port}"
    app.registry._zodb_databases[""].close()
    clock.set_now(None)


def make_browser(size):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")      # never let Selenium fetch a browser or driver
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--window-size={size[0]},{size[1]}", "--lang=zh-CN"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_window_size(*size)
    driver.implicitly_wait(3)
    return driver


@pytest.fixture
def phone():
    driver = make_browser(PHONE)
    yield driver
    driver.quit()


@pytest.fixture
def desktop():
    driver = make_browser(DESKTOP)
    yield driver
    driver.quit()


def shot(driver, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SHOTS / f"{name}.png"))


def audit(driver, page):
    """axe-core in the page: no violation of WCAG 2.1 A/AA rules may remain."""
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
        ".then(r => done(r.violations.map(v => [v.id, v.impact, v.nodes.length,"
        " v.nodes.slice(0, 3).map(n => n.target.join(' '))])))")
    assert result == [], f"{page}: {result}"
