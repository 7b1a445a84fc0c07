"""The notification store (``portal.notifications``): the queue and the proof of delivery.

Every record is a BTree entry whose value is an immutable tuple, so buckets merge concurrent
changes to different keys (``BTrees`` conflict resolution), and the only counter is a
``BTrees.Length``.  Keys a busy path writes later are made in advance (``opened`` gets one key
per owner group when the notice is queued), so the first opening of a ballot updates a key and
never splits a bucket: owners opening ballots at once do not conflict.  The vote path neither
reads nor writes anything here (an opening is recorded when a ballot is read, not when it is
voted on).

- ``occurrences``  occurrence key -> Occurrence: one record per event of a ballot (its notice,
                "voting opens", a reminder...), whatever the number of owner groups it goes to
                (small buckets: ``portal.trees``)
- ``pending``   (due, key) -> what the drain takes next, oldest due first: an occurrence key
                (12 hex) -> (last group done, groups done), the drain going through the ballot's
                owner groups in order from there; or a message id (24 hex) -> its group, a single
                message to try again (a refusal worth a retry), or -> (its group, "sms"), an SMS
                waiting for its turn (one SMS is in flight at a time: ``drain``)
- ``status``    message id -> (state, attempts, channel, code, when, group): written when the
                drain decides the message (a message with no status is queued, not yet looked at)
- ``messages``  message id -> (ballot path, event, occurrence, group key, unit keys, link path,
                community title, ballot title, queued at): messages as they were queued one by one
                until evolve 0039 (their pending entries hold 1); read, never written
- ``inflight``  message id -> (attempt id, attempts, channel, encrypted address, claimed at)
- ``log``       (ballot path, group key, message id, attempt) -> (event, channel, when, outcome, code)
- ``opened``    (ballot path, group key) -> first opening by a bound owner of the group, or None
- ``optout``    account uid -> when reminders were turned off
- ``links``     openid hash -> (account uid, encrypted openid); ``link_of`` uid -> openid hash;
                ``follows`` openid hash -> (follows the official account?, when)
- ``tickets``   random ticket -> (encrypted openid, expires): a WeChat sign-in waiting for its link
"""
import hashlib
from typing import NamedTuple

from BTrees.Length import Length
from BTrees.OOBTree import OOBTree
from persistent import Persistent

from portal.trees import ScatteredOOBTree


class Notifications(Persistent):
    legacy_ids = False      # may hold messages queued under ``legacy_message_id`` (evolve 0035)

    def __init__(self):
        for name in ("messages", "status", "pending", "inflight", "log", "opened", "optout",
                     "links", "link_of", "follows", "tickets"):
            setattr(self, name, OOBTree())
        self.occurrences = ScatteredOOBTree()       # read by key only; written a few far apart
        self.waiting = Length()          # messages pending or in flight


def _digest(*parts):
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


OCCURRENCE_LENGTH = 12


def occurrence_key(ballot_path, event, occurrence):
    """12 hex digits naming one occurrence of an event of a ballot."""
    return _digest(ballot_path, event, occurrence)[:OCCURRENCE_LENGTH]


def message_id(ballot_path, event, occurrence, group):
    """24 hex digits: the occurrence's key, then 12 naming the group.  So the messages of one
    occurrence sit side by side in the store's trees (its status and log entries); different
    occurrences land far apart, so concurrent events rarely share a bucket."""
    return occurrence_key(ballot_path, event, occurrence) + _digest(group)[:12]


def is_occurrence(key):
    """Is a pending entry's key an occurrence (its groups to go through), not one message?"""
    return len(key) == OCCURRENCE_LENGTH


class Occurrence(NamedTuple):
    """An event of a ballot queued for its owner groups (``only``: these groups, else all of the
    frozen electorate's); ``count`` groups in all."""
    path: str
    event: str
    occurrence: str
    link: str
    community: str
    title: str
    queued: object
    only: tuple
    count: int

    def message(self, group):
        return Message(self.path, self.event, self.occurrence, group, self.link, self.community, self.title,
                       self.queued)


class Message(NamedTuple):
    """What one message is about: its occurrence's facts and its owner group."""
    path: str
    event: str
    occurrence: str
    group: str
    link: str
    community: str
    title: str
    queued: object


def message_of(store, msg, group):
    """The facts of message ``msg`` to ``group``: from its occurrence, or from its own record for
    a message queued one by one (until evolve 0039); None when neither is known."""
    old = store.messages.get(msg)
    if old is not None:
        return queued_alone(old)
    found = store.occurrences.get(msg[:OCCURRENCE_LENGTH])
    if found is None or group is None:
        return None
    return Occurrence(*found).message(group)


def pending_group(value):
    """The group a single message's pending entry names (None for a message queued one by one
    until evolve 0039: its own record names it)."""
    if isinstance(value, tuple):
        return value[0]
    return value if isinstance(value, str) else None


def queued_alone(record):
    """The Message of a record of ``messages`` (queued one by one, until evolve 0039)."""
    path, event, occurrence, group, _units, link, community, title, queued = record
    return Message(path, event, occurrence, group, link, community, title, queued)


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
