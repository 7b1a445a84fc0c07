"""A stranger cannot lock the real user out: the hard lock is per account and address; failures
from anywhere only delay; an address trying many accounts is locked sooner."""
import datetime

from portal import clock
from portal.security.throttle import LOGIN_ADDRESS, LOGIN_ANYWHERE, delayed_until
from tests.conftest import browser, sign_in
from webtest import TestApp

T0 = datetime.datetime(2026, 11, 1, 8, 0, tzinfo=datetime.timezone.utc)
SEC = datetime.timedelta(seconds=1)
WINDOW = datetime.timedelta(minutes=15)
DELAY = datetime.timedelta(seconds=30)


def test_the_delay_starts_at_the_limit_and_lasts_from_the_latest_failure():
    nine = [T0 + i * SEC for i in range(9)]
    assert delayed_until(nine, T0 + 10 * SEC, 10, WINDOW, DELAY) is None
    ten = nine + [T0 + 9 * SEC]
    assert delayed_until(ten, T0 + 10 * SEC, 10, WINDOW, DELAY) == T0 + 9 * SEC + DELAY
    assert delayed_until(ten, T0 + 9 * SEC + DELAY, 10, WINDOW, DELAY) is None
    assert delayed_until(ten, T0 + WINDOW + 9 * SEC, 10, WINDOW, DELAY) is None


def from_address(app, address):
    return TestApp(app, extra_environ={"HTTP_HOST": "localhost", "REMOTE_ADDR": address})


def test_a_stranger_elsewhere_cannot_lock_out_the_administrator(app):
    clock.set_now(clock.now().replace(hour=2, minute=0))
    for n in range(12):                      # from several addresses, more than any limit
        sign_in(from_address(app, f"198.51.100.{n % 3}"), "admin", "wrong-password")
    assert sign_in(from_address(app, "198.51.100.0"), "admin").status_int == 400    # there: locked
    clock.advance(seconds=LOGIN_ANYWHERE.delay.seconds)
    assert sign_in(browser(app), "admin").status_int == 302       # the real admin, half a minute on


def test_failures_from_anywhere_make_the_next_attempt_wait(app):
    clock.set_now(clock.now().replace(hour=2, minute=0))
    for n in range(LOGIN_ANYWHERE.limit):
        sign_in(from_address(app, f"203.0.113.{n}"), "street", "wrong-password")
    page = sign_in(browser(app), "street")
    assert page.status_int == 400 and "失败次数过多" in page.text
    clock.advance(seconds=LOGIN_ANYWHERE.delay.seconds)
    assert sign_in(browser(app), "street").status_int == 302


def test_an_address_trying_many_accounts_is_locked(app):
    clock.set_now(clock.now().replace(hour=2, minute=0))
    attacker = from_address(app, "192.0.2.9")
    for n in range(LOGIN_ADDRESS.limit):
        sign_in(attacker, f"guess{n}", "wrong-password")
    assert sign_in(attacker, "district").status_int == 400
    assert sign_in(browser(app), "district").status_int == 302
