"""Draining the queue after commit: in batches, rate-limited per channel, idempotent.

Each batch runs in three steps, the first and last each one transaction (retried on conflicts):

1. **claim**: every due message of the batch is decided (who, which channel, or skipped because
   the group voted or turned reminders off) and marked ``sending`` with an attempt id and the
   address it will go to; that is committed *before* anything leaves the portal;
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
import logging
import time
from itertools import islice
import uuid

from pyramid.traversal import find_resource

from portal.notify import recipients, rules
from portal.notify.channels import Outgoing
from portal.notify.models import store_of

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


class Batch:
    def __init__(self, portal, store, now, base_url):
        self.portal, self.store, self.now, self.base_url = portal, store, now, base_url.rstrip("/")
        self._ballots = {}

    def ballot(self, path):
        if path not in self._ballots:
            try:
                self._ballots[path] = find_resource(self.portal, path)
            except KeyError:
                self._ballots[path] = None
        return self._ballots[path]

    def finish(self, msg, state, attempts, channel="", code=""):
        self.store.status[msg] = (state, attempts, channel, code, self.now)
        self.store.waiting.change(-1)

    def log(self, msg, attempt, channel, outcome, code=""):
        path, event, _o, group = self.store.messages[msg][:4]
        self.store.log[(path, group, msg, attempt)] = (event, channel, self.now, outcome, code)

    def claim(self, limit, lease):
        """Messages to send now: those a crash left in flight, then the due ones."""
        store, out = self.store, []
        stale = [m for m, f in store.inflight.items() if (self.now - f[4]).total_seconds() >= lease]
        for msg in stale:
            attempt_id, attempt, channel, address, _at = store.inflight[msg]
            if channel == rules.WECHAT:         # same attempt id: WeChat drops a repeat
                store.inflight[msg] = (attempt_id, attempt, channel, address, self.now)
                out.append(self.outgoing(msg, attempt_id, attempt, channel, address))
            else:
                del store.inflight[msg]
                self.log(msg, attempt, channel, rules.UNCERTAIN)
                self.finish(msg, rules.UNCERTAIN, attempt, channel)
        sms_taken = False
        for due, msg in list(islice(store.pending.keys(max=(self.now, "\xff")), SCAN * limit)):
            if len(out) >= limit:
                break
            taken = self.decide(due, msg, sms_taken)
            if taken is not None:
                sms_taken = sms_taken or taken.channel == rules.SMS
                out.append(taken.item)
        return out

    def decide(self, due, msg, sms_taken):
        store = self.store
        path, event, _occ, group, units = store.messages[msg][:5]
        ballot = self.ballot(path)
        attempts = store.status[msg][1]
        if ballot is None or ballot.electorate is None:
            del store.pending[(due, msg)]
            self.finish(msg, rules.SKIPPED, attempts)
            return None
        if event == rules.DEADLINE:
            if ballot.phase() != "voting":
                del store.pending[(due, msg)]
                self.finish(msg, rules.SKIPPED, attempts)
                return None
            moved = rules.deadline_reminder_at(ballot.window()[1])
            if moved > self.now:            # an extension moved the deadline
                del store.pending[(due, msg)]
                store.pending[(moved, msg)] = 1
                return None
        register = ballot.community["register"]
        channel, address, uids = recipients.route(store, register, units)
        if channel == rules.SMS and sms_taken:
            return None                     # one SMS in flight at a time (see the docstring)
        box = getattr(ballot, "box", None)
        voted = box is not None and box.has_voted(group)
        del store.pending[(due, msg)]
        if not rules.wanted(event, voted, recipients.opted_out(store, uids)):
            self.finish(msg, rules.SKIPPED, attempts)
            return None
        if channel is None:
            self.log(msg, attempts + 1, "", rules.UNREACHABLE)
            self.finish(msg, rules.UNREACHABLE, attempts + 1)
            return None
        attempt_id = f"{msg}-{attempts + 1}-{uuid.uuid4().hex[:8]}"
        store.inflight[msg] = (attempt_id, attempts + 1, channel, address, self.now)
        store.status[msg] = (rules.SENDING, attempts + 1, channel, "", self.now)
        return Taken(channel, self.outgoing(msg, attempt_id, attempts + 1, channel, address))

    def outgoing(self, msg, attempt_id, attempt, channel, address):
        _p, event, _o, _g, _u, link, community, title = self.store.messages[msg][:8]
        return (msg, attempt, channel, address, Outgoing(event, community, title, self.base_url + link, attempt_id))

    def record(self, results, personal):
        store = self.store
        for msg, attempt, channel, address, ok, code in results:
            if msg not in store.inflight:
                continue                    # recorded by another drain meanwhile
            del store.inflight[msg]
            self.log(msg, attempt, channel, rules.ACCEPTED if ok else rules.REFUSED, "" if ok else str(code))
            if ok:
                self.finish(msg, rules.ACCEPTED, attempt, channel)
            elif rules.falls_back(channel, code):
                openid_hash = personal.identity_hash("wechat-openid", personal.decrypt(address))
                store.follows[openid_hash] = (False, self.now)
                self.again(msg, attempt, channel, code, self.now)
            else:
                delay = rules.retry_after(channel, code, attempt)
                if delay is None:
                    self.finish(msg, rules.REFUSED, attempt, channel, str(code))
                else:
                    self.again(msg, attempt, channel, code, self.now + delay)

    def again(self, msg, attempt, channel, code, due):
        self.store.status[msg] = ("queued", attempt, channel, str(code), self.now)
        self.store.pending[(due, msg)] = 1


class Taken:
    def __init__(self, channel, item):
        self.channel, self.item = channel, item


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
        if not items:
            break
        results = send_all(items, channels, personal, limits)
        in_transaction(tm, lambda: Batch(portal, store_of(portal), moment, base_url).record(results, personal))
        counts["batches"] += 1
        counts["sent"] += len(results)
        counts["accepted"] += sum(1 for r in results if r[4])
        counts["refused"] += sum(1 for r in results if not r[4])
    return counts
