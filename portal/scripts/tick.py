"""``portal-tick <ini> [name=value ...]``: run every periodic job once (run it every minute).

For deployments over ZEO or RelStorage, where it runs beside the application (deploy/'s
portal-tick.timer); on the embedded default the server's scheduler thread does the same
(``portal.scheduler = true``).  The jobs are those the packages register: the due timed
transitions (found through the catalog's timer index, 100 ballots per transaction, retried on
conflicts, a batch that keeps conflicting or holds a failing ballot done again one ballot per
transaction, so votes going on at the same time are never refused), the message queue, the
expiry of personal data.  Idempotent: what is up to date is left alone.
"""
import sys
import time

from portal.catalog.due import run_due, tick  # noqa: F401  (tick: the same work in one transaction)
from portal.scheduler import Scheduler
from portal.scripts.transactions import application, ini_arguments


def main(argv=None):
    args, options = ini_arguments(__doc__.splitlines()[0], argv)
    env = application(args.config_uri, options)
    registry = env["registry"]
    try:
        scheduler = Scheduler(registry._zodb_databases[""], registry)
        started = time.perf_counter()
        reports = scheduler.step()
        seconds = time.perf_counter() - started
    finally:
        env["closer"]()
        registry._zodb_databases[""].close()     # give the storage back at once
    timers = reports.get("tick") or {"due": 0, "moved": 0, "transitions": 0, "failed": 0}
    print(f"{timers['transitions']} timed transitions fired ({timers['due']} due, {timers['moved']} moved, "
          f"{timers['failed']} left for the next run) in {scheduler.seconds.get('tick', 0):.1f} s; "
          f"every job in {seconds:.1f} s")
    for name, report in reports.items():
        if name != "tick":
            print(f"{name}: {report} in {scheduler.seconds.get(name, 0):.1f} s")
    return 1 if timers["failed"] or set(reports) != {name for name, _job in registry.periodic_jobs} else 0


if __name__ == "__main__":
    sys.exit(main())
