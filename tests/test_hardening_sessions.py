"""Signing out ends the session and the tokens on the server; sessions and tokens have a lifetime."""
import datetime

from portal import clock
from portal.security import SESSION_COOKIE, sessions
from tests.conftest import browser, sign_in, token_for

STAFF_PAGE = "/tianhe/shipai/@add"


def test_a_copied_session_cookie_stops_working_at_sign_out(app):
    visitor = browser(app)
    sign_in(visitor, "street")
    copied = visitor.cookies[SESSION_COOKIE]
    visitor.get(STAFF_PAGE, status=200)
    visitor.get("/").forms[0].submit()                  # the sign-out form in the header
    thief = browser(app)
    thief.set_cookie(SESSION_COOKIE, copied)
    assert thief.get(STAFF_PAGE, expect_errors=True).status_int == 403


def test_a_token_stops_working_at_sign_out(app):
    client = browser(app)
    token = token_for(client, "street")
    headers = {"Accept": "application/json", "Authorization": "Bearer " + token}
    client.get("/tianhe/shipai/mingyuan/@sharing", headers=headers, status=200)
    assert client.post("/@logout", headers=headers).json == {"signed_out": True}
    res = client.get("/tianhe/shipai/mingyuan/@sharing", headers=headers, status=401)
    assert res.json["message"]


def test_a_session_ends_after_its_lifetime_however_active(app, monkeypatch):
    visitor = browser(app)
    start = sessions.wall_now()
    monkeypatch.setattr(sessions, "wall_now", lambda: start)
    sign_in(visitor, "street")
    monkeypatch.setattr(sessions, "wall_now", lambda: start + sessions.SESSION_LIFETIME - datetime.timedelta(minutes=1))
    visitor.get(STAFF_PAGE, status=200)
    clock.set_now(start + datetime.timedelta(days=60))          # the portal's clock does not matter
    visitor.get(STAFF_PAGE, status=200)
    monkeypatch.setattr(sessions, "wall_now", lambda: start + sessions.SESSION_LIFETIME)
    assert visitor.get(STAFF_PAGE, expect_errors=True).status_int == 403


def test_session_lifetime_boundaries():
    now = datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.timezone.utc)
    began = int((now - sessions.SESSION_LIFETIME).timestamp())
    assert sessions.expired(began, now)
    assert not sessions.expired(began + 1, now)
    assert sessions.expired(None, now)


def test_a_token_has_a_lifetime(app):
    from portal.security.tokens import TOKEN_LIFETIME

    client = browser(app)
    start = clock.real_now()
    clock.set_now(start)
    headers = {"Accept": "application/json", "Authorization": "Bearer " + token_for(client, "street")}
    clock.set_now(start + TOKEN_LIFETIME + datetime.timedelta(seconds=1))
    client.get("/tianhe/shipai/mingyuan/@sharing", headers=headers, status=401)
