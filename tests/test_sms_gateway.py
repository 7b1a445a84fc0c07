"""Text messages through Alibaba Cloud's SMS API, against a stand-in that checks requests the way
the service does (portal/standins/sms.py), served over real HTTP on loopback."""
import logging
import re

import pytest
import webtest

from portal import main
from portal.standins.sms import SmsDouble
from portal.binding.sms_gateway import AliyunSender, signature
from tests.conftest import build_demo, make_settings
from tests.support.threaded import served

TEMPLATE = "SMS_482910375"
PHONE = "13712345678"


def test_the_signature_of_the_documented_example():
    """The worked example of the service's signature documentation (key testId / testSecret)."""
    params = {"AccessKeyId": "testId", "Action": "SendSms", "Format": "XML", "OutId": "123",
              "PhoneNumbers": "15300000001", "RegionId": "cn-hangzhou", "SignName": "阿里云短信测试专用",
              "SignatureMethod": "HMAC-SHA1", "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
              "SignatureVersion": "1.0", "TemplateCode": "SMS_71390007", "TemplateParam": '{"customer":"test"}',
              "Timestamp": "2017-07-12T02:42:19Z", "Version": "2017-05-25"}
    assert signature("testSecret", params) == "zJDF+Lrzhj/ThnlvIToysFRq6t4="


@pytest.fixture
def gateway():
    double = SmsDouble("LTAI-portal-test", "gateway-secret", "广州业主决策", [TEMPLATE])
    with served(double, threads=2) as server:
        double.url = f"http://127.0.0.1:{server.effective_port}/"
        yield double


def gateway_settings(tmp_path, double, secret="gateway-secret"):
    return dict(make_settings(tmp_path), **{
        "portal.message_sender": "portal.binding.sms_gateway.AliyunSender",
        "portal.sms_access_key_id": "LTAI-portal-test", "portal.sms_access_key_secret": secret,
        "portal.sms_sign_name": "广州业主决策", "portal.sms_template.signup_code": TEMPLATE,
        "portal.sms_endpoint": double.url})


def portal_app(tmp_path, double, **kw):
    app = main({}, **gateway_settings(tmp_path, double, **kw))
    build_demo(app)
    return app


def ask_for_code(app):
    client = webtest.TestApp(app, extra_environ={"HTTP_HOST": "localhost", "REMOTE_ADDR": "10.0.0.1"})
    form = client.get("/@register").forms["form"]
    form["phone"] = PHONE
    return client, form.submit("send")


def test_an_owner_signs_up_with_the_code_the_gateway_delivered(tmp_path, gateway):
    app = portal_app(tmp_path, gateway)
    client, page = ask_for_code(app)
    assert page.status_int == 200 and "137****5678" in page.text
    [message] = gateway.sent
    assert message["phone"] == PHONE and message["template"] == TEMPLATE
    assert re.fullmatch(r"\d{6}", message["params"]["code"])
    form = page.forms["form"]
    form["code"] = message["params"]["code"]
    form["password"] = form["password-confirm"] = "owner-password"
    assert form.submit("create").status_int == 302
    app.registry._zodb_databases[""].close()


@pytest.mark.parametrize("problem", ["refused", "wrong secret", "unreachable"])
def test_a_message_that_is_not_sent_is_logged_without_the_number(tmp_path, gateway, caplog, problem):
    if problem == "refused":
        gateway.refuse_with = "isv.BUSINESS_LIMIT_CONTROL"
    app = portal_app(tmp_path, gateway, secret="another-secret" if problem == "wrong secret" else "gateway-secret")
    if problem == "unreachable":
        app.registry.message_sender.endpoint = "http://127.0.0.1:9/"
    with caplog.at_level(logging.ERROR, logger="portal.binding.messages"):
        _client, page = ask_for_code(app)
    assert page.status_int == 200                      # the owner may ask again
    assert gateway.sent == []
    expected = {"refused": "isv.BUSINESS_LIMIT_CONTROL", "wrong secret": "SignatureDoesNotMatch",
                "unreachable": "no answer"}[problem]
    assert expected in caplog.text
    assert PHONE not in caplog.text and PHONE[-4:] not in caplog.text
    app.registry._zodb_databases[""].close()


def test_the_stand_in_refuses_replayed_and_stale_requests(gateway):
    sender = AliyunSender({"portal.sms_access_key_id": "LTAI-portal-test",
                           "portal.sms_access_key_secret": "gateway-secret", "portal.sms_sign_name": "广州业主决策",
                           "portal.sms_template.signup_code": TEMPLATE, "portal.sms_endpoint": gateway.url})
    url = sender.request_url(PHONE, "signup_code", {"code": "123456"}, nonce="fixed-nonce")
    app = webtest.TestApp(gateway)
    path = url[len(gateway.url) - 1:]
    assert app.get(path).json["Code"] == "OK"
    assert app.get(path, status=400).json["Code"] == "SignatureNonceUsed"
    import datetime

    stale = sender.request_url(PHONE, "signup_code", {"code": "1"}, now=datetime.datetime(2020, 1, 1,
                                                                                         tzinfo=datetime.timezone.utc))
    assert app.get(stale[len(gateway.url) - 1:], status=400).json["Code"] == "InvalidTimeStamp.Expired"
    tampered = path.replace("123456", "654321")
    assert app.get(tampered, status=400).json["Code"] == "SignatureDoesNotMatch"


def test_a_gateway_without_its_settings_stops_the_start(tmp_path, gateway):
    settings = gateway_settings(tmp_path, gateway)
    del settings["portal.sms_template.signup_code"]
    with pytest.raises(RuntimeError, match="portal.sms_template"):
        main({}, **settings)
