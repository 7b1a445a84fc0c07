"""Text messages through Alibaba Cloud's SMS service (``dysmsapi`` SendSms, version 2017-05-25).

Chinese SMS gateways send only pre-approved templates under a registered signature (签名), so a
message is a template name (``signup_code``) with its parameters; the text the outbox shows is not
sent.  Requests are signed as the service's RPC API requires (signature version 1.0):

    StringToSign = "GET&%2F&" + percent(sorted, percent-encoded query without Signature)
    Signature    = base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign))

Settings: ``portal.message_sender = portal.binding.sms_gateway.AliyunSender``,
``portal.sms_access_key_id``, the secret in ``PORTAL_SMS_SECRET`` / ``portal.sms_access_key_secret``
/ ``portal.sms_access_key_secret_file``, ``portal.sms_sign_name``, one
``portal.sms_template.<name>`` per message (``portal.sms_template.signup_code = SMS_123456789``),
and ``portal.sms_endpoint`` (default: the public endpoint).  This machine reaches no gateway: the
tests run against ``portal/standins/sms.py``, which checks requests the same way.
"""
import base64
import datetime
import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
import uuid

from portal.binding.messages import GatewayRefused
from portal.settings import read_optional_secrets

log = logging.getLogger(__name__)

ENDPOINT = "https://dysmsapi.aliyuncs.com/"
VERSION = "2017-05-25"
TIMEOUT = 10


def percent(text):
    """RFC 3986 encoding as the signature wants it: only A-Z a-z 0-9 - _ . ~ stay as they are."""
    return urllib.parse.quote(str(text), safe="-_.~")


def canonical_query(params):
    return "&".join(f"{percent(k)}={percent(v)}" for k, v in sorted(params.items()) if k != "Signature")


def signature(secret, params, method="GET"):
    string_to_sign = f"{method}&{percent('/')}&{percent(canonical_query(params))}"
    digest = hmac.new(f"{secret}&".encode("utf-8"), string_to_sign.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def timestamp(now):
    return now.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class AliyunSender:
    def __init__(self, settings):
        secrets = read_optional_secrets(settings, "sms_access_key_secret", "PORTAL_SMS_SECRET")
        self.key_id = settings.get("portal.sms_access_key_id", "")
        self.sign_name = settings.get("portal.sms_sign_name", "")
        self.templates = {name[len("portal.sms_template."):]: code for name, code in settings.items()
                          if name.startswith("portal.sms_template.")}
        if not (secrets and self.key_id and self.sign_name and self.templates):
            raise RuntimeError("the SMS gateway needs portal.sms_access_key_id, PORTAL_SMS_SECRET (or "
                               "portal.sms_access_key_secret[_file]), portal.sms_sign_name and "
                               "portal.sms_template.<name> settings")
        self.secret = secrets[0].decode("utf-8")
        self.endpoint = settings.get("portal.sms_endpoint", ENDPOINT)

    def request_url(self, phone, template, params, now=None, nonce=None):
        query = {
            "AccessKeyId": self.key_id, "Action": "SendSms", "Format": "JSON", "RegionId": "cn-hangzhou",
            "SignatureMethod": "HMAC-SHA1", "SignatureNonce": nonce or str(uuid.uuid4()),
            "SignatureVersion": "1.0", "Timestamp": timestamp(now or datetime.datetime.now(datetime.timezone.utc)),
            "Version": VERSION, "PhoneNumbers": phone, "SignName": self.sign_name,
            "TemplateCode": self.templates[template],
            "TemplateParam": json.dumps(params, ensure_ascii=False, separators=(",", ":")),
        }
        query["Signature"] = signature(self.secret, query)
        return f"{self.endpoint}?{canonical_query(query)}&Signature={percent(query['Signature'])}"

    def send(self, phone, text, template, params):
        """Send the template ``template`` with ``params``; GatewayRefused when it is not accepted."""
        if template not in self.templates:
            raise GatewayRefused(f"no portal.sms_template.{template} setting")
        try:
            with urllib.request.urlopen(self.request_url(phone, template, params), timeout=TIMEOUT) as response:
                answer = json.loads(response.read())
        except urllib.error.HTTPError as exc:
            answer = _json_or_empty(exc.read())
            answer.setdefault("Code", f"HTTP {exc.code}")
        except (OSError, ValueError) as exc:
            raise GatewayRefused(f"no answer ({type(exc).__name__})") from None
        if answer.get("Code") != "OK":
            raise GatewayRefused(f"{answer.get('Code')} (request {answer.get('RequestId', '-')})")
        return answer.get("BizId")


def _json_or_empty(body):
    try:
        found = json.loads(body)
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}
