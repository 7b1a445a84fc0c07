"""A ballot's box: votes by owner, receipts, and running totals that never conflict (no Pyramid).

Votes are kept in a BTree keyed by owner (the owner keys of the frozen electorate).  Every key is
there from the start, so a vote replaces a value and never splits a bucket; and every value is a
plain tuple (``NOT_VOTED`` or a record), which a bucket can compare, so two owners whose keys
share a bucket and vote at once merge instead of conflicting.  One owner voting twice at once
writes the same key: one of the two transactions is retried and then sees the first vote.

What else a vote writes is made the same way: the owners and area who voted are kept in a few
small counters (``COUNTERS``), a vote adding to the one its owner key falls to, each merging
concurrent additions; with one counter every two votes at once met on it and the second was
merged from the stored states (two more loads, read back from the storage, on every vote under
load); the idempotency record of a vote sits under the
owner's key in a second pre-filled tree; an earlier vote, when a change is allowed, becomes a
small ``Earlier`` record linked to the one before it, and a third tree points at each owner's
newest, so a change writes the same few records whether it is the second or the two hundredth.
(That third tree holds references, which a bucket cannot always compare: two owners sharing one of
its buckets who change their votes at the same instant may re-run once.  Changes are rare and
limited per hour; first votes never touch it.)
"""
import collections
import datetime
import hashlib
import json
import secrets
import unicodedata
import zlib

from BTrees.OOBTree import OOBTree
from persistent import Persistent

from portal.i18n import _
from portal.register.rules import counts, owner_key
from portal.voting import marks, rules
from portal.voting.tally import key_text

RECEIPT_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
ELECTRONIC, PAPER, PROXY = "electronic", "paper", "proxy"
NOT_VOTED = ()
# a record: (choices as canonical JSON text, when in microseconds since 1970 UTC, account, receipt hash,
# channel, number of earlier votes): few small objects, so a bucket of them pickles fast
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
MICROSECOND = datetime.timedelta(microseconds=1)
FIELDS = ("matters", "when", "account", "receipt", "channel", "seq")
MATTERS, WHEN, ACCOUNT, RECEIPT, CHANNEL, SEQ = range(len(FIELDS))

COUNTERS = 8      # how many counters a new box spreads its owners and area over
Cast = collections.namedtuple("Cast", "receipt owners replaced")   # replaced: {owner key: earlier record}


class VoteRefused(Exception):
    def __init__(self, code, message):
        super().__init__(code)
        self.code = code
        self.message = message


def receipt_hash(code):
    """128 bits of SHA-256 of the code, as hex (the code itself is never stored).  The code is read
    as people type it: spaces, dashes (any kind) and case do not matter, nor full-width letters."""
    letters = "".join(ch for ch in unicodedata.normalize("NFKC", code) if ch.isascii() and ch.isalnum())
    return hashlib.sha256(("receipt:" + letters.upper()).encode()).hexdigest()[:32]


def stamp(instant):
    """An aware datetime as whole microseconds since 1970 UTC."""
    return (instant - EPOCH) // MICROSECOND


def instant(stamp_value):
    return EPOCH + stamp_value * MICROSECOND


