"""``portal-notify <ini>``: send the notifications that are due, once (or ``--loop``: a worker).

It drains the queue (``portal.notify.drain``) on the bootstrap request's own transaction manager
(``request.tm``), each step one transaction retried on conflicts, so it runs beside the
application over ZEO or RelStorage.  It prints counts only: never an address or a text.
"""
import sys
import time

from portal import clock
from portal.notify import rules
from portal.notify.drain import LEASE_SECONDS, RATES, drain
from portal.scripts.transactions import application, ini_arguments


def rates(options):
    found = dict(RATES)
    for option in options or ():
        name, _eq, value = option.partition("=")
        if name not in found or not value:
            raise SystemExit(f"--rate takes wechat=N or sms=N, not {option!r}")
        found[name] = float(value)
    return found


def options(parser):
    parser.add_argument("--loop", action="store_true", help="keep draining (a worker process)")
    parser.add_argument("--interval", type=float, default=5.0, help="seconds between rounds with --loop")
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--lease", type=float, default=LEASE_SECONDS,
                        help="seconds after which a message still in flight is taken as a crash's")
    parser.add_argument("--rate", action="append", help="messages per second of a channel: wechat=100")


def main(argv=None):
    args, variables = ini_arguments(__doc__.splitlines()[0], argv, options)
    limits = {name: rules.RateLimit(rate) for name, rate in rates(args.rate).items()}
    with application(args.config_uri, variables) as env:
        request = env["request"]
        registry = request.registry
        with request.tm:
            portal = request.portal
        base_url = registry.settings.get("portal.public_url", request.application_url)
        while True:
            counts = drain(portal, clock.now(), registry.notify_channels, args.batch,
                           personal=registry.personal_data, base_url=base_url, limits=limits,
                           lease=args.lease, clock=clock.now)
            print(f"{counts['sent']} sent, {counts['accepted']} accepted, {counts['refused']} refused",
                  flush=True)
            if not args.loop:
                return 0
            time.sleep(args.interval)


if __name__ == "__main__":
    sys.exit(main())
