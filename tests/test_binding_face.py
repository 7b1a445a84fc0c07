"""Face verification against the provider test double, which speaks the real protocol."""
import datetime
from urllib.parse import urlparse

import webtest

from portal import clock
from portal.binding import face
from portal.standins.face import FaceDouble
from portal.security.localroles import effective_roles
from tests.binding_helpers import MINGYUAN, bind_form, reveal, sign_up, some_owner

SECRET = "test-face-secret"


def provider_for(portal_client, secret=SECRET):
    """The double, calling the portal's callback through the portal's own test client."""

    def transport(url, body):
        return portal_client.post_json(urlparse(url).path, body, status="*").status_int

    double = FaceDouble(secret, transport=transport, now=lambda: clock.now().timestamp())
    return double, webtest.TestApp(double)


def start_face(app, portal_in, index=12):
    _unit, _i, owner = some_owner(portal_in, index)
    name, number = reveal(app, owner)
    client = sign_up(app, "13712345678")
    consent_page = bind_form(client, name, number, method="face").follow()
    return client, consent_page, owner, name


def consent(consent_page):
    form = consent_page.forms["form"]
    form["biometric_consent"] = True
    return form.submit("consent")


def test_binding_by_face_after_separate_consent(app, portal_in):
    client, consent_page, owner, name = start_face(app, portal_in)
    assert "个人信息保护法" in consent_page.text
    refused = consent_page.forms["form"].submit("consent", status=400)
    assert "如不同意" in refused.text
    handover = consent(consent_page)
    form = handover.forms["handover"]
    assert form.action == "http://face.test/verify" and form.method.upper() == "POST"
    assert name not in handover.request.url
    fields = {k: form[k].value for k in face.REQUEST_FIELDS + ("sig",)}
    assert fields["name"] == name and fields["id_hash"] == owner.id_hash

    double, provider = provider_for(client)
    check = provider.post("/verify", fields)
    assert name in check.text
    back = check.forms[0].submit("result", value="pass")
    assert double.callbacks[-1][2] == 200
    assert back.location.startswith("http://localhost/@face-return?request_id=")
    landing = client.get(urlparse(back.location).path + "?" + urlparse(back.location).query).follow()
    assert "人脸核验通过" in landing.text
    with portal_in() as portal:
        community = portal["tianhe"]["shipai"]["mingyuan"]
        record = community["register"].bindings[owner.id_hash]
        assert record["method"] == "face"
        assert "owner" in effective_roles(community, record["uid"])
        account = portal.accounts.get(record["uid"])
        assert account.biometric_consents[-1]["purpose"] == "binding"
        actions = [e["action"] for e in portal.audit_log.under(MINGYUAN, limit=5)]
        assert actions[:2] == ["binding.bind", "binding.consent"]
        assert all(name not in str(e) for e in portal.audit_log.under("/", limit=500))


def test_a_failed_face_check_does_not_bind(app, portal_in):
    client, consent_page, owner, _name = start_face(app, portal_in)
    handover = consent(consent_page)
    fields = {k: handover.forms["handover"][k].value for k in face.REQUEST_FIELDS + ("sig",)}
    _double, provider = provider_for(client)
    back = provider.post("/verify", fields).forms[0].submit("result", value="fail")
    landing = client.get(urlparse(back.location).path + "?" + urlparse(back.location).query).follow()
    assert "信息与登记不符" in landing.text
    with portal_in() as portal:
        assert owner.id_hash not in portal["tianhe"]["shipai"]["mingyuan"]["register"].bindings


def test_the_double_refuses_a_hand_over_with_a_bad_signature(app, portal_in):
    client, consent_page, _owner, _name = start_face(app, portal_in)
    handover = consent(consent_page)
    fields = {k: handover.forms["handover"][k].value for k in face.REQUEST_FIELDS + ("sig",)}
    fields["name"] = "别人"
    _double, provider = provider_for(client)
    provider.post("/verify", fields, status=403)


def callback(client, nonce, result="pass", secret=SECRET, when=None):
    body = {"request_id": nonce, "result": result, "timestamp": int((when or clock.now()).timestamp())}
    body["sig"] = face.sign(secret, body, face.CALLBACK_FIELDS)
    return client.post_json("/@face-callback", body, status="*")


def pending_nonce(app, portal_in):
    client, consent_page, owner, _name = start_face(app, portal_in)
    consent(consent_page)
    with portal_in() as portal:
        nonce = [n for n, r in portal.face_requests.items() if r["state"] == "pending"][0]
    return client, nonce, owner


