"""A ballot's box: votes by owner, receipts, and running totals that never conflict (no Pyramid).

Votes are kept in a BTree keyed by owner (the owner keys of the frozen electorate), so two
owners voting at once touch different buckets; the running totals are ``BTrees.Length``
counters, which resolve concurrent increments; one owner voting twice at once writes the same
key, so one of the two transactions is retried and then sees the first vote.
"""
import hashlib
import secrets

from BTrees.Length import Length
from BTrees.OOBTree import OOBTree
from persistent import Persistent

from portal.i18n import _
from portal.register.rules import counts, owner_key
from portal.voting.tally import CHOICES, key_text

RECEIPT_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


class VoteRefused(Exception):
    def __init__(self, code, message):
        super().__init__(code)
        self.code = code
        self.message = message


def receipt_hash(code):
    return hashlib.sha256(("receipt:" + code.replace("-", "").upper()).encode()).hexdigest()


def new_receipt():
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(12))
    return "-".join(raw[i:i + 4] for i in range(0, 12, 4))


class BallotBox(Persistent):
    def __init__(self, electorate):
        self.areas = OOBTree()           # owner key -> area (0.01 m²)
        self.owner_of_unit = OOBTree()   # unit key -> owner key
        for unit in electorate.units:
            if counts(unit, electorate.include_parking):
                key = key_text(owner_key(unit))
                self.areas[key] = self.areas.get(key, 0) + unit.area
                self.owner_of_unit[unit.key] = key
        # owner key -> record; every key is there from the start (None: not voted), so a vote
        # updates a key and never splits a bucket: concurrent votes merge instead of conflicting
        self.votes = OOBTree()
        self.votes.update({key: None for key in self.areas.keys()})
        self.retries = OOBTree()         # account uid + idempotency key -> {"receipt", "owners"}
        self.voted_owners = Length()
        self.voted_area = Length()

    def owners_for_units(self, unit_keys):
        return sorted({self.owner_of_unit[k] for k in unit_keys if k in self.owner_of_unit})

    def cast(self, uid, unit_keys, matters, choices, now, allow_change=False, retry_key=None,
             channel="electronic"):
        """Record one vote covering every owner group of the voter's units; return (receipt, keys).

        ``choices`` must answer every matter with agree, oppose or abstain.  A repeated
        ``retry_key`` from the same account returns the first answer instead of voting again."""
        if retry_key:
            earlier = self.retries.get(f"{uid}:{retry_key}")
            if earlier is not None:
                return earlier["receipt"], earlier["owners"]
        keys = self.owners_for_units(unit_keys)
        if not keys:
            raise VoteRefused("not_in_electorate", _("None of your units is among those voting on this ballot."))
        ids = [m["id"] for m in matters]
        unknown = sorted(set(choices) - set(ids))
        if unknown:
            raise VoteRefused("unknown_matter", _("This ballot has no matter ${id}.", mapping={"id": unknown[0]}))
        missing = [i for i in ids if choices.get(i) not in CHOICES]
        if missing:
            raise VoteRefused("incomplete", _("Choose agree, oppose or abstain on every matter."))
        # a paper vote gives way to an electronic one (DOMAIN.md: the electronic vote prevails)
        voted = [k for k in keys if self.votes.get(k) is not None
                 and not (channel == "electronic" and self.votes[k]["channel"] == "paper")]
        if voted and not allow_change:
            raise VoteRefused("already_voted", _("Your units have already voted on this ballot; this ballot "
                                                 "does not allow changing a vote."))
        receipt = new_receipt()
        for key in keys:
            record = {"matters": {i: choices[i] for i in ids}, "when": now, "account": uid,
                      "receipt": receipt_hash(receipt), "channel": channel, "earlier": ()}
            previous = self.votes.get(key)
            if previous is None:
                self.voted_owners.change(1)
                self.voted_area.change(self.areas[key])
            else:
                record["earlier"] = previous["earlier"] + (
                    {k: previous[k] for k in ("matters", "when", "account", "receipt", "channel")},)
            self.votes[key] = record
        if retry_key:
            self.retries[f"{uid}:{retry_key}"] = {"receipt": receipt, "owners": tuple(keys)}
        return receipt, tuple(keys)

    def check_receipt(self, unit_keys, code):
        """What was recorded under the receipt ``code`` for the voter's units; else None.

        Only the voter's own owner groups are searched, so a code is of no use to anyone else."""
        wanted = receipt_hash(code or "")
        for key in self.owners_for_units(unit_keys):
            record = self.votes.get(key)
            if record is None:
                continue
            if record["receipt"] == wanted:
                return {"matters": record["matters"], "when": record["when"], "current": True}
            for earlier in record["earlier"]:
                if earlier["receipt"] == wanted:
                    return {"matters": earlier["matters"], "when": earlier["when"], "current": False}
        return None

    def has_voted(self, key):
        return self.votes.get(key) is not None

    def records(self):
        """(owner key, record) of every owner who voted."""
        return [(key, record) for key, record in self.votes.items() if record is not None]

    def plain_votes(self):
        return {key: record["matters"] for key, record in self.records()}
