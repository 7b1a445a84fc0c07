"""With portal.clock_override, a city administrator moves the portal's "now" for a demo."""
import datetime

import webtest

from portal import clock, main
from portal.ballots.rules import local_date, midnight
from tests.conftest import build_demo, make_settings, token_for


def test_the_demo_clock_moves_ballots_and_is_admin_only(tmp_path):
    app = main({}, **dict(make_settings(tmp_path), **{"portal.clock_override": "true"}))
    build_demo(app)
    try:
        client = webtest.TestApp(app, extra_environ={"HTTP_HOST": "localhost"})
        headers = {"Accept": "application/json", "Authorization": "Bearer " + token_for(client, "admin")}
        street = {"Accept": "application/json", "Authorization": "Bearer " + token_for(client, "street")}
        notice = "/tianhe/shipai/mingyuan/ballots/b2"
        assert client.get(notice, headers=headers).json["review_state"] == "notice"
        opens = midnight(local_date(clock.now()) + datetime.timedelta(days=17))
        client.post_json("/@clock", {"now": (opens + datetime.timedelta(hours=1)).isoformat()}, headers=street,
                         status=403)
        res = client.post_json("/@clock", {"now": (opens + datetime.timedelta(hours=1)).isoformat()},
                               headers=headers)
        assert res.json["now"].startswith((opens + datetime.timedelta(hours=1)).astimezone(clock.UTC).isoformat()[:13])
        assert client.get(notice, headers=headers).json["review_state"] == "voting"
        client.post_json("/@clock", {"now": "not a time"}, headers=headers, status=400)
    finally:
        clock.set_offset(None)
        app.registry._zodb_databases[""].close()


def test_without_the_setting_there_is_no_demo_clock(app, api):
    client, headers = api("admin")
    client.post_json("/@clock", {"now": "2030-01-01T00:00:00+08:00"}, headers=headers, status=404)
