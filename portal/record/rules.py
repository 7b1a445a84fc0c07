"""The vote record of a ballot, and its recomputation (no Pyramid).

One line per owner group that voted: a pseudonymous vote id derived from its receipt, the area,
the channel and the marks; never a room or a name.  The vote id is the first 16 hex digits of
SHA-256 over "vote-id:" and the receipt's stored hash (itself SHA-256 of "receipt:" and the code),
so an owner finds their own line from their receipt code, and nobody can go from a line back to
a receipt or a room.  ``recompute`` gives every figure of the results from a record alone.
"""
import hashlib
import json

from portal.register.rules import format_area


def hundredths(text):
    """"12960.12" (an area as the record writes it) -> 1296012; ValueError for anything else."""
    whole, dot, frac = str(text).partition(".")
    if not whole.isdigit() or not dot or len(frac) != 2 or not frac.isdigit():
        raise ValueError(f"not an area in m² with two decimals: {text!r}")
    return int(whole) * 100 + int(frac)


def vote_id(receipt_digest):
    return hashlib.sha256(("vote-id:" + receipt_digest).encode()).hexdigest()[:16]


def vote_id_of_code(code):
    """An owner's own vote id from their receipt code (spaces, dashes and case do not matter)."""
    from portal.voting.box import receipt_hash

    return vote_id(receipt_hash("".join(code.split())))


def matter_outline(matter):
    outline = {k: matter[k] for k in ("id", "title", "category") if k in matter}
    outline["kind"] = matter.get("kind") or "question"
    if "seats" in matter:
        outline.update(seats=matter["seats"], alternates=matter.get("alternates", 0),
                       candidates=[{"id": c["id"], "name": c["name"]} for c in matter["candidates"]])
    if "options" in matter:
        outline["options"] = [{"id": o["id"], "title": o["title"]} for o in matter["options"]]
    return outline


def record(matters, box, ranking):
    """The record as JSON-ready data, lines sorted by vote id (no order of voting shows)."""
    from portal.voting.box import CHANNEL, MATTERS, RECEIPT

    lines = [{"vote_id": vote_id(rec[RECEIPT]), "area": format_area(box.areas[key]), "channel": rec[CHANNEL],
              "marks": json.loads(rec[MATTERS])} for key, rec in box.votes.items() if rec]
    owners, area = box.totals
    return {"total_owners": owners, "total_area": format_area(area), "election_ranking": ranking,
            "matters": [matter_outline(m) for m in matters], "votes": sorted(lines, key=lambda v: v["vote_id"])}


def recompute(data):
    """The results (tally, as JSON) from a record alone: voters by vote id with their areas, and the
    owners who did not vote standing in for the rest of the totals (they take part in nothing)."""
    from portal.voting import tally, verdicts

    owners = {line["vote_id"]: hundredths(line["area"]) for line in data["votes"]}
    votes = {line["vote_id"]: line["marks"] for line in data["votes"]}
    silent = data["total_owners"] - len(owners)
    rest = hundredths(data["total_area"]) - sum(owners.values())
    for n in range(silent):
        owners[f"~not-voted-{n}"] = rest if n == 0 else 0
    results = tally.tally(data["matters"], (), False, votes, data.get("election_ranking", "owners_first"),
                          owners=owners)
    return [verdicts.as_json(r) for r in results]
