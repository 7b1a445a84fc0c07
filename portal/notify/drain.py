"""Draining the queue after commit: in batches, rate-limited per channel, idempotent.

Each batch runs in three steps, the first and last each one transaction (retried on conflicts):

1. **claim**: every due message of the batch is decided (who, which channel, or skipped because
   the group voted or turned reminders off) and marked ``sending`` with an attempt id and the
   address it will go to; that is committed *before* anything leaves the portal.  A queued
   occurrence is gone through group by group from where the last batch stopped (its pending
   entry keeps the last group done), so one event for a thousand owner groups takes as many
   batches as it needs and no group is looked at twice;
2. **send**, outside any transaction, at the channel's rate;
3. **record** what each channel answered: accepted, refused with its code (retried later where
   the code says so; WeChat's 43004 "not following" falls back to SMS), or unreachable.

A crash between 2 and 3 leaves messages ``sending``.  The next drain finds them (in flight for
longer than ``lease``) and reconciles by channel:

- WeChat has an idempotency key (``client_msg_id``: one message per openid and id): the same
  attempt is sent again with the same id, so a message that did leave is not repeated and one
  that did not leave goes now.  Neither lost nor doubled.
- SendSms has none (and the sender API has no look-up by our id), so an SMS is recorded before
  it is sent and never sent twice: one caught in flight by a crash is recorded ``uncertain``.
  It counts as not reached, so it shows on the street's list of rooms to visit; nothing is lost
  silently and nothing goes twice.  To keep that window to a single message, SMS are claimed
  one at a time.

Addresses are decrypted only in step 2, and no address or text is ever logged.
"""
import bisect
import logging
import time
from itertools import islice
import uuid

from pyramid.traversal import find_resource

from portal.catalog.prefetch import ask, lookup_objects, resolve_many
from portal.notify import recipients, rules
from portal.notify.channels import Outgoing
from portal.notify.models import (
    OCCURRENCE_LENGTH, Occurrence, is_occurrence, message_id, message_of, pending_group, store_of)
from portal.notify.queue import occurrence_groups

log = logging.getLogger(__name__)

LEASE_SECONDS = 300
SCAN = 5                    # due messages looked at per batch slot (SMS wait for their turn)
RATES = {rules.WECHAT: 100.0, rules.SMS: 50.0}


def in_transaction(tm, work, attempts=10):
    """Run ``work()`` in its own transaction, again after a conflict; its result."""
    from ZODB.POSException import ConflictError

    for attempt in range(attempts):
        tm.begin()
        try:
            result = work()
            tm.commit()
            return result
        except ConflictError:
            tm.abort()
            if attempt == attempts - 1:
                raise
        except BaseException:
            tm.abort()
            raise


SKIP = object()         # a deadline reminder whose voting is over
BUSY = object()         # an SMS while another is in flight: it waits for a later batch


def ask_for_units(ballot, groups):
    """Ask the storage for the register units of ``groups`` in one burst (over ZEO or RelStorage
    each would be a round trip of its own when routed one after the other)."""
    register = ballot.community["register"]
    ask(ballot._p_jar, (unit for _group, keys in groups for unit in (register.get(key) for key in keys)
                        if unit is not None))


def ask_for_ballots(portal, paths):
    """{path: ballot or None} of ``paths``, with what deciding their messages reads asked for
    level by level, each level in one burst: the ballots (their paths walked), their electorates,
    boxes and registers, then the electorates' units, the registers' units and bindings, and the
    bindings' tree.  Over ZEO or RelStorage each would otherwise be a round trip of its own,
    ballot after ballot."""
    conn = portal._p_jar
    found = resolve_many(portal, paths)
    ballots = [ballot for ballot in found.values() if getattr(ballot, "electorate", None) is not None]
    registers = [ballot.community.get("register") for ballot in ballots]
    registers = [register for register in registers if register is not None]
    ask(conn, [part for ballot in ballots for part in (ballot.electorate, ballot.box)] + registers)
    ask(conn, [part for register in registers for part in (register.units, register.bindings)] +
        [ballot.box.votes for ballot in ballots if ballot.box is not None] +
        [ballot.electorate.frozen for ballot in ballots])
    ask(conn, [tree for register in registers for tree in lookup_objects(register.bindings)])
    return found