def test_callbacks_are_checked_and_accepted_only_once(app, portal_in):
    client, nonce, owner = pending_nonce(app, portal_in)
    provider_side = webtest.TestApp(app)
    assert callback(provider_side, nonce, secret="wrong").status_int == 403
    assert callback(provider_side, "no-such-request").status_int == 404
    stale = clock.now() - datetime.timedelta(minutes=6)
    assert callback(provider_side, nonce, when=stale).status_int == 403
    assert callback(provider_side, nonce).json == {"accepted": True, "bound": True}
    replay = callback(provider_side, nonce)
    assert replay.status_int == 409 and replay.json["accepted"] is False


def test_an_expired_request_is_refused(app, portal_in):
    _client, nonce, owner = pending_nonce(app, portal_in)
    clock.set_now(datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=11))
    assert callback(webtest.TestApp(app), nonce).status_int == 410
    with portal_in() as portal:
        assert owner.id_hash not in portal["tianhe"]["shipai"]["mingyuan"]["register"].bindings


def test_the_api_needs_explicit_consent_then_returns_the_provider_form(app, portal_in, api):
    _unit, _i, owner = some_owner(portal_in, 13)
    name, number = reveal(app, owner)
    client = webtest.TestApp(app, extra_environ={"HTTP_HOST": "localhost"})
    client.post_json("/@register", {"phone": "13512345678"}, headers={"Accept": "application/json"})
    from tests.binding_helpers import last_code

    token = client.post_json("/@register", {"phone": "13512345678", "code": last_code(app, "13512345678"),
                                            "password": "long-enough"},
                             headers={"Accept": "application/json"}).json["token"]
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    body = {"name": name, "id_type": "resident_id", "id_number": number, "method": "face"}
    res = client.post_json(MINGYUAN + "@bind", body, headers=headers, status=400)
    assert res.json["error"] == "consent_required"
    with portal_in() as portal:
        assert not [r for r in portal.face_requests.values() if r["state"] == "pending"]
    res = client.post_json(MINGYUAN + "@bind", dict(body, biometric_consent=True), headers=headers)
    assert res.json["provider_url"] == "http://face.test/verify"
    assert face.signature_ok(SECRET, res.json["form"], face.REQUEST_FIELDS)
    assert callback(webtest.TestApp(app), res.json["form"]["request_id"]).json["bound"] is True


def test_the_api_binds_with_a_code_and_reports_failures_without_detail(app, portal_in, as_role, api):
    from tests.binding_helpers import issue_letter

    unit_id, index, owner = some_owner(portal_in, 14)
    name, number = reveal(app, owner)
    code = issue_letter(as_role("street"), unit_id, index)
    client, headers = api("owner1")
    wrong = client.post_json(MINGYUAN.replace("mingyuan", "qiaoyuan") + "@bind",
                             {"name": name, "id_type": "resident_id", "id_number": number, "code": code},
                             headers=headers, status=403)
    assert wrong.json["error"] == "not_bound" and "信息与登记不符" in wrong.json["message"]
    res = client.post_json(MINGYUAN + "@bind", {"name": name, "id_type": "resident_id", "id_number": number,
                                                "method": "code", "code": code}, headers=headers)
    assert res.json["bound"] is True and res.json["units"]
    assert client.post(MINGYUAN + "@unbind", headers=headers).json["unbound"] == 2


def test_no_personal_data_reaches_the_server_log(app, portal_in, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    client, consent_page, owner, name = start_face(app, portal_in, 15)
    handover = consent(consent_page)
    fields = {k: handover.forms["handover"][k].value for k in face.REQUEST_FIELDS + ("sig",)}
    _double, provider = provider_for(client)
    provider.post("/verify", fields).forms[0].submit("result", value="pass")
    number = reveal(app, owner)[1]
    for secret in (name, number, "13712345678"):
        assert secret not in caplog.text


def test_make_serve_mounts_the_double_at_face_double(tmp_path):
    from portal import main
    from tests.conftest import make_settings

    settings = dict(make_settings(tmp_path), **{"portal.face_double": "true"})
    wsgi = main({}, **settings)
    try:
        client = webtest.TestApp(wsgi)
        client.post("/face-double/verify", {"request_id": "x", "sig": "forged"}, status=403)
    finally:
        wsgi.registry._zodb_databases[""].close()
