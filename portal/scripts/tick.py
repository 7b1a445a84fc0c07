"""``portal-tick <ini>``: fire every due timed transition (run it from cron every minute).

Idempotent: a ballot that is up to date is left alone, and a ballot read between two runs has
already been brought up to date by the request that read it.
"""
import argparse
import sys

from pyramid.paster import bootstrap, setup_logging

from portal import clock
from portal.ballots import lifecycle
from portal.content.folder import communities_under


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
    setup_logging(args.config_uri)
    with bootstrap(args.config_uri) as env:
        request = env["request"]
        with request.tm:
            portal = request.portal
            offset = getattr(portal, "clock_offset", None)
            if offset and request.registry.settings.get("portal.clock_override", "").lower() == "true":
                import datetime

                clock.set_offset(datetime.timedelta(seconds=offset))
            moved = tick(portal, clock.now())
            request.tm.get().note(f"portal-tick: {moved} transitions")
    print(f"{moved} timed transitions fired")
    return 0


if __name__ == "__main__":
    sys.exit(main())
