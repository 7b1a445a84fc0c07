"""Binding and unbinding (no Pyramid here).

An identity (ID type + number) is matched by its keyed hash in the community's identity index,
never by decrypting the register; the name typed must match the name registered for it.  A bound
identity is recorded in ``register.bindings``, and on the account (``account.identities``, the
reverse index); the community joins ``account.communities``, which makes the account an owner there
(``security.localroles.bound_roles``), and its mobile number is written into the register for every
unit of that identity.
"""
import copy
import datetime

from pyramid.traversal import find_root, resource_path

from portal.binding import unbind_requests
from portal.i18n import _
from portal.register.bound import change_of
from portal.register.models import sort_key
from portal.register.records import Binding
from portal.security.throttle import Rule

# The account that tries is locked after 5 failures an hour; attempts against one identity from
# any accounts only slow down (30 s between tries after 10 an hour), so a stranger guessing at
# an owner's identity cannot lock the real owner out of binding.
BIND_ACCOUNT = Rule("bind-account", 5, datetime.timedelta(hours=1))
BIND_IDENTITY = Rule("bind-identity", 10, datetime.timedelta(hours=1), delay=datetime.timedelta(seconds=30))

NO_MATCH = _("The details do not match the register, or the verification did not succeed. "
             "Check your name and ID number, or ask the street office.")


class Refused(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


BOUND_ELSEWHERE = _("This owner is already bound to another account. If it is not yours or you can no "
                    "longer sign in to it, ask the street office to unbind it.")


class BoundElsewhere(Refused):
    """The identity was proved, but another account holds it: the owner may ask the street
    office to unbind that account (``unbind_requests``)."""

    def __init__(self):
        super().__init__(BOUND_ELSEWHERE)


def bound_elsewhere(register, id_hash, uid):
    current = bound_uid(register, id_hash)
    return current is not None and current != uid


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
    """Bind ``account`` to the identity in ``community``; return the identity's units.

    Reads and writes only that identity's units and records: the bound counters move by what
    these units add, so a bind costs the same in a register of 20 units or of 20,000.  What they
    add depends on the co-owners' bindings; every bind and unbind writes the identity's units, so
    two at once on shared units conflict and one is run again, seeing the other's outcome."""
    register = community["register"]
    if bound_elsewhere(register, id_hash, account.uid):
        raise BoundElsewhere()
    current = bound_uid(register, id_hash)
    units = register.units_of(id_hash)
    if current is None:
        register.count_binding(_change(community, units, id_hash))
    register.bindings[id_hash] = Binding.make(uid=account.uid, when=now, method=method)
    index_binding(community, account, id_hash)
    for unit in units:
        unit.owners = tuple(_with_phone(o, account) if o.id_hash == id_hash else o for o in unit.owners)
    account.communities = tuple(sorted(set(account.communities) | {resource_path(community)}))
    unbind_requests.forget(register, account.uid)
    return units


def _change(community, units, id_hash):
    """What binding ``id_hash`` (bound or not: the others decide) adds to the bound counters."""
    register = community["register"]
    others = {o.id_hash for unit in units for o in unit.owners
              if o.id_hash and o.id_hash != id_hash and o.id_hash in register.bindings}
    return change_of([unit.facts() for unit in units], id_hash, others, community.parking_counts)


def _with_phone(owner, account):
    updated = copy.copy(owner)
    updated.phone_enc, updated.phone_hash = account.phone_enc, account.phone_hash
    return updated


def unbind(community, account, now, id_hash=None):
    """Remove the account's binding of ``id_hash`` (default: all of them) in ``community``; once
    none is left, the community leaves ``account.communities``, and the owner role there goes.
    Return how many bindings were removed."""
    register = community["register"]
    removed = 0
    for found in [h for h in bound_identities(register, account.uid, account) if id_hash in (None, h)]:
        unbind_requests.decide(register, found, unbind_requests.UNBOUND, now)
        index_binding(community, account, found, bound=False)
        if bound_uid(register, found) != account.uid:
            continue                    # the reverse index was behind the register: nothing to undo
        del register.bindings[found]
        removed += 1
        units = register.units_of(found)
        register.count_binding(_change(community, units, found), sign=-1)
        for unit in units:
            unit._p_changed = True      # so a co-owner's bind or unbind at the same moment conflicts
    if not bound_identities(register, account.uid, account):
        path = resource_path(community)
        account.communities = tuple(p for p in account.communities if p != path)
    return removed


def bound_identities(register, uid, account=None):
    """The identities ``uid`` is bound to here, from its account's reverse index (not a scan of
    the register); the account is looked up at the root when not given."""
    if account is None:
        accounts = getattr(find_root(register), "accounts", None)
        account = accounts.get(uid) if accounts is not None else None
    if account is None or not account.identities:
        return []
    path = resource_path(register.__parent__)
    return [id_hash for where, id_hash in account.identities if where == path]


def index_binding(community, account, id_hash, bound=True):
    """Keep the reverse index (``account.identities``) true for one binding or unbinding."""
    entry = (resource_path(community), id_hash)
    current = set(account.identities)
    current = current | {entry} if bound else current - {entry}
    if current != set(account.identities):
        account.identities = tuple(sorted(current))


def my_units(community, uid):
    """The units an account is bound to in ``community``, in address order (its own units only
    are read, not the register)."""
    register = community["register"]
    units = {unit.__name__: unit for h in bound_identities(register, uid) for unit in register.units_of(h)}
    return sorted(units.values(), key=lambda unit: sort_key(unit.address))
