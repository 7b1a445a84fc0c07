"""A stand-in for Alibaba Cloud's SMS API (SendSms), for the tests: a WSGI application that checks
every request as the service does and keeps the messages it accepted.

Like the service it answers HTTP 400/404 for a request it cannot trust (unknown key, wrong
signature, a timestamp more than 15 minutes off, a nonce used before, a missing parameter) and
HTTP 200 with a business code for a message it will not send (unknown signature name or template,
bad template parameters, not a mainland mobile number, or a refusal the test asks for, such as
``isv.BUSINESS_LIMIT_CONTROL``).
"""
import datetime
import json
import re
import uuid
from urllib.parse import parse_qsl

from portal.binding.sms_gateway import VERSION, signature

REQUIRED = ("AccessKeyId", "Action", "PhoneNumbers", "SignName", "Signature", "SignatureMethod",
            "SignatureNonce", "SignatureVersion", "TemplateCode", "Timestamp", "Version")
CLOCK_SKEW = datetime.timedelta(minutes=15)


class SmsDouble:
    def __init__(self, key_id, secret, sign_name, templates):
        self.key_id, self.secret, self.sign_name = key_id, secret, sign_name
        self.templates = set(templates)
        self.sent = []              # {"phone", "template", "params"} of each accepted message
        self.refuse_with = None     # a business code to answer every message with
        self._nonces = set()

    def __call__(self, environ, start_response):
        params = dict(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True))
        status, answer = self.answer(params)
        answer["RequestId"] = str(uuid.uuid4()).upper()
        body = json.dumps(answer).encode("utf-8")
        start_response(status, [("Content-Type", "application/json;charset=utf-8"),
                                ("Content-Length", str(len(body)))])
        return [body]

    def answer(self, params):
        refused = self.untrusted(params)
        if refused:
            return refused
        code = self.business_problem(params)
        if code:
            return "200 OK", {"Code": code, "Message": code}
        self.sent.append({"phone": params["PhoneNumbers"], "template": params["TemplateCode"],
                          "params": json.loads(params.get("TemplateParam") or "{}")})
        return "200 OK", {"Code": "OK", "Message": "OK", "BizId": uuid.uuid4().hex[:20]}

    def untrusted(self, params):
        missing = [name for name in REQUIRED if not params.get(name)]
        if missing:
            return "400 Bad Request", {"Code": "MissingParameter", "Message": f"{missing[0]} is mandatory"}
        if params["Action"] != "SendSms" or params["Version"] != VERSION:
            return "400 Bad Request", {"Code": "InvalidAction.NotFound", "Message": params["Action"]}
        if params["AccessKeyId"] != self.key_id:
            return "404 Not Found", {"Code": "InvalidAccessKeyId.NotFound", "Message": "unknown key"}
        if params["SignatureMethod"] != "HMAC-SHA1" or params["SignatureVersion"] != "1.0" \
                or params["Signature"] != signature(self.secret, params):
            return "400 Bad Request", {"Code": "SignatureDoesNotMatch", "Message": "signature"}
        try:
            sent_at = datetime.datetime.strptime(params["Timestamp"], "%Y-%m-%dT%H:%M:%SZ").replace(
                tzinfo=datetime.timezone.utc)
        except ValueError:
            return "400 Bad Request", {"Code": "InvalidTimeStamp.Format", "Message": "timestamp"}
        if abs(datetime.datetime.now(datetime.timezone.utc) - sent_at) > CLOCK_SKEW:
            return "400 Bad Request", {"Code": "InvalidTimeStamp.Expired", "Message": "timestamp"}
        if params["SignatureNonce"] in self._nonces:
            return "400 Bad Request", {"Code": "SignatureNonceUsed", "Message": "nonce"}
        self._nonces.add(params["SignatureNonce"])
        return None

    def business_problem(self, params):
        if params["SignName"] != self.sign_name:
            return "isv.SMS_SIGNATURE_ILLEGAL"
        if params["TemplateCode"] not in self.templates:
            return "isv.SMS_TEMPLATE_ILLEGAL"
        try:
            values = json.loads(params.get("TemplateParam") or "{}")
        except ValueError:
            return "isv.INVALID_JSON_PARAM"
        if not isinstance(values, dict):
            return "isv.INVALID_JSON_PARAM"
        if not re.fullmatch(r"1[3-9]\d{9}", params["PhoneNumbers"]):
            return "isv.MOBILE_NUMBER_ILLEGAL"
        return self.refuse_with
