"""One structured record per request, without query strings or personal data."""
import json
import logging

from portal.logs import JsonFormatter


def test_each_request_is_logged_as_fields_without_the_query(anon, caplog):
    caplog.set_level(logging.INFO, logger="portal.requests")
    anon.get("/tianhe/@search", {"q": "王小明"})
    record = [r for r in caplog.records if r.name == "portal.requests"][-1]
    line = json.loads(JsonFormatter().format(record))
    assert line["method"] == "GET" and line["path"] == "/tianhe/@search" and line["status"] == 200
    assert line["message"] == "request" and "ms" in line
    assert "王小明" not in caplog.text
