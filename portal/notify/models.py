"""The notification store (``portal.notifications``): the queue and the proof of delivery.

Every record is a BTree entry whose value is an immutable tuple, so buckets merge concurrent
changes to different keys (``BTrees`` conflict resolution), and the only counter is a
``BTrees.Length``.  Keys a busy path writes later are made in advance (``opened`` gets one key
per owner group when the notice is queued), so the first opening of a ballot updates a key and
never splits a bucket: owners opening ballots at once do not conflict.  Nothing of the vote path
is written here, nor anything here by the vote path but ``opened``.

- ``messages``  message id -> (ballot path, event, occurrence, group key, unit keys, link path,
                community title, ballot title, queued at)
- ``status``    message id -> (state, attempts, channel, code, when)
- ``pending``   (due, message id) -> 1: what the drain takes next, oldest due first
- ``inflight``  message id -> (attempt id, attempts, channel, encrypted address, claimed at)
- ``log``       (ballot path, group key, message id, attempt) -> (event, channel, when, outcome, code)
- ``opened``    (ballot path, group key) -> first opening by a bound owner of the group, or None
- ``optout``    account uid -> when reminders were turned off
- ``links``     openid hash -> (account uid, encrypted openid); ``link_of`` uid -> openid hash;
                ``follows`` openid hash -> (follows the official account?, when)
- ``tickets``   random ticket -> (encrypted openid, expires): a WeChat sign-in waiting for its link
"""
import hashlib

from BTrees.Length import Length
from BTrees.OOBTree import OOBTree
from persistent import Persistent


class Notifications(Persistent):
    legacy_ids = False      # may hold messages queued under ``legacy_message_id`` (evolve 0035)

    def __init__(self):
        for name in ("messages", "status", "pending", "inflight", "log", "opened", "optout",
                     "links", "link_of", "follows", "tickets"):
            setattr(self, name, OOBTree())
        self.waiting = Length()          # messages pending or in flight


def _digest(*parts):
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def message_id(ballot_path, event, occurrence, group):
    """24 hex digits: 12 naming the occurrence (ballot, event, occurrence), then 12 naming the
    group.  So the messages of one occurrence sit side by side in the store's trees and an event
    for a thousand owner groups writes a few dozen buckets, not a bucket per message; different
    occurrences still land far apart, so concurrent events rarely share a bucket."""
    return _digest(ballot_path, event, occurrence)[:12] + _digest(group)[:12]


def legacy_message_id(ballot_path, event, occurrence, group):
    """The id messages queued before 2026-12 have (one hash of all four): looked up too, so an
    occurrence queued then is not queued a second time under its new id."""
    return _digest(ballot_path, event, occurrence, group)[:24]


def store_of(portal):
    """The portal's store, made the first time it is needed (evolve step 0014 for older ones)."""
    store = getattr(portal, "notifications", None)
    if store is None:
        store = portal.notifications = Notifications()
    return store
