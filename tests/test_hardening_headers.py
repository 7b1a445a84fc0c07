"""Security headers on every response; no-store on everything personal; no inline script where
the page does not need deform's widgets."""
import re

import pytest

PERSONAL = ["/tianhe/shipai/mingyuan/register/", "/tianhe/shipai/mingyuan/register/u1/", "/@my",
            "/tianhe/shipai/mingyuan/@sharing", "/tianhe/shipai/mingyuan/@audit",
            "/tianhe/shipai/mingyuan/ballots/b2/@receipt?code=x"]


def check_security_headers(res):
    csp = res.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert res.headers["X-Content-Type-Options"] == "nosniff"
    assert res.headers["X-Frame-Options"] == "DENY"
    assert res.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("path", PERSONAL)
def test_personal_pages_and_json_are_never_stored(as_role, api, path):
    for role in ("district", "owner1"):
        res = as_role(role).get(path, expect_errors=True)
        check_security_headers(res)
        assert res.headers["Cache-Control"] == "no-store"
    client, headers = api("district")
    res = client.get(path, headers=headers, expect_errors=True)
    check_security_headers(res)
    assert res.headers["Cache-Control"] == "no-store"


def test_every_kind_of_answer_has_the_headers(anon):
    for res in (anon.get("/"), anon.get("/nowhere", status=404), anon.get("/@login"),
                anon.get("/openapi.json"), anon.post("/@login", status="*")):
        check_security_headers(res)
    static = anon.get("/static/portal.css")
    check_security_headers(static)
    assert "no-store" not in static.headers.get("Cache-Control", "")


def test_scripts_are_inline_only_where_deform_widgets_need_it(as_role):
    organizer = as_role("organizer")
    plain = organizer.get("/tianhe/shipai/mingyuan/ballots/b2/")
    assert "'unsafe-inline'" not in plain.headers["Content-Security-Policy"]
    assert not re.search(r"<script(?![^>]*src=)", plain.text) and " onclick=" not in plain.text
    # the draft form's lists no longer carry deform's inline callbacks (templates/deform/sequence.pt,
    # static/sequence.js): it is served with the strict policy too
    editor = organizer.get("/tianhe/shipai/mingyuan/ballots/@add")
    assert "'unsafe-inline'" not in editor.headers["Content-Security-Policy"]
    assert not re.search(r"<script(?![^>]*src=)", editor.text) and " onclick=" not in editor.text


def test_the_face_hand_over_may_post_to_the_provider(anon):
    assert "form-action 'self' http://face.test" in anon.get("/").headers["Content-Security-Policy"]
