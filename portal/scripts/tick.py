"""``portal-tick <ini>``: fire every due timed transition (run it from cron every minute).

For deployments over ZEO or RelStorage, where it runs beside the application; on the embedded
default the server's scheduler thread does the same (``portal.scheduler = true``).  The due
ballots are found through the catalog's timer index, and each is caught up in its own
transaction, retried on conflicts, so votes going on at the same time are never refused.
Idempotent: a ballot that is up to date is left alone.
"""
import argparse
import sys
import time

from pyramid.paster import bootstrap, setup_logging
from pyramid_zodbconn import get_connection

from portal.catalog.due import run_due, tick  # noqa: F401  (tick: the same work in one transaction)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("config_uri")
    parser.add_argument("--attempts", type=int, default=5, help="tries per ballot on conflicts")
    args = parser.parse_args(argv)
    setup_logging(args.config_uri)
    env = bootstrap(args.config_uri)
    try:
        conn = get_connection(env["request"])       # on request.tm, the application's explicit manager
        started = time.perf_counter()
        report = run_due(conn, env["registry"].settings, attempts=args.attempts)
        seconds = time.perf_counter() - started
    finally:
        env["closer"]()
        env["registry"]._zodb_databases[""].close()     # give the storage back at once
    print(f"{report.due} due, {report.moved} moved, {report.transitions} timed transitions fired, "
          f"{report.failed} left for the next run, in {seconds:.1f} s")
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
