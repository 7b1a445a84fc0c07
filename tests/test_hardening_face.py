"""A face check that passes but whose binding is refused is recorded, audited and shown as refused,
never as "succeeded" (issue 15.3); the callback's refusals carry a message."""
from urllib.parse import urlparse

import webtest

from portal import clock
from portal.binding import face
from tests.binding_helpers import MINGYUAN, bind_form, reveal, sign_up, some_owner
from tests.test_binding_face import callback, consent


def face_request(app, portal_in, owner, phone):
    name, number = reveal(app, owner)
    client = sign_up(app, phone)
    consent(bind_form(client, name, number, method="face").follow())
    with portal_in() as portal:
        nonce = max((r["expires"], n) for n, r in portal.face_requests.items() if r["state"] == "pending")[1]
    return client, nonce


def test_a_refused_bind_after_a_passed_face_is_recorded_audited_and_shown(app, portal_in):
    _unit, _i, owner = some_owner(portal_in, 12)
    first, first_nonce = face_request(app, portal_in, owner, "13712345671")
    provider = webtest.TestApp(app)
    assert callback(provider, first_nonce).json == {"accepted": True, "bound": True}
    clock.set_now(clock.real_now())
    clock.advance(seconds=1)                        # the second request is the later one
    second, nonce = face_request(app, portal_in, owner, "13712345672")
    answer = callback(provider, nonce)
    assert answer.json == {"accepted": True, "bound": False}
    with portal_in() as portal:
        record = portal.face_requests[nonce]
        assert record["state"] == "refused" and "already bound" in record["reason"]
        entries = list(portal.audit_log.under(MINGYUAN, limit=3))
        assert entries[0]["action"] == "binding.refused"
        assert owner.id_hash in portal["tianhe"]["shipai"]["mingyuan"]["register"].bindings
    landing = second.get("/@face-return", {"request_id": nonce})     # the refusal, and what the owner may do
    assert "人脸核验通过" not in landing.text
    assert "该业主身份已绑定在另一个账户上" in landing.text and "请街道办解除原绑定" in landing.text


def test_callback_refusals_say_why(app):
    provider = webtest.TestApp(app)
    res = provider.post_json("/@face-callback", {"request_id": "x"}, status=400)
    assert res.json["accepted"] is False and res.json["message"] == "回调内容格式有误。"
    body = {"request_id": "nope", "result": "pass", "timestamp": int(clock.real_now().timestamp())}
    body["sig"] = face.sign("test-face-secret", body, face.CALLBACK_FIELDS)
    assert provider.post_json("/@face-callback", body, status=404).json["message"] == "没有这个核验请求。"
    body["sig"] = "签名"                       # not ASCII: a refusal, not a crash
    assert provider.post_json("/@face-callback", body, status=403).json["message"]
