"""The two ways an owner is told: a WeChat template message, or an SMS through the portal's
message sender (``binding.messages``: the outbox in development, Alibaba Cloud in production).

A channel's ``send(address, message)`` returns ``(True, reference)`` or ``(False, code)`` and
never raises: what the channel said is the record.  Nothing here writes an address to a log.
"""
import logging

from portal.binding.messages import GatewayRefused
from portal.notify import rules

log = logging.getLogger(__name__)


class Outgoing:
    """What a message says (never personal data or choices) and where it links."""

    def __init__(self, event, community, ballot, url, attempt_id):
        self.event, self.community, self.ballot, self.url = event, community, ballot, url
        self.attempt_id = attempt_id


class WeChatChannel:
    name = rules.WECHAT
    idempotent = True           # WeChat drops a repeat of one client_msg_id for one openid

    def __init__(self, wechat):
        self.wechat = wechat

    def send(self, openid, message):
        data = {"first": {"value": message.community}, "keyword1": {"value": message.ballot},
                "remark": {"value": message.url}}
        return self.wechat.send_template(openid, message.event, message.url, data, message.attempt_id)


class SmsChannel:
    name = rules.SMS
    idempotent = False          # SendSms has no idempotency key: see drain's docstring

    def __init__(self, sender):
        self.sender = sender

    def send(self, phone, message):
        params = {"community": message.community, "ballot": message.ballot, "url": message.url}
        text = f"【{message.community}】{message.ballot}: {message.url}"
        try:
            reference = self.sender.send(phone, text, f"notify_{message.event}", params)
        except GatewayRefused as exc:
            return False, str(exc).split(" (", 1)[0]
        except Exception as exc:        # noqa: BLE001 - its words might hold the number
            log.error("SMS not sent: %s", type(exc).__name__)
            return False, "no answer"
        return True, str(reference or "")


def make_channels(settings, registry):
    from portal.notify.wechat import make_wechat

    registry.wechat = make_wechat(settings)
    channels = {rules.SMS: SmsChannel(registry.message_sender)}
    if registry.wechat is not None:
        channels[rules.WECHAT] = WeChatChannel(registry.wechat)
    return channels
