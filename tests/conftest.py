"""Fixtures: a fresh portal with the demo city on a FileStorage in a temp folder, per test."""
import contextlib
import shutil

import pytest
import transaction
import webtest
from pyramid.threadlocal import manager as threadlocals

from portal import clock, demo, main
from portal.bootstrap import ROOT_KEY
from portal.security.accounts import use_cheap_hashing

use_cheap_hashing()


def make_settings(tmp_path):
    return {
        "zodbconn.uri": f"file://{tmp_path}/Data.fs?blobstorage_dir={tmp_path}/blobs",
        "retry.attempts": "10",
        "tm.manager_hook": "pyramid_tm.explicit_manager",
        "portal.secret": "test-secret-not-for-production",
        "portal.id_key": "test-id-key-not-for-production",
        "pyramid.default_locale_name": "zh_Hans",
        "portal.outbox_file": f"{tmp_path}/outbox.jsonl",
        "portal.face_provider_url": "http://face.test/verify",
        "portal.face_provider_secret": "test-face-secret",
    }


def ini_file(tmp_path, settings=None, name="app.ini"):
    """An ini file for the console scripts, on the test's database (``make_settings`` by default)."""
    from tests.support.loopback import ini_text

    path = tmp_path / name
    path.write_text(ini_text(settings or make_settings(tmp_path)))
    return path


@contextlib.contextmanager
def current(registry):
    """Make ``registry`` the current one, as a request or a console script does, for code that
    changes the tree outside a request (its events reach the app's subscribers)."""
    threadlocals.push({"registry": registry, "request": None})
    try:
        yield registry
    finally:
        threadlocals.pop()


def build_demo(app):
    db = app.registry._zodb_databases[""]
    with current(app.registry), db.transaction() as conn:
        demo.build(conn.root()[ROOT_KEY], app.registry.personal_data)


@pytest.fixture(autouse=True)
def released_clock():
    yield
    clock.set_now(None)
    clock.set_offset(None)


_TEMPLATES = {}        # (local day) -> a folder holding the demo city's storage, built once


def demo_storage(tmp_path, factory):
    """Put the demo city's storage in ``tmp_path``: built once per session (and per local day,
    since the demo's dates count from today) and copied, which costs a third of building it.
    With the clock fixed by the test, it is built afresh at that time."""
    if clock._fixed["now"] is not None or clock._fixed["offset"]:
        wsgi = main({}, **make_settings(tmp_path))
        build_demo(wsgi)
        return wsgi
    day = clock.local(clock.now()).date()
    source = _TEMPLATES.get(day)
    if source is None:
        source = factory.mktemp("demo-template")
        built = main({}, **make_settings(source))
        build_demo(built)
        built.registry._zodb_databases[""].close()
        _TEMPLATES[day] = source
    shutil.copytree(source, tmp_path, dirs_exist_ok=True)
    return main({}, **make_settings(tmp_path))


@pytest.fixture
def app(tmp_path, tmp_path_factory):
    wsgi = demo_storage(tmp_path, tmp_path_factory)
    with current(wsgi.registry):
        yield wsgi
    wsgi.registry._zodb_databases[""].close()


@pytest.fixture
def db(app):
    return app.registry._zodb_databases[""]


@pytest.fixture
def portal_in(db):
    """A function opening the portal in a fresh connection: ``with portal_in() as portal``."""
    from contextlib import contextmanager

    @contextmanager
    def opened(commit=False):
        tm = transaction.TransactionManager()
        conn = db.open(tm)
        try:
            with tm:
                yield conn.root()[ROOT_KEY]
                if not commit:
                    tm.abort()
        finally:
            conn.close()

    return opened


def browser(app):
    return webtest.TestApp(app, extra_environ={"HTTP_HOST": "localhost", "REMOTE_ADDR": "10.0.0.1"})


def sign_in(testapp, login, password=None):
    """Sign in through the real rendered login form."""
    page = testapp.get("/@login")
    form = page.forms["form"]
    form["login"] = login
    form["password"] = password or f"{login}-demo"
    return form.submit("signin", status="*")


@pytest.fixture
def anon(app):
    return browser(app)


@pytest.fixture
def as_role(app):
    """``as_role('admin')``: a browser signed in as that demo account."""

    def make(login):
        testapp = browser(app)
        response = sign_in(testapp, login)
        assert response.status_int == 302, response.text[:500]
        return testapp

    return make


def token_for(testapp, login, password=None):
    res = testapp.post_json("/@login", {"login": login, "password": password or f"{login}-demo"},
                            headers={"Accept": "application/json"})
    return res.json["token"]


@pytest.fixture
def api(app):
    """``api('admin')``: (TestApp, headers) for the JSON API with that account's bearer token."""

    def make(login=None):
        testapp = browser(app)
        headers = {"Accept": "application/json"}
        if login:
            headers["Authorization"] = "Bearer " + token_for(testapp, login)
        return testapp, headers

    return make
