"""The WeChat and SMS stand-ins in one server process of their own, for the notification bench:
``python -m bench.standin_server PORT``; ``/sms`` is the SMS gateway, the rest is WeChat."""
import sys

import waitress

from portal.standins.sms import SmsDouble
from portal.standins.wechat import WeChatDouble

APP_ID, SECRET, TOKEN = "wxbench", "bench-wechat-secret", "bench-wechat-token"
SMS_KEY, SMS_SECRET, SMS_SIGN = "bench-key", "bench-sms-secret", "业主决策"
EVENTS = ("notice", "voting", "extension", "deadline", "preliminary", "final", "custom")


def make():
    wechat = WeChatDouble(APP_ID, SECRET, TOKEN, [f"TPL_{e}" for e in EVENTS])
    sms = SmsDouble(SMS_KEY, SMS_SECRET, SMS_SIGN, [f"SMS_{e}" for e in EVENTS])

    def app(environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith("/sms"):
            if path.startswith("/sms/_count"):
                body = str(len(sms.sent)).encode()
                start_response("200 OK", [("Content-Type", "text/plain")])
                return [body]
            return sms(environ, start_response)
        return wechat(environ, start_response)

    return app


def settings(port):
    """The portal settings that send through these stand-ins."""
    return {"portal.wechat_app_id": APP_ID, "portal.wechat_secret": SECRET, "portal.wechat_token": TOKEN,
            "portal.wechat_api_url": f"http://127.0.0.1:{port}/",
            **{f"portal.wechat_template.{e}": f"TPL_{e}" for e in EVENTS},
            "portal.message_sender": "portal.binding.sms_gateway.AliyunSender",
            "portal.sms_access_key_id": SMS_KEY, "portal.sms_access_key_secret": SMS_SECRET,
            "portal.sms_sign_name": SMS_SIGN, "portal.sms_endpoint": f"http://127.0.0.1:{port}/sms/",
            **{f"portal.sms_template.notify_{e}": f"SMS_{e}" for e in EVENTS},
            "portal.public_url": "https://portal.example"}


if __name__ == "__main__":
    waitress.serve(make(), listen=f"127.0.0.1:{sys.argv[1]}", threads=4, _quiet=True)
