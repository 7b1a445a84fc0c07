"""A page that changes nothing in the session sends no session cookie (found by the browser tests,
which signed in and were signed out again now and then): a request still carrying the session of
before the sign-in (the browser's favicon request from the sign-in page, another tab) must not
put that session back when its answer comes last."""
import webtest

from portal.security import SESSION_COOKIE
from tests.conftest import sign_in


def session_cookies(response):
    return [v for k, v in response.headerlist if k.lower() == "set-cookie" and v.startswith(SESSION_COOKIE + "=")]


def test_a_late_answer_to_a_request_of_before_the_sign_in_does_not_sign_out(app):
    client = webtest.TestApp(app, extra_environ={"HTTP_HOST": "localhost"})
    client.get("/@login")
    before = client.cookies[SESSION_COOKIE]
    late = webtest.TestApp(app, extra_environ={"HTTP_HOST": "localhost"})
    late.set_cookie(SESSION_COOKIE, before)
    sign_in(client, "street")
    assert client.cookies[SESSION_COOKIE] != before
    for path, status in (("/favicon.ico", 404), ("/", 200), ("/tianhe/", 200)):
        answer = late.get(path, status=status)          # sent before the sign-in, answered after
        assert session_cookies(answer) == [], path
    assert "退出" in client.get("/tianhe/shipai/@worklist").text


def test_a_flash_message_is_still_shown_once(as_role):
    owner = as_role("owner1")
    confirm = owner.get("/tianhe/shipai/mingyuan/@unbind")
    landing = [f for f in confirm.forms.values() if f.action.endswith("/@unbind")][0].submit().follow()
    assert "已解除与明苑小区的绑定" in landing.text
    assert "已解除与明苑小区的绑定" not in owner.get("/@my").text
