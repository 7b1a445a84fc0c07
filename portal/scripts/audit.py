"""``portal-audit <ini> verify``: recompute the audit log's hash chain and report."""
import argparse
import sys

from portal.scripts import transactions


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("config_uri")
    parser.add_argument("command", choices=["verify"])
    args = parser.parse_args(argv)
    with transactions.opened(args.config_uri) as (_registry, db):
        return report(*transactions.in_transaction(db, lambda portal: portal.audit_log.verify()))


def report(intact, count, bad):
    """Say what ``AuditLog.verify`` found; the exit status (1 when the chain is broken)."""
    if intact:
        print(f"audit log intact: {count} entries")
        return 0
    print(f"audit log BROKEN at entry {bad} ({count} entries read)")
    return 1


if __name__ == "__main__":
    sys.exit(main())
