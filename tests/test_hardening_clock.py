"""Security runs on real time, never the demo clock; {"now": null} returns to real time; the
outbox is for city administrators only, even in development."""
import datetime

import pytest
import webtest

from portal import clock, main
from tests.binding_helpers import last_code
from tests.conftest import browser, build_demo, make_settings, sign_in, token_for


@pytest.fixture
def demo_app(tmp_path):
    app = main({}, **dict(make_settings(tmp_path), **{"portal.clock_override": "true", "portal.outbox_page": "true"}))
    build_demo(app)
    yield app
    clock.set_offset(None)
    app.registry._zodb_databases[""].close()


def admin_headers(client):
    return {"Accept": "application/json", "Authorization": "Bearer " + token_for(client, "admin")}


def test_now_null_returns_to_real_time(demo_app):
    client = webtest.TestApp(demo_app, extra_environ={"HTTP_HOST": "localhost"})
    headers = admin_headers(client)
    client.post_json("/@clock", {"now": "2031-05-01T09:00:00+08:00"}, headers=headers)
    assert clock.now().year == 2031
    res = client.post_json("/@clock", {"now": None}, headers=headers)
    assert abs(datetime.datetime.fromisoformat(res.json["now"]) - datetime.datetime.now(clock.UTC)) \
        < datetime.timedelta(minutes=1)
    for bad in ("9999-12-31T00:00:00+08:00", 12345, ["2031-01-01"], "0001-01-01T00:00:00+00:00"):
        assert client.post_json("/@clock", {"now": bad}, headers=headers, status=400).json["message"]
    assert abs(clock.now() - datetime.datetime.now(clock.UTC)) < datetime.timedelta(minutes=1)


def test_a_sign_up_code_lives_on_real_time_not_the_demo_clock(demo_app):
    phone = "13712345670"
    client = browser(demo_app)
    form = client.get("/@register").forms["form"]
    form["phone"] = phone
    form = form.submit("send").forms["form"]
    clock.set_offset(datetime.timedelta(hours=1))          # the demo moves on an hour: the code has not aged
    form["code"] = last_code(demo_app, phone)
    form["password"] = form["password-confirm"] = "owner-password"
    assert form.submit("create").status_int == 302


def test_the_outbox_is_for_city_administrators_only(demo_app):
    admin = browser(demo_app)
    sign_in(admin, "admin")
    assert admin.get("/@outbox").status_int == 200
    for role in (None, "street", "district"):
        client = browser(demo_app)
        if role:
            sign_in(client, role)
        assert client.get("/@outbox", expect_errors=True).status_int == 403