def choices_text(choices):
    """Choices {matter id: choice} as one canonical JSON text (the same choices, the same text)."""
    return json.dumps(choices, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def new_receipt():
    """Twelve characters of the receipt alphabet (60 random bits, one draw), as XXXX-XXXX-XXXX."""
    bits = secrets.randbits(60)
    raw = "".join(RECEIPT_ALPHABET[(bits >> (5 * i)) & 31] for i in range(12))
    return "-".join(raw[i:i + 4] for i in range(0, 12, 4))


def as_dict(record):
    """A stored record as a dict ({"matters": {id: choice}, "when", "account", ...})."""
    data = dict(zip(FIELDS, record))
    data["matters"], data["when"] = json.loads(data["matters"]), instant(data["when"])
    return data


def replaces(current_channel, channel, allow_change, electronic_prevails):
    """Whether a new vote on ``channel`` takes the place of an owner group's current vote.

    ``current_channel`` is None when the group has not voted.  Where the ballot says the
    electronic vote prevails (DOMAIN.md, paper ballots), an electronic vote replaces a paper one
    and a paper one never replaces an electronic one, whether or not changes are allowed;
    otherwise (or on the same channel) a vote replaces another only where changes are allowed.
    The owner's own electronic vote always prevails over a written proxy (DOMAIN.md, "Proxies")."""
    if current_channel is None:
        return True
    if channels_decide(current_channel, channel, electronic_prevails):
        return channel == ELECTRONIC
    return allow_change


def channels_decide(current_channel, channel, electronic_prevails):
    """Whether the two channels alone decide which vote counts (the electronic one, or the one
    already in): under the ``electronic_prevails`` setting for any two channels, and always
    between an owner's own electronic vote and a written proxy."""
    if current_channel == channel:
        return False
    return electronic_prevails or {current_channel, channel} == {PROXY, ELECTRONIC}


def body_digest(text):
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class Earlier(Persistent):
    """A replaced record, linked to the one it replaced in turn (None for the first vote)."""

    def __init__(self, record, before):
        self.record = record
        self.before = before


class Counter(Persistent):
    """How many owners have voted and their area: concurrent additions merge."""

    def __init__(self, owners=0, area=0):
        self.owners = owners
        self.area = area

    def add(self, owners, area):
        self.owners += owners
        self.area += area

    def _p_resolveConflict(self, old, committed, new):
        return {name: committed[name] + new[name] - old[name] for name in ("owners", "area")}


class BallotBox(Persistent):
    sold = None      # unit key -> owner key whose vote stood when the unit changed hands
    more_counters = ()   # the counters beside ``counter`` (a box made before them has ``counter`` alone)

    def __init__(self, electorate):
        self.areas = OOBTree()           # owner key -> area (0.01 m²)
        self.owner_of_unit = OOBTree()   # unit key -> owner key
        for unit in electorate.units:
            if counts(unit, electorate.include_parking):
                key = key_text(owner_key(unit))
                self.areas[key] = self.areas.get(key, 0) + unit.area
                self.owner_of_unit[unit.key] = key
        self.totals = (electorate.totals.owners, electorate.totals.area)   # read by progress
        self.votes = OOBTree()           # owner key -> record, NOT_VOTED until the first vote
        self.votes.update({key: NOT_VOTED for key in self.areas.keys()})
        self.retries = OOBTree()         # owner key -> (retry id, body digest, receipt, owner keys) or ()
        self.retries.update({key: () for key in self.areas.keys()})
        self.earlier = OOBTree()         # owner key -> Earlier: the newest record a later vote replaced
        self.counter = Counter()
        self.more_counters = tuple(Counter() for _ in range(COUNTERS - 1))

    def counters(self):
        return (self.counter,) + tuple(self.more_counters)

    def counter_for(self, key):
        """The counter the votes of owner ``key`` are added to (the same one every time)."""
        counters = self.counters()
        return counters[zlib.crc32(key.encode()) % len(counters)]

    def voted_owners(self):
        return sum(counter.owners for counter in self.counters())

    def voted_area(self):
        return sum(counter.area for counter in self.counters())

    def owners_for_units(self, unit_keys):
        return sorted({self.owner_of_unit[k] for k in unit_keys if k in self.owner_of_unit})

    def unit_sold(self, unit_key, area):
        """A unit of the frozen electorate changed hands (DOMAIN.md, "The life of a ballot").

        If its owner group has voted, that vote stands for all the group's units as frozen, and
        neither the buyer nor the seller can vote (again) for them: "stands".  Otherwise the unit
        leaves the group and becomes an owner group of its own, its area with it, and the total
        owners grow by one: "split" ("own" when it was a group of its own already).  None when
        the unit does not vote on this ballot."""
        key = self.owner_of_unit.get(unit_key)
        if key is None:
            return None
        if self.votes.get(key, NOT_VOTED):
            if self.sold is None:
                self.sold = OOBTree()
            self.sold[unit_key] = key
            return "stands"
        if not any(k == key and u != unit_key for u, k in self.owner_of_unit.items()):
            return "own"
        new = f"sold:{unit_key}"
        self.areas[key] -= area
        self.areas[new] = area
        self.owner_of_unit[unit_key] = new
        self.votes[new] = NOT_VOTED
        self.retries[new] = ()
        self.totals = (self.totals[0] + 1, self.totals[1])
        return "split"

    def sale_refusal(self, unit_keys, keys):
        """Why a vote on these units is refused because of a sale after the group voted, or None."""
        if not self.sold:
            return None
        if any(unit in self.sold for unit in unit_keys) or set(keys) & set(self.sold.values()):
            return VoteRefused("sold_after_vote", _(
                "A unit here changed hands after its owner group had voted: that vote stands for all its "
                "units, and no one can vote again for them."))
        return None

    def cast(self, uid, unit_keys, matters, choices, now, allow_change=False, retry_key=None,
             channel=ELECTRONIC, electronic_prevails=True):
        """Record one vote covering every owner group of the voter's units; return a ``Cast``.

        ``choices`` must answer every matter with agree, oppose or abstain.  A repeated
        ``retry_key`` from the same account with the same choices returns the first answer
        instead of voting again; with other choices it is refused."""
        keys = self.owners_for_units(unit_keys)
        if not keys:
            raise VoteRefused("not_in_electorate", _("None of your units is among those voting on this ballot."))
        refused = self.sale_refusal(unit_keys, keys)
        if refused is not None:
            raise refused
        record_matters = self.checked(matters, choices, paper=channel in (PAPER, PROXY))
        retry = None
        if retry_key:
            retry = (hashlib.sha256(f"{uid}:{retry_key}".encode()).hexdigest()[:32], body_digest(record_matters))
            answered = self.retries.get(keys[0])
            if answered and answered[0] == retry[0]:
                if answered[1] and answered[1] != retry[1]:
                    raise VoteRefused("key_reused", _(
                        "This request repeats an earlier one (same Idempotency-Key) with different choices; "
                        "the earlier vote stands and this one was not recorded. Send a new key to vote again."))
                return Cast(answered[2], answered[3], {})
        current = {key: self.votes.get(key, NOT_VOTED) for key in keys}
        for record in current.values():
            if not replaces(record[CHANNEL] if record else None, channel, allow_change, electronic_prevails):
                if record[CHANNEL] == ELECTRONIC and channels_decide(ELECTRONIC, channel, electronic_prevails):
                    raise VoteRefused("electronic_prevails", _(
                        "The unit also voted electronically; the electronic vote prevails."))
                raise VoteRefused("already_voted", _("Your units have already voted on this ballot; this ballot "
                                                     "does not allow changing a vote."))
        if channel == ELECTRONIC:
            for key, record in current.items():
                problem = rules.change_problem(self.change_times(key), now) if record else None
                if problem is not None:
                    raise VoteRefused("too_many_changes", problem)
        receipt = new_receipt()
        hashed, when, replaced, new_owners, new_area = receipt_hash(receipt), stamp(now), {}, 0, 0
        for key, previous in current.items():
            if previous:
                self.earlier[key] = Earlier(previous, self.earlier.get(key))
                replaced[key] = previous
            else:
                new_owners, new_area = new_owners + 1, new_area + self.areas[key]
            self.votes[key] = (record_matters, when, uid, hashed, channel, previous[SEQ] + 1 if previous else 0)
        if new_owners:
            self.counter_for(keys[0]).add(new_owners, new_area)
        if retry is not None:
            self.retries[keys[0]] = retry + (receipt, tuple(keys))
        return Cast(receipt, tuple(keys), replaced)

    @staticmethod
    def checked(matters, choices, paper=False):
        """The choices as a record keeps them (``choices_text``), once each mark is known to be valid
        for its kind of matter (``voting.marks``: a paper election with too many agrees is void)."""
        ids = {m["id"] for m in matters}
        unknown = sorted(set(choices) - ids) if isinstance(choices, dict) else []
        if unknown:
            raise VoteRefused("unknown_matter", _("This ballot has no matter ${id}.", mapping={"id": unknown[0]}))
        try:
            return choices_text(marks.check_all(matters, choices, paper=paper))
        except marks.MarkRefused as refused:
            raise VoteRefused("incomplete", refused.message) from None

    def newest_first(self, key):
        """``key``'s records, the current one first, then each earlier one in turn."""
        record = self.votes.get(key, NOT_VOTED)
        if record:
            yield record
            link = self.earlier.get(key)
            while link is not None:
                yield link.record
                link = link.before

    def change_times(self, key, limit=rules.MAX_CHANGES_PER_HOUR):
        """When the latest ``limit`` changes of ``key``'s vote were made, newest first."""
        times = []
        for record in self.newest_first(key):
            if record[SEQ] < 1 or len(times) >= limit:
                break
            times.append(instant(record[WHEN]))
        return times

    def history(self, key):
        """Every record of ``key``, oldest first, the current one last ([] if not voted)."""
        return list(self.newest_first(key))[::-1]

    def check_receipt(self, unit_keys, code):
        """What was recorded under the receipt ``code`` for the voter's units; else None.

        Only the voter's own owner groups are searched, so a code is of no use to anyone else."""
        wanted = receipt_hash(code or "")
        for key in self.owners_for_units(unit_keys):
            for n, record in enumerate(self.newest_first(key)):
                if record[RECEIPT] == wanted:
                    return {"matters": json.loads(record[MATTERS]), "when": instant(record[WHEN]),
                            "current": n == 0}
        return None

    def has_voted(self, key):
        return bool(self.votes.get(key, NOT_VOTED))

    def current(self, key):
        """The current record of ``key`` as a dict, or None."""
        record = self.votes.get(key, NOT_VOTED)
        return as_dict(record) if record else None

    def records(self):
        """(owner key, record as a dict) of every owner who voted."""
        return [(key, as_dict(record)) for key, record in self.votes.items() if record]

    def channels(self):
        """{channel: [owners, area]} of the votes counted now, electronic, paper and by proxy."""
        figures = {ELECTRONIC: [0, 0], PAPER: [0, 0], PROXY: [0, 0]}
        for key, record in self.votes.items():
            if record:
                figures[record[CHANNEL]][0] += 1
                figures[record[CHANNEL]][1] += self.areas[key]
        return figures

    def plain_votes(self):
        return {key: json.loads(record[MATTERS]) for key, record in self.votes.items() if record}
