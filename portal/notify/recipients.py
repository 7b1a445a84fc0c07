"""Who an owner group's message goes to, and how (no Pyramid here).

An owner group (register.rules.owner_groups over the frozen electorate) is reached through the
account bound to one of its owners: by WeChat when that account's linked openid follows the
official account, else by SMS to the phone the register holds for the group's owners (the bound
owner's first).  Addresses stay encrypted until the moment of sending.
"""
from portal.binding.service import bound_identities
from portal.notify import rules
from portal.register.rules import owner_groups
from portal.voting.tally import key_text


def groups(electorate):
    """{group key text: (unit keys)} of a frozen electorate (not to be changed by the caller).

    Worked out once per loaded electorate, not once per call: a transition queues two events and
    the drain goes through each ballot's groups batch after batch.  The memo is volatile (gone
    when the object is) and is kept with the units it was made of."""
    memo = getattr(electorate, "_v_groups", None)
    if memo is None or memo[0] is not electorate.units or memo[1] != electorate.include_parking:
        found = owner_groups(electorate.units, electorate.include_parking)
        memo = (electorate.units, electorate.include_parking,
                {key_text(key): tuple(units) for key, units in found.items()})
        electorate._v_groups = memo
    return memo[2]


def bound_uids(register, unit_keys):
    """Accounts bound to the group's owners, in a fixed order."""
    uids = set()
    for key in unit_keys:
        unit = register.get(key)
        for owner in unit.owners if unit is not None else ():
            record = register.bindings.get(owner.id_hash) if owner.id_hash else None
            if record:
                uids.add(record["uid"])
    return sorted(uids)


def phone_of(register, unit_keys, preferred=()):
    """The encrypted phone of the group: a bound owner's first, else any registered one."""
    phones = []
    for key in unit_keys:
        unit = register.get(key)
        for owner in unit.owners if unit is not None else ():
            if owner.phone_enc:
                bound = owner.id_hash in preferred
                phones.append((0 if bound else 1, owner.phone_enc))
    return min(phones, key=lambda p: p[0])[1] if phones else b""


def followed_openid(store, uid):
    """The encrypted openid linked to ``uid`` if it follows the official account, else b""."""
    openid_hash = store.link_of.get(uid)
    if openid_hash is None:
        return b""
    follows = store.follows.get(openid_hash)
    return store.links[openid_hash][1] if follows and follows[0] else b""


def route(store, register, unit_keys, exclude_wechat=False):
    """(channel, encrypted address, uids) for a group; channel None when nobody can be reached."""
    uids = bound_uids(register, unit_keys)
    openid = b""
    if not exclude_wechat:
        openid = next((found for found in (followed_openid(store, uid) for uid in uids) if found), b"")
    bound_hashes = {h for uid in uids for h in bound_identities(register, uid)}
    phone = b"" if openid else phone_of(register, unit_keys, bound_hashes)
    channel = rules.channel_for(bool(openid), bool(phone))
    return channel, (openid if channel == rules.WECHAT else phone), uids


def opted_out(store, uids):
    """A group's reminders are off when its bound account turned them off."""
    return bool(uids) and all(uid in store.optout for uid in uids)
