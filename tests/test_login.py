"""Signing in and out, passwords, throttling, CSRF and the session cookie."""
from portal import clock
from tests.conftest import browser, sign_in, token_for


def test_sign_in_and_out(app, portal_in):
    visitor = browser(app)
    res = sign_in(visitor, "street")
    assert res.status_int == 302
    cookie = res.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    home = res.follow()
    assert "石牌街道办事处" in home.text
    home.forms[0].submit().follow()   # the sign-out form in the header
    assert "石牌街道办事处" not in visitor.get("/").text
    with portal_in() as portal:
        actions = [e["action"] for e in portal.audit_log.under("/")]
        assert actions[:2] == ["account.logout", "account.login"]


def test_a_wrong_password_is_refused_with_a_message_that_does_not_say_which_part(app):
    visitor = browser(app)
    for login in ("street", "nobody-here"):
        page = sign_in(visitor, login, "wrong-password")
        assert page.status_int == 400
        assert "登录名或密码错误" in page.text


def test_sign_in_is_throttled_per_account(app):
    visitor = browser(app)
    clock.set_now(clock.now().replace(hour=2, minute=0))
    for _ in range(5):
        sign_in(visitor, "street", "wrong-password")
    page = sign_in(visitor, "street")   # even the right password now waits
    assert page.status_int == 400
    assert "失败次数过多" in page.text and "10:15" in page.text   # 02:15 UTC in Shanghai
    other = sign_in(browser(app), "admin")
    assert other.status_int == 302     # other accounts are not affected
    clock.advance(minutes=15)
    assert sign_in(visitor, "street").status_int == 302


def test_sign_in_is_throttled_per_client_address(app):
    visitor = browser(app)
    for i in range(30):
        visitor.post_json("/@login", {"login": f"guess{i}", "password": "x"},
                          headers={"Accept": "application/json"}, status=401)
    res = visitor.post_json("/@login", {"login": "admin", "password": "admin-demo"},
                            headers={"Accept": "application/json"}, status=429)
    assert res.json["error"] == "login_failed"
    elsewhere = browser(app)
    elsewhere.extra_environ["REMOTE_ADDR"] = "10.0.0.2"
    assert sign_in(elsewhere, "admin").status_int == 302


def test_after_sign_in_the_user_returns_only_to_this_site(app):
    visitor = browser(app)
    page = visitor.get("/@login", {"came_from": "https://evil.example/x"})
    form = page.forms["form"]
    form["login"], form["password"] = "admin", "admin-demo"
    assert form.submit("signin").location == "http://localhost/"


def test_changing_the_password_through_the_form(as_role, app):
    clerk = as_role("street")
    form = clerk.get("/@password").forms["form"]
    form["current_password"] = "wrong"
    form["new_password"] = "a-new-password"
    form["new_password-confirm"] = "a-new-password"
    page = form.submit("save", status=400)
    assert "当前密码错误" in page.text
    form = page.forms["form"]
    form["current_password"] = "street-demo"
    form["new_password"] = "a-new-password"
    form["new_password-confirm"] = "a-new-password"
    assert "您的密码已修改" in form.submit("save").follow().text
    assert sign_in(browser(app), "street", "street-demo").status_int == 400
    assert sign_in(browser(app), "street", "a-new-password").status_int == 302


def test_a_too_short_new_password_is_refused(as_role):
    form = as_role("street").get("/@password").forms["form"]
    form["current_password"] = "street-demo"
    form["new_password"] = form["new_password-confirm"] = "short"
    assert "请至少使用 8 个字符" in form.submit("save", status=400).text


def test_unsafe_requests_with_the_session_cookie_need_the_csrf_token(as_role, portal_in):
    clerk = as_role("street")
    form = clerk.get("/tianhe/shipai/@add").forms["form"]
    form["id"], form["title"], form["address"] = "forged", "伪造", "x"
    form["csrf_token"] = "not-the-token"
    page = form.submit("add", status=400)
    assert "表单已过期" in page.text
    clerk.post("/@logout", status=400)
    with portal_in() as portal:
        assert "forged" not in portal["tianhe"]["shipai"]


def test_the_api_signs_in_with_a_token_and_needs_no_csrf(app, portal_in):
    client = browser(app)
    token = token_for(client, "street")
    res = client.post_json("/tianhe/shipai", {"@type": "Community", "id": "apicom", "title": "接口小区",
                                              "address": "地址"},
                           headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
                           status=201)
    assert res.json["@id"] == "http://localhost/tianhe/shipai/apicom"


def test_a_forged_or_revoked_token_gets_401(app):
    client = browser(app)
    token = token_for(client, "street")
    headers = {"Authorization": f"Bearer {token}x", "Accept": "application/json"}
    res = client.post_json("/tianhe/shipai", {"@type": "Community"}, headers=headers, status=401)
    assert res.json["error"] == "unauthorized"
    good = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    client.post_json("/@password", {"current_password": "street-demo", "new_password": "another-pass"},
                     headers=good)
    client.get("/@accounts", headers=good, status=401)   # the old token no longer works


def test_the_api_login_refuses_a_wrong_password(api):
    client, headers = api()
    res = client.post_json("/@login", {"login": "admin", "password": "nope"}, headers=headers, status=401)
    assert res.json["message"] == "登录名或密码错误。"
    res = client.post_json("/@login", {"login": "admin"}, headers=headers, status=400)
    assert res.json["errors"]["password"] == "必需"
