"""``portal-recompute RECORD.json [RESULTS.json]``: recompute a ballot's results from its vote
record (``<ballot>/@record``, as downloaded) and, given the published results
(``<ballot>/@results`` as JSON), say whether every figure and verdict equals them.  Exits 0 when
they do (or when only the record is given), 1 when they differ, 2 when a file cannot be read."""
import argparse
import json
import sys

from portal.record.rules import recompute


def differences(mine, published):
    """[(matter id, field)] where the recomputed and the published results differ."""
    found = []
    theirs = {r["id"]: r for r in published}
    for result in mine:
        other = theirs.get(result["id"])
        if other is None:
            found.append((result["id"], "missing"))
            continue
        for name, value in result.items():
            if name in other and other[name] != value:
                found.append((result["id"], name))
    return found


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("record")
    parser.add_argument("results", nargs="?")
    args = parser.parse_args(argv)
    try:
        with open(args.record, encoding="utf-8") as source:
            mine = recompute(json.load(source))
        published = None
        if args.results:
            with open(args.results, encoding="utf-8") as source:
                published = json.load(source)
            published = published.get("matters", published) if isinstance(published, dict) else published
    except (OSError, ValueError, KeyError, TypeError) as exc:
        print(f"cannot read: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(mine, ensure_ascii=False, indent=1))
    if published is None:
        return 0
    found = differences(mine, published)
    if found:
        print("DIFFERENT from the published results: " + ", ".join(f"{m}.{f}" for m, f in found))
        return 1
    print("equal to the published results")
    return 0


if __name__ == "__main__":
    sys.exit(main())
