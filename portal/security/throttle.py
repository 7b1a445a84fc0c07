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


def delayed_until(failures, now, limit, window, delay):
    """When the next attempt on a key may be made, or None if ``now`` may.

    A delay, not a lock: once a key has ``limit`` failures within ``window``, each attempt waits
    ``delay`` after the latest failure, so whoever fails on it can hold it back only that long.
    """
    recent = [t for t in failures if t > now - window]
    if len(recent) < limit:
        return None
    until = max(recent) + delay
    return until if until > now else None


class Rule:
    """``limit`` failures within ``window`` block the key until the oldest leaves the window; with
    a ``delay``, they only make each further attempt wait that long after the latest failure."""

    def __init__(self, name, limit, window, delay=None):
        self.name = name
        self.limit = limit
        self.window = window
        self.delay = delay

    def until(self, failures, now):
        if self.delay is not None:
            return delayed_until(failures, now, self.limit, self.window, self.delay)
        return blocked_until(failures, now, self.limit, self.window)


WINDOW = datetime.timedelta(minutes=15)
# A stranger elsewhere cannot lock the real user out: the hard lock is per account *and* address;
# from anywhere, failures on an account only slow it down; an address trying many accounts is
# locked (a hard lock, unlike the account-wide delay).
LOGIN_ACCOUNT = Rule("login-account-address", 5, WINDOW)
LOGIN_ANYWHERE = Rule("login-account", 10, WINDOW, delay=datetime.timedelta(seconds=30))
LOGIN_ADDRESS = Rule("login-address", 30, WINDOW)


class Throttle(Persistent):
    def __init__(self):
        self._failures = OOBTree()

    @staticmethod
    def key(secret, rule, value):
        digest = hmac.new(secret, value.encode("utf-8"), hashlib.sha256).hexdigest()[:32]
        return f"{rule.name}:{digest}"

    def blocked_until(self, key, rule, now):
        return rule.until(self._failures.get(key, ()), now)

    def record_failure(self, key, rule, now):
        kept = tuple(t for t in self._failures.get(key, ()) if t > now - rule.window)
        self._failures[key] = kept[-(rule.limit * 2):] + (now,)

    def expire(self, before):
        """Drop every key whose latest failure is older than ``before``; how many were dropped."""
        gone = [key for key, failures in self._failures.items() if not failures or max(failures) < before]
        for key in gone:
            del self._failures[key]
        return len(gone)

    def clear(self, key):
        if key in self._failures:
            del self._failures[key]
