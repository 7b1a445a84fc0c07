"""Throttling of repeated failures (logins now, binding attempts later).

Failures are kept per key (an HMAC of the account's login or of the client address, so no
login or address is stored in clear) as a short tuple of timestamps; ``blocked_until`` is the
plain rule.  The store lives in ZODB so that every application process sees the same counts.
"""
import datetime
import hashlib
import hmac

from BTrees.OOBTree import OOBTree
from persistent import Persistent


def blocked_until(failures, now, limit, window):
    """When the block on a key ends, or None if ``now`` is not blocked.

    ``failures`` are the key's failure times (aware datetimes); a key is blocked once it has
    ``limit`` failures within the last ``window``, until the oldest of those leaves the window.
    """
    recent = sorted(t for t in failures if t > now - window)
    if len(recent) < limit:
        return None
    return recent[-limit] + window


class Rule:
    def __init__(self, name, limit, window):
        self.name = name
        self.limit = limit
        self.window = window


LOGIN_ACCOUNT = Rule("login-account", 5, datetime.timedelta(minutes=15))
LOGIN_ADDRESS = Rule("login-address", 30, datetime.timedelta(minutes=15))


class Throttle(Persistent):
    def __init__(self):
        self._failures = OOBTree()

    @staticmethod
    def key(secret, rule, value):
        digest = hmac.new(secret, value.encode("utf-8"), hashlib.sha256).hexdigest()[:32]
        return f"{rule.name}:{digest}"

    def blocked_until(self, key, rule, now):
        return blocked_until(self._failures.get(key, ()), now, rule.limit, rule.window)

    def record_failure(self, key, rule, now):
        kept = tuple(t for t in self._failures.get(key, ()) if t > now - rule.window)
        self._failures[key] = kept[-(rule.limit * 2):] + (now,)

    def clear(self, key):
        if key in self._failures:
            del self._failures[key]
