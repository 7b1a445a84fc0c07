"""``portal-pack <ini> [--days N]``: drop object revisions older than N days (default 7).

Every vote, edit and sign-in adds a transaction; the storage keeps every earlier revision of every
object until it is packed.  Nothing the portal relies on lives in old revisions: votes, the
frozen electorates and the hash-chained audit log are current objects, so packing keeps them
all (the audit chain is verified after the pack).  Run it weekly from cron: over ZEO or RelStorage
beside the application; on a single FileStorage with the application stopped (it holds the lock).
Blobs no longer referenced are removed with the revisions that referenced them.
"""
import argparse
import os
import sys
import time

from portal.scripts import audit, transactions


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("config_uri")
    parser.add_argument("--days", type=float, default=7, help="keep revisions this many days old (7)")
    args = parser.parse_args(argv)
    with transactions.opened(args.config_uri) as (_registry, db):
        path = getattr(db.storage, "_file_name", None)
        before = os.path.getsize(path) if path else None
        started = time.perf_counter()
        db.pack(days=args.days)
        seconds = time.perf_counter() - started
        size = f"; {before / 1e6:.1f} MB -> {os.path.getsize(path) / 1e6:.1f} MB" if path else ""
        print(f"packed to {args.days:g} days in {seconds:.1f} s{size}")
        return audit.report(*transactions.in_transaction(db, lambda portal: portal.audit_log.verify()))


if __name__ == "__main__":
    sys.exit(main())
