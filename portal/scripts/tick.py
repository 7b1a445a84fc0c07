"""``portal-tick <ini>``: fire every due timed transition (run it from cron every minute).

Idempotent: a ballot that is up to date is left alone, and a ballot read between two runs has
already been brought up to date by the request that read it.
"""
import argparse
import sys

from portal import clock
from portal.ballots import lifecycle
from portal.content.folder import communities_under
from portal.scripts import transactions


def tick(portal, now):
    moved = 0
    for community in communities_under(portal):
        for ballot in community["ballots"].values():
            moved += len(lifecycle.catch_up(ballot, now))
    return moved


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("config_uri")
    args = parser.parse_args(argv)
    with transactions.opened(args.config_uri) as (registry, db):
        moved = transactions.in_transaction(db, lambda portal: tick_now(portal, registry.settings),
                                            note=lambda moved: f"portal-tick: {moved} transitions")
    print(f"{moved} timed transitions fired")
    return 0


def tick_now(portal, settings):
    offset = getattr(portal, "clock_offset", None)
    if offset and settings.get("portal.clock_override", "").lower() == "true":
        import datetime

        clock.set_offset(datetime.timedelta(seconds=offset))
    return tick(portal, clock.now())


if __name__ == "__main__":
    sys.exit(main())
