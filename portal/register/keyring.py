"""Which keys a database's personal data was made with, and re-encrypting it under a new key.

The portal keeps, in ``portal.personal_data_keys``, the fingerprint of the look-up key every stored
hash was made with and the fingerprints of the encryption keys some stored data may still be
encrypted with.  At start-up ``check`` refuses keys that cannot read the database (a wrong key
would otherwise make every binding fail and every export unreadable, silently).  ``rotate_*``
re-encrypt what one community or the portal-wide stores hold under the current key; once nothing
is left under a retired key, ``settle`` records that the retired keys are no longer needed.

Encrypted data lives in: owners on register units (and units of an import waiting for
confirmation), owner accounts (their mobile number), and pending face-verification requests.
"""
import copy

from portal.content.folder import communities_under

OWNER_FIELDS = ("name_enc", "id_enc", "phone_enc")


class KeyMismatch(RuntimeError):
    """The configured keys cannot read this database."""


def sample_token(portal):
    """Some stored encrypted value, to try a key on (None in a database without personal data)."""
    for community in communities_under(portal):
        for unit in community["register"].units.values():
            for owner in unit.owners:
                if owner.name_enc:
                    return owner.name_enc
    return None


def check(portal, personal):
    """Raise KeyMismatch unless ``personal`` can read this database; note a new current key."""
    stored = getattr(portal, "personal_data_keys", None)
    if stored is None:                       # a new database, or one made before the record
        token = sample_token(portal)
        if token is not None:
            try:
                personal.decrypt(token)
            except ValueError:
                raise KeyMismatch("the configured ID key cannot decrypt this database's personal data; "
                                  "give the key it was made with (portal.id_key)") from None
        portal.personal_data_keys = {"lookup": personal.lookup_fingerprint,
                                     "encryption": (personal.encryption_fingerprints[0],)}
        return
    if stored["lookup"] != personal.lookup_fingerprint:
        raise KeyMismatch(
            f"this database's look-up hashes were made with the key of fingerprint {stored['lookup']}, "
            f"but the configured look-up key has fingerprint {personal.lookup_fingerprint}; after an "
            "encryption key rotation set portal.id_lookup_key to the earlier key (README, 'Rotating the ID key')")
    missing = [f for f in stored["encryption"] if f not in personal.encryption_fingerprints]
    if missing:
        raise KeyMismatch(
            f"personal data in this database may still be encrypted with the key(s) of fingerprint "
            f"{', '.join(missing)}, which are not configured; keep them in portal.id_key_retired until "
            "portal-rotate-id-key has finished")
    current = personal.encryption_fingerprints[0]
    if current not in stored["encryption"]:
        portal.personal_data_keys = dict(stored, encryption=(current, *stored["encryption"]))


def _units(register):
    pending = register.pending["units"] if register.pending else []
    return [*register.units.values(), *pending]


def _stale(owner, personal):
    return [name for name in OWNER_FIELDS if not personal.is_current(getattr(owner, name))]


def rotate_community(community, personal, write=True):
    """The number of the community's register values not under the current key; with ``write``
    they are re-encrypted under it."""
    count = 0
    for unit in _units(community["register"]):
        stale = [(n, names) for n, owner in enumerate(unit.owners) if (names := _stale(owner, personal))]
        count += sum(len(names) for _n, names in stale)
        if write and stale:
            owners = list(unit.owners)
            for n, names in stale:
                owners[n] = copy.copy(owners[n])        # owners live inside the unit's own record
                owners[n].__dict__.update({name: personal.rotate(getattr(owners[n], name)) for name in names})
            unit.owners = tuple(owners)
    return count


def rotate_portal_wide(portal, personal, write=True):
    """The same for owner accounts' mobile numbers and pending face requests."""
    count = 0
    for account in portal.accounts.values():
        if not personal.is_current(getattr(account, "phone_enc", b"")):
            count += 1
            if write:
                account.phone_enc = personal.rotate(account.phone_enc)
    for nonce, record in list(portal.face_requests.items()):
        if not personal.is_current(record.get("name_enc")):
            count += 1
            if write:
                portal.face_requests[nonce] = dict(record, name_enc=personal.rotate(record["name_enc"]))
    return count


def left_behind(portal, personal):
    """How many stored values are not yet under the current key (nothing is written)."""
    return rotate_portal_wide(portal, personal, write=False) + sum(
        rotate_community(community, personal, write=False) for community in communities_under(portal))


def settle(portal, personal):
    """Record that only the current key encrypts anything (call when ``left_behind`` is 0)."""
    portal.personal_data_keys = dict(portal.personal_data_keys, encryption=(personal.encryption_fingerprints[0],))
