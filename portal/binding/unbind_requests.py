"""Asking the street office to unbind another account (no Pyramid here).

An owner whose identity is bound to an account they can no longer use (a lost phone number, an
account someone else opened) proves the identity again from a new account, by code letter or by
face, and asks the street office to unbind the old one.  The request holds the identity's keyed
hash, the asking account and when: no name, number or phone.  It waits on the street's worklist
until staff unbind the old account (the request is then "unbound") or decline it; the owner sees
the outcome on the community's binding page.
"""
from portal.events import ObjectModified, notify
from portal.i18n import _
from portal.register.records import UnbindRequest

PENDING, UNBOUND, DECLINED = "pending", "unbound", "declined"


class RequestRefused(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def can_ask(register, id_hash, uid):
    """Only for an identity bound to an account other than the one asking."""
    record = register.bindings.get(id_hash)
    if record is None:
        raise RequestRefused(_("This owner is not bound to any account: you can bind now."))
    if record["uid"] == uid:
        raise RequestRefused(_("This owner is already bound to your account."))


def file(register, id_hash, uid, method, now):
    """Record the request (a second one from the same account keeps the first's time); return it."""
    can_ask(register, id_hash, uid)
    current = register.unbind_requests.get(id_hash)
    if current is not None and current["state"] == PENDING and current["uid"] == uid:
        return current
    record = UnbindRequest.make(uid=uid, when=now, method=method, state=PENDING, decided=None)
    register.unbind_requests[id_hash] = record
    _changed(register, now)
    return record


def _changed(register, now):
    """The community's line on the street's worklist comes and goes with its pending requests."""
    notify(ObjectModified(register.__parent__, names=("unbind_requests",), when=now))


def pending(register):
    """[(id_hash, request)] waiting for the street office, oldest first."""
    found = [(h, r) for h, r in register.unbind_requests.items() if r["state"] == PENDING]
    return sorted(found, key=lambda item: item[1]["when"])


def waiting_for(register, id_hash):
    record = register.unbind_requests.get(id_hash)
    return record if record is not None and record["state"] == PENDING else None


def decide(register, id_hash, state, now):
    """Close a pending request as UNBOUND or DECLINED; return whether there was one."""
    record = waiting_for(register, id_hash)
    if record is None:
        return False
    register.unbind_requests[id_hash] = record.replace(state=state, decided=now)
    _changed(register, now)
    return True


def of_account(register, uid):
    """The latest request the account made in this register, or None (few requests are ever open
    at once in a community, so they are read, not indexed)."""
    mine = [r for r in register.unbind_requests.values() if r["uid"] == uid]
    return max(mine, key=lambda r: r["when"]) if mine else None


def forget(register, uid):
    """The account bound at last: its decided requests have served their purpose."""
    for id_hash, record in list(register.unbind_requests.items()):
        if record["uid"] == uid and record["state"] != PENDING:
            del register.unbind_requests[id_hash]
