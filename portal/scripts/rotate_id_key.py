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

import transaction
from pyramid.paster import bootstrap, setup_logging
from pyramid.traversal import find_resource, resource_path
from ZODB.POSException import ConflictError

from portal import clock
from portal.bootstrap import ROOT_KEY
from portal.register import keyring
from portal.content.folder import communities_under

ATTEMPTS = 5


def in_transaction(db, work):
    """``work(portal)`` in its own transaction, run again on a conflict; its result."""
    manager = transaction.TransactionManager()
    conn = db.open(manager)
    try:
        for attempt in range(ATTEMPTS):
            try:
                with manager:
                    result = work(conn.root()[ROOT_KEY])
                return result
            except ConflictError:
                if attempt == ATTEMPTS - 1:
                    raise
    finally:
        conn.close()


def rotate(db, personal, report=print):
    """Re-encrypt everything; (values re-encrypted, values left under a retired key)."""
    total = 0
    paths = in_transaction(db, lambda portal: [resource_path(c) for c in communities_under(portal)])
    for path in paths:
        total += in_transaction(db, lambda portal: keyring.rotate_community(find_resource(portal, path), personal))
    total += in_transaction(db, lambda portal: keyring.rotate_portal_wide(portal, personal))
    report(f"re-encrypted {total} values under the key of fingerprint {personal.encryption_fingerprints[0]}")

    def finish(portal):
        left = keyring.left_behind(portal, personal)
        if left == 0:
            keyring.settle(portal, personal)
            portal.audit_log.append(clock.now(), "", "register.id_key_rotated", "/",
                                    {"values": total, "key": personal.encryption_fingerprints[0]})
        return left

    return total, in_transaction(db, finish)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("config_uri")
    parser.add_argument("--check", action="store_true", help="only count values under a retired key")
    args = parser.parse_args(argv)
    setup_logging(args.config_uri)
    with bootstrap(args.config_uri) as env:
        registry = env["registry"]
        db, personal = registry._zodb_databases[""], registry.personal_data
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