def in_flight(store, msg, record):
    """The Message of an ``inflight`` record (its group is its sixth field; a record made before
    evolve 0039 has five, and its message its own record in ``messages``)."""
    return message_of(store, msg, record[5] if len(record) > 5 else None)


class Batch:
    def __init__(self, portal, store, now, base_url):
        self.portal, self.store, self.now, self.base_url = portal, store, now, base_url.rstrip("/")
        self._ballots = {}
        self._groups = {}
        self.sms_taken = False
        self.looked = 0         # pending entries (and stale messages) the claim went through

    def ballot(self, path):
        if path not in self._ballots:
            try:
                self._ballots[path] = find_resource(self.portal, path)
            except KeyError:
                self._ballots[path] = None
        return self._ballots[path]

    def groups(self, ballot):
        """{group: unit keys} of the ballot's frozen electorate (empty when there is none)."""
        if id(ballot) not in self._groups:      # the batch holds its ballots (``ballot``): ids stay theirs
            self._groups[id(ballot)] = recipients.groups(ballot.electorate) if ballot.electorate is not None else {}
        return self._groups[id(ballot)]

    def attempts(self, msg):
        status = self.store.status.get(msg)
        return status[1] if status is not None else 0

    def finish(self, msg, group, state, attempts, channel="", code=""):
        self.store.status[msg] = (state, attempts, channel, code, self.now, group)
        self.store.waiting.change(-1)

    def log(self, message, msg, attempt, channel, outcome, code=""):
        self.store.log[(message.path, message.group, msg, attempt)] = (message.event, channel, self.now, outcome, code)

    def claim(self, limit, lease):
        """Messages to send now: those a crash left in flight, then the due ones (at most
        ``SCAN * limit`` looked at)."""
        store, out = self.store, []
        stale = [(m, f) for m, f in store.inflight.items() if (self.now - f[4]).total_seconds() >= lease]
        for msg, record in stale:
            self.reconcile(msg, record, out)
        budget = SCAN * limit
        taken = list(islice(store.pending.keys(max=(self.now, "\xff")), budget))
        self.ask_for(taken, budget)
        self.looked = len(stale)
        for due, key in taken:
            if len(out) >= limit or budget <= 0:
                break
            self.looked += 1
            if is_occurrence(key):
                budget -= self.go_through(due, key, limit, budget, out)
            else:
                budget -= 1
                self.take_one(due, key, out)
        return out

    def ask_for(self, taken, budget):
        """Ask for the ballots of the pending entries ``taken`` that this batch will likely go
        through (until their groups left add up to ``budget``): ``ask_for_ballots``."""
        paths, left = [], budget
        for due, key in taken:
            if left <= 0:
                break
            found = self.store.occurrences.get(key[:OCCURRENCE_LENGTH])
            if found is None:
                continue
            occurrence = Occurrence(*found)
            if occurrence.path not in self._ballots and occurrence.path not in paths:
                paths.append(occurrence.path)
            left -= occurrence.count - self.store.pending[(due, key)][1] if is_occurrence(key) else 1
        if paths:
            self._ballots.update(ask_for_ballots(self.portal, paths))

    def reconcile(self, msg, record, out):
        """A message a crash left in flight (see the module's docstring)."""
        attempt_id, attempt, channel, address, _at = record[:5]
        message = in_flight(self.store, msg, record)
        if message is not None and channel == rules.WECHAT:     # same attempt id: WeChat drops a repeat
            self.store.inflight[msg] = (attempt_id, attempt, channel, address, self.now) + tuple(record[5:])
            out.append(self.outgoing(msg, message, attempt_id, attempt, channel, address))
            return
        del self.store.inflight[msg]
        if message is not None:
            self.log(message, msg, attempt, channel, rules.UNCERTAIN)
        self.finish(msg, message.group if message is not None else "", rules.UNCERTAIN, attempt, channel)

    def deadline(self, event, ballot):
        """For a deadline reminder: SKIP once voting is over, the later time an extension moved it
        to, else None (also for every other event)."""
        if event != rules.DEADLINE:
            return None
        if ballot.phase() != "voting":
            return SKIP
        moved = rules.deadline_reminder_at(ballot.window()[1])
        return moved if moved > self.now else None

    def go_through(self, due, key, limit, budget, out):
        """The next owner groups of a queued occurrence, from where the last batch stopped, until
        ``out`` holds ``limit`` messages or ``budget`` groups were looked at; how many were."""
        store = self.store
        found = store.occurrences.get(key)
        last, done = store.pending[(due, key)]
        occurrence = Occurrence(*found) if found is not None else None
        ballot = self.ballot(occurrence.path) if occurrence is not None else None
        if ballot is None or ballot.electorate is None:         # the ballot is gone: nobody to tell
            del store.pending[(due, key)]
            store.waiting.change(-(occurrence.count - done) if occurrence is not None else 0)
            return 1
        later = self.deadline(occurrence.event, ballot)
        if later is not None and later is not SKIP:
            del store.pending[(due, key)]
            store.pending[(later, key)] = (last, done)
            return 1
        groups = occurrence_groups(occurrence, self.groups(ballot))
        position = start = bisect.bisect_right([group for group, _units in groups], last) if last else 0
        if later is not SKIP:
            ask_for_units(ballot, groups[start:start + budget])
        while position < len(groups) and position - start < budget and len(out) < limit:
            group, units = groups[position]
            position += 1
            msg = message_id(occurrence.path, occurrence.event, occurrence.occurrence, group)
            if later is SKIP:
                self.finish(msg, group, rules.SKIPPED, 0)
                continue
            taken = self.decide(msg, occurrence.message(group), ballot, units)
            if taken is BUSY:
                store.pending[(due, msg)] = (group, rules.SMS)
            elif taken is not None:
                out.append(taken)
        done += position - start
        if position < len(groups):
            store.pending[(due, key)] = (groups[position - 1][0], done)
        else:
            del store.pending[(due, key)]
            if done != occurrence.count:        # the count queued (the electorate's totals) was off
                store.waiting.change(done - occurrence.count)
        return max(position - start, 1)

    def take_one(self, due, msg, out):
        """A single pending message: one to try again, one waiting for its turn as an SMS, or one
        queued one by one (until evolve 0039)."""
        store = self.store
        value = store.pending[(due, msg)]
        if isinstance(value, tuple) and self.sms_taken:
            return              # still waiting for its turn: not routed again while an SMS is taken
        message = message_of(store, msg, pending_group(value))
        ballot = self.ballot(message.path) if message is not None else None
        units = self.groups(ballot).get(message.group) if ballot is not None else None
        later = self.deadline(message.event, ballot) if units is not None else SKIP
        if later is not None and later is not SKIP:     # an extension moved the deadline
            del store.pending[(due, msg)]
            store.pending[(later, msg)] = value
            return
        taken = self.decide(msg, message, ballot, units) if later is None else None
        if taken is BUSY:
            if not isinstance(value, tuple):
                store.pending[(due, msg)] = (message.group, rules.SMS)
            return
        del store.pending[(due, msg)]
        if later is SKIP:
            self.finish(msg, message.group if message is not None else "", rules.SKIPPED, self.attempts(msg))
        elif taken is not None:
            out.append(taken)

    def decide(self, msg, message, ballot, units):
        """Who gets one message and how, from the facts of now: the item to send, BUSY (an SMS
        while another is in flight), or None (decided: skipped or unreachable, recorded)."""
        store = self.store
        channel, address, uids = recipients.route(store, ballot.community["register"], units)
        if channel == rules.SMS and self.sms_taken:
            return BUSY                     # one SMS in flight at a time (see the docstring)
        box = ballot.box
        voted = box is not None and box.has_voted(message.group)
        attempts = self.attempts(msg)
        if not rules.wanted(message.event, voted, recipients.opted_out(store, uids)):
            self.finish(msg, message.group, rules.SKIPPED, attempts)
            return None
        if channel is None:
            self.log(message, msg, attempts + 1, "", rules.UNREACHABLE)
            self.finish(msg, message.group, rules.UNREACHABLE, attempts + 1)
            return None
        self.sms_taken = self.sms_taken or channel == rules.SMS
        attempt_id = f"{msg}-{attempts + 1}-{uuid.uuid4().hex[:8]}"
        store.inflight[msg] = (attempt_id, attempts + 1, channel, address, self.now, message.group)
        store.status[msg] = (rules.SENDING, attempts + 1, channel, "", self.now, message.group)
        return self.outgoing(msg, message, attempt_id, attempts + 1, channel, address)

    def outgoing(self, msg, message, attempt_id, attempt, channel, address):
        return (msg, attempt, channel, address, Outgoing(message.event, message.community, message.title,
                                                         self.base_url + message.link, attempt_id))

    def record(self, results, personal):
        store = self.store
        for msg, attempt, channel, address, ok, code in results:
            record = store.inflight.get(msg)
            if record is None:
                continue                    # recorded by another drain meanwhile
            del store.inflight[msg]
            message = in_flight(store, msg, record)
            group = message.group if message is not None else ""
            if message is not None:
                self.log(message, msg, attempt, channel, rules.ACCEPTED if ok else rules.REFUSED, "" if ok else str(code))
            if ok:
                self.finish(msg, group, rules.ACCEPTED, attempt, channel)
            elif rules.falls_back(channel, code):
                openid_hash = personal.identity_hash("wechat-openid", personal.decrypt(address))
                store.follows[openid_hash] = (False, self.now)
                self.again(msg, group, attempt, channel, code, self.now)
            else:
                delay = rules.retry_after(channel, code, attempt)
                if delay is None:
                    self.finish(msg, group, rules.REFUSED, attempt, channel, str(code))
                else:
                    self.again(msg, group, attempt, channel, code, self.now + delay)

    def again(self, msg, group, attempt, channel, code, due):
        self.store.status[msg] = ("queued", attempt, channel, str(code), self.now, group)
        self.store.pending[(due, msg)] = group


