"""What ``bench.bench_vote`` checks beside the rates: the votes acknowledged before SIGKILL found in
the reopened storages, and the tally's time over a large community."""
import time

CHOICES = {"m1": "agree", "m2": "oppose", "m3": "abstain"}     # a vote on the question-only ballot
COMMUNITY = ("tianhe", "shipai", "qiaoyuan")                     # where the bench's ballots are


def lost_portal(db_uri_path, acknowledged, tokens_owner, title="bench"):
    """Acknowledged votes missing from the reopened portal storage (in the ballot ``title``)."""
    import ZODB
    import ZODB.FileStorage

    from portal.bootstrap import ROOT_KEY

    db = ZODB.DB(ZODB.FileStorage.FileStorage(db_uri_path, read_only=True))
    try:
        with db.transaction() as conn:
            portal = conn.root()[ROOT_KEY]
            ballots = portal[COMMUNITY[0]][COMMUNITY[1]][COMMUNITY[2]]["ballots"]
            box = [b for b in ballots.values() if b.title == title][0].box
            accounts = {record["account"] for _key, record in box.records()}
            logins = {portal.accounts.get(uid).login for uid in accounts}
            stored_ok = box.voted_owners() == len(box.records())
    finally:
        db.close()
    return sum(1 for i in acknowledged if tokens_owner(i) not in logins), stored_ok


def lost_bare(path, acknowledged):
    import ZODB
    import ZODB.FileStorage

    db = ZODB.DB(ZODB.FileStorage.FileStorage(path, read_only=True))
    try:
        with db.transaction() as conn:
            votes, count = conn.root()["votes"], conn.root()["count"]()
            stored = {k for k, v in votes.items() if v}
    finally:
        db.close()
    return sum(1 for i in acknowledged if f"v{i}" not in stored), count == len(stored)


def tally_time(units=10_000):
    """Seconds for the tally of three matters over a community of ``units`` units, 70% voted."""
    from portal.register.rules import OwnerFacts, UnitFacts
    from portal.voting import tally

    facts = [UnitFacts(key=f"u{i}", area=8000 + i % 5000, owners=(OwnerFacts(f"h{i % 9000}", "n"),))
             for i in range(units)]
    owners = tally.owners_of(facts, False)
    votes = {key: dict(CHOICES) for n, key in enumerate(owners) if n % 10 < 7}
    matters = [{"id": m, "category": c} for m, c in (("m1", 1), ("m2", 4), ("m3", 6))]
    started = time.perf_counter()
    tally.tally(matters, facts, False, votes)
    return time.perf_counter() - started, len(owners), len(votes)
