"""Helpers for notification tests: an app with WeChat configured against the stand-in."""
import pytest
import transaction

from portal import demo, main
from portal.bootstrap import ROOT_KEY
from portal.standins.wechat import WeChatDouble, openid_of
from tests.conftest import current, make_settings
from tests.support.wsgi_http import session_for

API = "http://wechat.test/"
EVENTS = ("notice", "voting", "extension", "deadline", "preliminary", "final", "custom")


def wechat_settings(tmp_path):
    settings = make_settings(tmp_path)
    settings.update({"portal.wechat_app_id": "wxstandin", "portal.wechat_secret": "standin-secret",
                     "portal.wechat_token": "standin-token", "portal.wechat_api_url": API,
                     "portal.wechat_oauth_url": API + "connect/",
                     **{f"portal.wechat_template.{e}": f"TPL_{e}" for e in EVENTS}})
    return settings


def make_app(tmp_path):
    """(app, stand-in): the demo city, WeChat through the in-process stand-in."""
    app = main({}, **wechat_settings(tmp_path))
    double = WeChatDouble("wxstandin", "standin-secret", "standin-token", [f"TPL_{e}" for e in EVENTS])
    session, _adapter = session_for(API, double)
    app.registry.wechat.use_http(session)
    db = app.registry._zodb_databases[""]
    with current(app.registry), db.transaction() as conn:
        demo.build(conn.root()[ROOT_KEY], app.registry.personal_data)
    return app, double


def opened(db, explicit=True):
    """(transaction manager, connection, portal) for code that commits on its own (drain)."""
    tm = transaction.TransactionManager(explicit=explicit)
    conn = db.open(tm)
    tm.begin()
    portal = conn.root()[ROOT_KEY]
    tm.abort()
    return tm, conn, portal


def link_and_follow(app, double, portal_in, login, name):
    """Link ``login``'s account to the stand-in's WeChat user ``name``, who follows the account."""
    from portal.notify import links
    from portal.notify.models import store_of

    openid = openid_of("wxstandin", name)
    double.follow(openid)
    with current(app.registry), portal_in(commit=True) as portal:
        account = portal.accounts.by_login(login)
        store = store_of(portal)
        links.link(store, app.registry.personal_data, account.uid, openid)
        links.set_following(store, app.registry.personal_data, openid, True, None)
    return openid


@pytest.fixture
def setup(tmp_path):
    """The app with WeChat pointed at the stand-in, its stand-in and database, registry current."""
    app, double = make_app(tmp_path)
    db = app.registry._zodb_databases[""]
    with current(app.registry):
        yield app, double, db
    db.close()