def send_all(items, channels, personal, limits):
    results = []
    for msg, attempt, channel_name, address, outgoing in items:
        channel = channels.get(channel_name)
        if channel is None:
            results.append((msg, attempt, channel_name, address, False, "no channel"))
            continue
        wait = limits[channel_name].wait_time()
        if wait:
            time.sleep(wait)
        try:
            ok, code = channel.send(personal.decrypt(address), outgoing)
        except Exception as exc:            # noqa: BLE001 - never its words: they may hold the address
            log.error("notification not sent: %s", type(exc).__name__)
            ok, code = False, "no answer"
        results.append((msg, attempt, channel_name, address, ok, code))
    return results


def drain(portal, now, channels, batch=100, *, personal, base_url="", limits=None, lease=LEASE_SECONDS,
          max_batches=None, clock=None):
    """Send what is due at ``now`` (a function of time when ``clock`` is given); the counts.

    ``portal`` must belong to a connection whose transaction manager is explicit or free: each
    step commits on it (``portal._p_jar.transaction_manager``)."""
    tm = portal._p_jar.transaction_manager
    limits = limits or {name: rules.RateLimit(rate) for name, rate in RATES.items()}
    counts = {"sent": 0, "accepted": 0, "refused": 0, "batches": 0}
    while max_batches is None or counts["batches"] < max_batches:
        moment = clock() if clock else now
        state = {}

        def claim():
            state["batch"] = Batch(portal, store_of(portal), moment, base_url)
            return state["batch"].claim(batch, lease)

        items = in_transaction(tm, claim)
        if not items and not state["batch"].looked:
            break       # nothing due is left (a batch that only decided, unreachable or skipped, is not the end)
        results = send_all(items, channels, personal, limits)
        if results:
            in_transaction(tm, lambda: Batch(portal, store_of(portal), moment, base_url).record(results, personal))
        counts["batches"] += 1
        counts["sent"] += len(results)
        counts["accepted"] += sum(1 for r in results if r[4])
        counts["refused"] += sum(1 for r in results if not r[4])
    return counts
