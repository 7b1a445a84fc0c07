"""``portal-generate-city <ini> [--communities N] [--units M]``: a synthetic city for scale tests.

Adds N communities (default 3,000, like Guangzhou) of about M units each (default 1,000) under
synthetic streets of the eleven districts, each with a register imported through the same
importer staff use (ID numbers validated, owners encrypted).  Commits every community (run again
on a conflict, as a request is), so memory stays flat however large the city.  Everything is
fictional; the same seed gives the same city.
"""
import argparse
import sys
import time

from portal import clock
from portal.content.models import Community, District, Street
from portal.demo import DISTRICTS
from portal.register import importer, services
from portal.register.generator import as_csv, community_rows
from portal.scripts import transactions

STREETS_PER_DISTRICT = 10


def generate(portal, personal, communities, units, seed=1, progress=None):
    """Add the synthetic communities, one transaction each (of the manager ``portal``'s connection
    is joined to, run again on a conflict); return how many units were created."""
    manager = portal._p_jar.transaction_manager
    now = clock.now()
    transactions.attempt(manager, lambda: add_districts(portal), note="generate-city: districts")
    created = 0
    for n in range(communities):
        created += transactions.attempt(manager, lambda: add_community(portal, personal, n, units, seed, now),
                                        note=f"generate-city: gen-c{n}")
        portal._p_jar.cacheMinimize()
        if progress and (n + 1) % progress == 0:
            print(f"{n + 1} communities, {created} units", flush=True)
    return created


def add_districts(portal):
    for slug, title, code, _streets in DISTRICTS:
        if slug not in portal:
            portal.add(slug, District(title, code=code))


def add_community(portal, personal, n, units, seed, now):
    """The ``n``th synthetic community and its register; the units created (0 if it exists)."""
    slug, _title, _code, _streets = DISTRICTS[n % len(DISTRICTS)]
    district = portal[slug]
    street_slug = f"gen-s{(n // len(DISTRICTS)) % STREETS_PER_DISTRICT}"
    street = district.get(street_slug) or district.add(street_slug, Street(f"合成街道{street_slug[5:]}"))
    name = f"gen-c{n}"
    if name in street:
        return 0
    community = street.add(name, Community(f"合成小区{n}", address=f"合成路{n}号"))
    rows = community_rows(units, seed=seed + n, buildings=max(1, units // 120), parking=units // 50)
    prepared = importer.prepare("city.csv", as_csv(rows), personal, now.date())
    importer.apply(community["register"], prepared.units)
    services.refresh(community["register"], now)
    return len(prepared.units)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("config_uri")
    parser.add_argument("--communities", type=int, default=3000)
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    with transactions.opened(args.config_uri) as (registry, db), transactions.connection(db) as (manager, root):
        portal = transactions.attempt(manager, root)        # read in a transaction, as every read is
        created = generate(portal, registry.personal_data, args.communities, args.units, args.seed,
                           progress=50)
    print(f"{args.communities} communities, {created} units in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
