"""``portal-reindex <ini>``: empty the catalog and rebuild it from a walk of the tree.

For after a restore, or if the catalog is ever suspected of disagreeing with the tree.  Commits
every ``--every`` communities, so memory stays flat however large the city (lists read from the
catalog are incomplete until it finishes: run it while the portal is closed to the public).
"""
import sys
import time

from pyramid_zodbconn import get_connection

from portal.bootstrap import ROOT_KEY
from portal.catalog.rebuild import rebuild
from portal.scripts.transactions import application, ini_arguments


def reindex(conn, every):
    """Rebuild on ``conn`` through its transaction manager; the number of objects indexed."""
    tm = conn.transaction_manager

    def checkpoint():
        tm.get().note("portal-reindex: a batch")
        tm.commit()
        conn.cacheMinimize()
        tm.begin()

    tm.begin()
    try:
        count = rebuild(conn.root()[ROOT_KEY], checkpoint, every)
        tm.get().note(f"portal-reindex: {count} objects")
        tm.commit()
    except BaseException:
        tm.abort()
        raise
    return count


def main(argv=None):
    args, variables = ini_arguments(__doc__.splitlines()[0], argv, lambda parser: parser.add_argument(
        "--every", type=int, default=100, help="communities per commit"))
    env = application(args.config_uri, variables)
    started = time.perf_counter()
    try:
        count = reindex(get_connection(env["request"]), args.every)     # on request.tm
    finally:
        env["closer"]()
        env["registry"]._zodb_databases[""].close()     # give the storage back at once
    print(f"{count} objects indexed in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
