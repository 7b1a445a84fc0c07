"""Sending a text message to a mobile number, after the transaction commits.

The portal asks ``registry.message_sender.send(phone, text)``.  This machine reaches no SMS
gateway, so the one sender here is the *outbox*: each message is appended as a JSON line to a
file (``portal.outbox_file``), which the development outbox page shows and the tests read.  A
deployment plugs in its gateway's sender by naming a class with the same ``send`` method in
``portal.message_sender``.
"""
import json
import os
import threading

import transaction
from pyramid.path import DottedNameResolver

from portal import clock


class OutboxSender:
    def __init__(self, path):
        self.path = path
        self._lock = threading.Lock()

    def send(self, phone, text):
        line = json.dumps({"to": phone, "text": text, "at": clock.now().isoformat()}, ensure_ascii=False)
        with self._lock:
            os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
            with open(self.path, "a", encoding="utf-8") as out:
                out.write(line + "\n")

    def messages(self):
        if not os.path.exists(self.path):
            return []
        with open(self.path, encoding="utf-8") as source:
            return [json.loads(line) for line in source if line.strip()]


def send_after_commit(sender, phone, text, manager=None):
    """Queue the message; it goes out only if the request's transaction commits."""

    def hook(committed):
        if committed:
            sender.send(phone, text)

    (manager or transaction.manager).get().addAfterCommitHook(hook)


def make_sender(settings):
    dotted = settings.get("portal.message_sender")
    if dotted:
        return DottedNameResolver().resolve(dotted)(settings)
    return OutboxSender(settings.get("portal.outbox_file") or os.path.join("var", "outbox.jsonl"))
