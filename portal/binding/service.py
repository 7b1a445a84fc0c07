"""Binding and unbinding (no Pyramid here).

An identity (ID type + number) is matched by its keyed hash in the community's identity index,
never by decrypting the register; the name typed must match the name registered for it.  A bound
identity is recorded in ``register.bindings``; the account gets the local owner role on the
community, and its mobile number is written into the register for every unit of that identity.
"""
import datetime

from pyramid.traversal import resource_path

from portal.i18n import _
from portal.register import services as register_services
from portal.security import localroles
from portal.security.roles import OWNER
from portal.security.throttle import Rule

BIND_ACCOUNT = Rule("bind-account", 5, datetime.timedelta(hours=1))
BIND_IDENTITY = Rule("bind-identity", 5, datetime.timedelta(hours=1))

NO_MATCH = _("The details do not match the register, or the verification did not succeed. "
             "Check your name and ID number, or ask the street office.")


class Refused(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def identity_of(personal, id_type, number):
    return personal.identity_hash(id_type, number)


def matches(register, personal, name, id_hash):
    """Does ``name`` belong to the identity ``id_hash`` in this register?"""
    name_hash = personal.identity_hash("name", (name or "").strip())
    return any(owner.id_hash == id_hash and owner.name_hash == name_hash
               for unit in register.units_of(id_hash) for owner in unit.owners)


def throttle_keys(portal, secret, account, id_hash):
    throttle = portal.throttle
    return [(throttle.key(secret, BIND_ACCOUNT, account.uid), BIND_ACCOUNT),
            (throttle.key(secret, BIND_IDENTITY, id_hash), BIND_IDENTITY)]


def blocked_until(portal, secret, account, id_hash, now):
    blocks = [portal.throttle.blocked_until(key, rule, now)
              for key, rule in throttle_keys(portal, secret, account, id_hash)]
    blocks = [b for b in blocks if b is not None]
    return max(blocks) if blocks else None


def record_failure(portal, secret, account, id_hash, now):
    for key, rule in throttle_keys(portal, secret, account, id_hash):
        portal.throttle.record_failure(key, rule, now)


def bound_uid(register, id_hash):
    record = register.bindings.get(id_hash)
    return record["uid"] if record else None


def bind(community, account, id_hash, method, now):
    """Bind ``account`` to the identity in ``community``; return the identity's units."""
    register = community["register"]
    current = bound_uid(register, id_hash)
    if current is not None and current != account.uid:
        raise Refused(_("This owner is already bound to another account. Unbind it first, "
                        "or ask the street office."))
    register.bindings[id_hash] = {"uid": account.uid, "when": now, "method": method}
    index_binding(register, account.uid, id_hash)
    localroles.grant(community, account.uid, OWNER)
    units = register.units_of(id_hash)
    for unit in units:
        unit.owners = tuple(_with_phone(o, account) if o.id_hash == id_hash else o for o in unit.owners)
    account.communities = tuple(sorted(set(getattr(account, "communities", ())) |
                                       {resource_path(community)}))
    register_services.refresh(register, now)
    return units


def _with_phone(owner, account):
    import copy

    updated = copy.copy(owner)
    updated.phone_enc, updated.phone_hash = account.phone_enc, getattr(account, "phone_hash", "")
    return updated


def unbind(community, account, now, id_hash=None):
    """Remove the account's binding of ``id_hash`` (default: all of them) in ``community``; once
    none is left, the owner role there goes too.  Return how many bindings were removed."""
    register = community["register"]
    hashes = [h for h in bound_identities(register, account.uid) if id_hash in (None, h)]
    for found in hashes:
        del register.bindings[found]
        index_binding(register, account.uid, found, bound=False)
    if not bound_identities(register, account.uid):
        localroles.revoke(community, account.uid, OWNER)
        path = resource_path(community)
        account.communities = tuple(p for p in getattr(account, "communities", ()) if p != path)
    register_services.refresh(register, now)
    return len(hashes)


def bound_identities(register, uid):
    """The identities ``uid`` is bound to here (through the reverse index, not a scan)."""
    by_uid = getattr(register, "bindings_by_uid", None)
    if by_uid is None:
        return [h for h, record in register.bindings.items() if record["uid"] == uid]
    return list(by_uid.get(uid, ()))


def index_binding(register, uid, id_hash, bound=True):
    from BTrees.OOBTree import OOBTree

    if getattr(register, "bindings_by_uid", None) is None:
        register.bindings_by_uid = OOBTree()
        for h, record in register.bindings.items():
            register.bindings_by_uid[record["uid"]] = register.bindings_by_uid.get(record["uid"], ()) + (h,)
    current = set(register.bindings_by_uid.get(uid, ()))
    current = current | {id_hash} if bound else current - {id_hash}
    if current:
        register.bindings_by_uid[uid] = tuple(sorted(current))
    elif uid in register.bindings_by_uid:
        del register.bindings_by_uid[uid]


def my_units(community, uid):
    """The units an account is bound to in ``community``, in address order."""
    register = community["register"]
    ids = {unit.__name__ for h in bound_identities(register, uid) for unit in register.units_of(h)}
    return [unit for unit in register.values() if unit.__name__ in ids]
