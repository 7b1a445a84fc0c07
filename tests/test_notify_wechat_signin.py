"""Signing in with WeChat through the stand-in (OAuth 2.0 snsapi_base, the code exchanged server
to server), linking once after the usual sign-in, then signed in by WeChat; the official
account's server messages are signature checked and update who follows."""
from urllib.parse import parse_qs, urlsplit

import webtest

from portal.notify import links
from portal.notify.models import store_of
from portal.standins.wechat import openid_of
from tests.conftest import browser, sign_in
from tests.notify_helpers import setup  # noqa: F401  (setup: the fixture)


def sign_in_from(client, login_location, login):
    """The usual sign-in form, from where the WeChat callback sent the browser; where it goes."""
    form = client.get(login_location.replace("http://localhost", "")).forms["form"]
    form["login"] = login
    form["password"] = f"{login}-demo"
    done = form.submit("signin", status=302)
    return done.location.replace("http://localhost", "")


def through_wechat(client, double, name="owner-one"):
    """/@wechat -> the stand-in's authorisation page -> "allow" -> the portal's callback."""
    start = client.get("/@wechat", status=302)
    target = urlsplit(start.location)
    assert target.netloc == "wechat.test" and target.path == "/connect/oauth2/authorize"
    query = {k: v[0] for k, v in parse_qs(target.query).items()}
    assert query["scope"] == "snsapi_base" and query["appid"] == "wxstandin"
    wechat = webtest.TestApp(double)
    page = wechat.get(target.path, query)
    form = page.forms["wechat-allow"]
    form["name"] = name
    back = form.submit(status=302)
    assert back.location.startswith("http://localhost/@wechat-callback?")
    return client.get(back.location.replace("http://localhost", ""), status="*")


def test_wechat_links_once_after_the_usual_sign_in_then_signs_in(setup):
    app, double, db = setup
    first = browser(app)
    answer = through_wechat(first, double)
    assert answer.status_int == 302 and "/@login" in answer.location and "wechat-link" in answer.location
    target = sign_in_from(first, answer.location, "owner1")
    assert target.startswith("/@wechat-link?ticket=")
    confirm = first.get(target)
    done = confirm.forms["wechat-link"].submit(status=302)
    assert done.location.endswith("/@my")
    openid = openid_of("wxstandin", "owner-one")
    with db.transaction() as conn:
        portal = conn.root()["portal"]
        store = store_of(portal)
        uid = portal.accounts.by_login("owner1").uid
        assert links.account_for(store, app.registry.personal_data, openid) == uid
        assert openid not in repr(list(store.links.items()))          # hash and ciphertext only
        assert openid not in repr(list(portal.audit_log.entries()))
    later = browser(app)                                              # another day, inside WeChat
    signed = through_wechat(later, double)
    assert signed.status_int == 302 and signed.location.endswith("/@my")
    page = later.get("/@my")
    assert page.status_int == 200 and "@unbind" in page.text         # the owner's own page


def test_a_second_wechat_cannot_take_a_linked_account(setup):
    app, double, db = setup
    first = browser(app)
    answer = through_wechat(first, double, "one")
    first.get(sign_in_from(first, answer.location, "owner1")).forms["wechat-link"].submit(status=302)
    second = browser(app)
    answer = through_wechat(second, double, "two")
    refused = second.get(sign_in_from(second, answer.location, "owner1")).forms["wechat-link"].submit(status=409)
    assert "已绑定另一个微信" in refused.text


def test_a_forged_or_replayed_callback_is_refused_with_a_message(setup):
    app, double, _db = setup
    client = browser(app)
    assert "微信登录未完成" in client.get("/@wechat-callback", {"code": "x", "state": "y"}, status=400).text
    start = client.get("/@wechat", status=302)
    state = parse_qs(urlsplit(start.location).query)["state"][0]
    res = client.get("/@wechat-callback", {"code": "not-a-code", "state": state}, status=400)
    assert "微信未确认" in res.text                               # the stand-in answered 40029
    sign_in(client, "owner1")
    assert "没有等待绑定的微信" in client.get("/@wechat-link", {"ticket": "made-up"}, status=400).text


def test_server_messages_need_the_signature_and_update_following(setup):
    app, double, db = setup
    client = browser(app)
    openid = openid_of("wxstandin", "follower")
    query, body = double.event_push(openid, "subscribe")
    forged = dict(query, signature="0" * 40)
    client.post("/@wechat-events?" + "&".join(f"{k}={v}" for k, v in forged.items()), body,
                headers={"Content-Type": "text/xml"}, status=403)
    with db.transaction() as conn:
        assert not store_of(conn.root()["portal"]).follows
    for event, following in (("subscribe", True), ("unsubscribe", False)):
        query, body = double.event_push(openid, event)
        res = client.post("/@wechat-events?" + "&".join(f"{k}={v}" for k, v in query.items()), body,
                          headers={"Content-Type": "text/xml"})
        assert res.text == "success"
        with db.transaction() as conn:
            found = store_of(conn.root()["portal"]).follows[links.openid_hash(app.registry.personal_data, openid)]
            assert found[0] is following
    query, _body = double.event_push(openid, "subscribe")
    echo = client.get("/@wechat-events", dict(query, echostr="hello"))
    assert echo.text == "hello"
