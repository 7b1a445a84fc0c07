"""``portal-rotate-id-key <ini>``: re-encrypt all personal data under the current ID key.

Run it after configuring the new key as ``portal.id_key``, the old one as
``portal.id_key_retired`` and (so the look-up hashes keep working) as ``portal.id_lookup_key``;
see README, "Rotating the ID key".  Each community is one transaction, retried on a conflict, so
it can run beside application processes over ZEO or RelStorage and be resumed when interrupted:
values already under the current key are left alone.  When nothing is left under a retired key
it records that, adds an audit entry, and says the retired key can be removed.
``--check`` only counts what is still under a retired key (exit status 1 when anything is).
"""
import argparse
import sys

from pyramid.traversal import find_resource, resource_path

from portal import clock
from portal.content.folder import communities_under
from portal.register import keyring
from portal.scripts.transactions import in_transaction, opened


def rotate(db, personal, report=print):
    """Re-encrypt everything; (values re-encrypted, values left under a retired key)."""
    total = 0
    paths = in_transaction(db, lambda portal: [resource_path(c) for c in communities_under(portal)])
    for path in paths:
        total += in_transaction(db, lambda portal: keyring.rotate_community(find_resource(portal, path), personal),
                                note=f"portal-rotate-id-key: {path}")
    total += in_transaction(db, lambda portal: keyring.rotate_portal_wide(portal, personal),
                            note="portal-rotate-id-key: accounts and portal-wide stores")
    report(f"re-encrypted {total} values under the key of fingerprint {personal.encryption_fingerprints[0]}")

    def finish(portal):
        left = keyring.left_behind(portal, personal)
        if left == 0:
            keyring.settle(portal, personal)
            portal.audit_log.append(clock.now(), "", "register.id_key_rotated", "/",
                                    {"values": total, "key": personal.encryption_fingerprints[0]})
        return left

    return total, in_transaction(db, finish, note="portal-rotate-id-key: done")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("config_uri")
    parser.add_argument("--check", action="store_true", help="only count values under a retired key")
    args = parser.parse_args(argv)
    with opened(args.config_uri) as (registry, db):
        personal = registry.personal_data
        if args.check:
            left = in_transaction(db, lambda portal: keyring.left_behind(portal, personal))
        else:
            _total, left = rotate(db, personal)
    if left:
        print(f"{left} values are still encrypted with a retired key; keep portal.id_key_retired")
        return 1
    print("every value is encrypted with the current key; portal.id_key_retired can be removed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
