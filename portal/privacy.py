"""Personal data kept no longer than its purpose needs (PIPL art. 19): one ``expire(portal, now)``
that the scheduler (``portal-tick``, the server's own thread) calls with real time.

- face-verification requests (an encrypted name, a hashed ID): their lifetime, plus an hour for
  the owner to read the outcome on the return page;
- sign-up SMS codes: the code's own lifetime;
- throttle records (keyed hashes of logins, addresses, identities): a day after their last
  failure, longer than any throttle's window;
- import previews (up to a whole register of units with encrypted names and ID numbers, waiting
  for a confirmation that never came): a day after the preview.

Deleted records stay in old revisions until the database is packed (``portal-pack``), which
removes them from the file.
"""
import datetime

FACE_GRACE = datetime.timedelta(hours=1)       # after the request's expiry
THROTTLE_KEEP = datetime.timedelta(days=1)
PREVIEW_KEEP = datetime.timedelta(days=1)


def face_request_expired(record, now):
    return record["expires"] + FACE_GRACE <= now


def phone_code_expired(record, now):
    return record["expires"] <= now


def preview_expired(pending, now):
    return pending is not None and pending["created"] + PREVIEW_KEEP <= now


def _expire_in(store, expired, now):
    gone = [key for key, value in store.items() if expired(value, now)]
    for key in gone:
        del store[key]
    return len(gone)


def registers(portal):
    """Every community's register (a walk of the tree: a catalog query may stand in for it)."""
    for district in portal.values():
        for street in district.values():
            for community in street.values():
                register = community.get("register") if hasattr(community, "get") else None
                if register is not None:
                    yield register


def expire(portal, now, all_registers=None):
    """Delete what has outlived its purpose at ``now``; returns {kind: how many deleted}."""
    counts = {
        "face_requests": _expire_in(portal.face_requests, face_request_expired, now),
        "phone_codes": _expire_in(portal.phone_codes, phone_code_expired, now),
        "throttle": portal.throttle.expire(now - THROTTLE_KEEP),
        "import_previews": 0,
    }
    for register in registers(portal) if all_registers is None else all_registers:
        if preview_expired(register.pending, now):
            register.pending = None
            counts["import_previews"] += 1
    return counts
