"""Sending a text message to a mobile number, after the transaction commits.

The portal asks ``registry.message_sender.send(phone, text, template, params)``: the text in the
owner's language, and the gateway template it stands for with that template's parameters.  The
default sender is the *outbox*: each message is appended as a JSON line to a file
(``portal.outbox_file``), which the development outbox page shows and the tests read.  A
deployment names its gateway's sender in ``portal.message_sender``; ``sms_gateway.AliyunSender``
speaks Alibaba Cloud's SMS API.  A message the gateway refuses is logged (its code, never the
number or the text); the owner can ask for another code.
"""
import json
import logging
import os
import threading

import transaction
from pyramid.path import DottedNameResolver

from portal import clock

log = logging.getLogger(__name__)


class GatewayRefused(Exception):
    """A gateway did not take a message (its own code; never the number or the text)."""


class OutboxSender:
    def __init__(self, path):
        self.path = path
        self._lock = threading.Lock()

    def send(self, phone, text, template=None, params=None):
        line = json.dumps({"to": phone, "text": text, "template": template, "at": clock.now().isoformat()},
                          ensure_ascii=False)
        with self._lock:
            os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
            with open(self.path, "a", encoding="utf-8") as out:
                out.write(line + "\n")

    def messages(self):
        if not os.path.exists(self.path):
            return []
        with open(self.path, encoding="utf-8") as source:
            return [json.loads(line) for line in source if line.strip()]


def send_after_commit(sender, phone, text, template, params, manager=None):
    """Queue the message; it goes out only if the request's transaction commits."""

    def hook(committed):
        if not committed:
            return
        try:                                # the commit stands; the owner may ask again
            sender.send(phone, text, template, params)
        except GatewayRefused as exc:
            log.error("text message %s not sent: %s", template, exc)
        except Exception as exc:            # its words might hold the number: only its kind
            log.error("text message %s not sent: %s", template, type(exc).__name__)

    (manager or transaction.manager).get().addAfterCommitHook(hook)


def make_sender(settings):
    dotted = settings.get("portal.message_sender")
    if dotted:
        return DottedNameResolver().resolve(dotted)(settings)
    return OutboxSender(settings.get("portal.outbox_file") or os.path.join("var", "outbox.jsonl"))
