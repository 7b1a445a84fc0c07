"""Personal data kept no longer than its purpose needs (PIPL art. 19): one ``expire(portal, now)``
that the scheduler (``portal-tick``, the server's own thread) calls with real time.

- face-verification requests (an encrypted name, a hashed ID): their lifetime, plus an hour for
  the owner to read the outcome on the return page;
- sign-up SMS codes: the code's own lifetime;
- throttle records (keyed hashes of logins, addresses, identities): a day after their last
  failure, longer than any throttle's window;
- import previews (up to a whole register of units with encrypted names and ID numbers, waiting
  for a confirmation that never came): a day after the preview;
- requests to unbind another account (a hashed identity and the asking account), once street
  staff decided them: thirty days after, time for the owner to read the outcome.

Deleted records stay in old revisions until the database is packed (``portal-pack``), which
removes them from the file.
"""
import datetime

FACE_GRACE = datetime.timedelta(hours=1)       # after the request's expiry
THROTTLE_KEEP = datetime.timedelta(days=1)
PREVIEW_KEEP = datetime.timedelta(days=1)
DECIDED_REQUEST_KEEP = datetime.timedelta(days=30)


def face_request_expired(record, now):
    return record["expires"] + FACE_GRACE <= now


def phone_code_expired(record, now):
    return record["expires"] <= now


def preview_expired(pending, now):
    return pending is not None and pending["created"] + PREVIEW_KEEP <= now


def unbind_request_expired(record, now):
    return record["decided"] is not None and record["decided"] + DECIDED_REQUEST_KEEP <= now


def _expire_in(store, expired, now):
    gone = [key for key, value in store.items() if expired(value, now)]
    for key in gone:
        del store[key]
    return len(gone)


def registers(portal):
    """Every community's register, the communities found through the catalog."""
    from portal.catalog import query

    for community in query.communities_under(portal, "/"):
        yield community["register"]


def expire(portal, now, all_registers=None):
    """Delete what has outlived its purpose at ``now``; returns {kind: how many deleted}."""
    counts = {
        "face_requests": _expire_in(portal.face_requests, face_request_expired, now),
        "phone_codes": _expire_in(portal.phone_codes, phone_code_expired, now),
        "throttle": portal.throttle.expire(now - THROTTLE_KEEP),
        "import_previews": 0,
        "unbind_requests": 0,
    }
    for register in registers(portal) if all_registers is None else all_registers:
        if preview_expired(register.pending, now):
            register.pending = None
            counts["import_previews"] += 1
        if register.unbind_requests:
            counts["unbind_requests"] += _expire_in(register.unbind_requests, unbind_request_expired, now)
    return counts


PREVIEW_SWEEP = datetime.timedelta(hours=1)    # how often the registers are looked through


class ExpiryJob:
    """The scheduler's (and portal-tick's) expiry, on real time: face requests, codes and throttle
    records every run; import previews and decided unbind requests, which need a look at every
    register, once an hour (``sweep_due``)."""

    def __call__(self, conn, registry):
        from portal import clock
        from portal.bootstrap import ROOT_KEY

        now = clock.real_now()
        tm = conn.transaction_manager
        for attempt in tm.attempts(5):
            with attempt as txn:
                portal = conn.root()[ROOT_KEY]
                sweep = sweep_due(portal, now)
                counts = expire(portal, now, all_registers=None if sweep else ())
                if sweep:
                    portal.registers_swept = now
                txn.note("expire personal data past its purpose")
        return counts


def sweep_due(portal, now):
    """Whether the registers are to be looked through now: the last sweep is kept in the
    database (``portal.registers_swept``, absent until the first), since portal-tick is a new
    process every minute and would otherwise look through every register of the city each time."""
    swept = getattr(portal, "registers_swept", None)
    return swept is None or not (swept <= now < swept + PREVIEW_SWEEP)


def includeme(config):
    config.add_periodic_job("expiry", ExpiryJob())
