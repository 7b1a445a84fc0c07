"""The ballot box on a real FileStorage: votes of owners sharing a bucket merge, one owner's do not,
each change of a vote costs the same, and boxes of the old dict shape are converted."""
import datetime
import os

import pytest
import transaction
import ZODB
import ZODB.FileStorage
from BTrees.Length import Length
from BTrees.OOBTree import OOBTree
from ZODB.POSException import ConflictError

from portal.ballots.models import Electorate
from portal.register.rules import OwnerFacts, UnitFacts
from portal.voting import rules
from portal.voting.box import NOT_VOTED, BallotBox, VoteRefused
from portal.voting.setup import convert

NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.timezone.utc)
MATTERS = ({"id": "m1", "category": 1}, {"id": "m2", "category": 6})
AGREE = {"m1": "agree", "m2": "agree"}
OPPOSE = {"m1": "oppose", "m2": "abstain"}


def electorate(units=200):
    facts = [UnitFacts(key=f"u{i:04}", area=8000 + i, owners=(OwnerFacts(f"h{i:04}"),)) for i in range(units)]
    return Electorate(facts, False, NOW)


@pytest.fixture
def storage_db(tmp_path):
    db = ZODB.DB(ZODB.FileStorage.FileStorage(str(tmp_path / "Data.fs")))
    with db.transaction() as conn:
        conn.root()["box"] = BallotBox(electorate())
    yield db
    db.close()


def buckets(tree):
    bucket, found = tree._firstbucket, []
    while bucket is not None:
        found.append(list(bucket.keys()))
        bucket = bucket._next
    return found


def unit_of(box, key):
    return [u for u, k in box.owner_of_unit.items() if k == key][0]


def two_connections(db):
    managers = transaction.TransactionManager(), transaction.TransactionManager()
    conns = [db.open(tm) for tm in managers]
    boxes = [conn.root()["box"] for conn in conns]
    for box in boxes:                   # both read the same committed state before either writes
        len(box.votes), box.voted_owners()
    return managers, conns, boxes


def test_two_owners_sharing_a_bucket_vote_at_once_and_both_commit(storage_db):
    with storage_db.transaction() as conn:
        box = conn.root()["box"]
        shared = buckets(box.votes)[3]
        assert len(shared) >= 3 and len(buckets(box.votes)) > 1
        first, a, b = shared[0], shared[1], shared[2]
        box.cast("early", [unit_of(box, first)], MATTERS, AGREE, NOW)    # a record already in the bucket
        units = {key: unit_of(box, key) for key in (a, b)}
    (tm1, tm2), conns, (box1, box2) = two_connections(storage_db)
    box1.cast("uid-a", [units[a]], MATTERS, AGREE, NOW, retry_key="k1")
    box2.cast("uid-b", [units[b]], MATTERS, OPPOSE, NOW, retry_key="k2")
    tm1.commit()
    tm2.commit()                        # no ConflictError: the bucket, the retries and the counter merge
    for conn in conns:
        conn.close()
    with storage_db.transaction() as conn:
        box = conn.root()["box"]
        assert box.current(a)["matters"] == AGREE and box.current(b)["matters"] == OPPOSE
        assert box.current(first)["account"] == "early"
        assert box.voted_owners() == 3 == len(box.records())
        assert box.voted_area() == sum(box.areas[k] for k in (first, a, b))
        assert box.retries[a][0] != box.retries[b][0]


def test_the_same_owner_voting_twice_at_once_conflicts(storage_db):
    with storage_db.transaction() as conn:
        box = conn.root()["box"]
        key = buckets(box.votes)[2][4]
        unit = unit_of(box, key)
    (tm1, tm2), conns, (box1, box2) = two_connections(storage_db)
    box1.cast("uid", [unit], MATTERS, AGREE, NOW)
    box2.cast("uid", [unit], MATTERS, OPPOSE, NOW)
    tm1.commit()
    with pytest.raises(ConflictError):
        tm2.commit()
    tm2.abort()
    for conn in conns:
        conn.close()
    with storage_db.transaction() as conn:
        box = conn.root()["box"]
        assert box.current(key)["matters"] == AGREE and box.voted_owners() == 1
        with pytest.raises(VoteRefused) as refused:        # the retried request sees the first vote
            box.cast("uid", [unit], MATTERS, OPPOSE, NOW)
        assert refused.value.code == "already_voted"


def test_each_change_of_a_vote_grows_the_database_by_the_same(storage_db, tmp_path):
    path = str(tmp_path / "Data.fs")
    with storage_db.transaction() as conn:
        box = conn.root()["box"]
        key = buckets(box.votes)[5][3]
        unit = unit_of(box, key)
    growth, when = [], NOW
    step = rules.CHANGE_WINDOW / rules.MAX_CHANGES_PER_HOUR       # the fastest the rate limit allows
    receipts = []
    for n in range(201):
        before = os.path.getsize(path)
        with storage_db.transaction() as conn:
            cast = conn.root()["box"].cast("uid", [unit], MATTERS, AGREE if n % 2 else OPPOSE, when,
                                           allow_change=True)
            receipts.append(cast.receipt)
        growth.append(os.path.getsize(path) - before)
        when += step
    second, last = growth[2], growth[200]
    assert last <= 1.25 * second, (second, last)                   # the old shape: 3.3 MB for 200 changes
    assert sum(growth[1:]) < 200 * 1.25 * second
    print(f"Data.fs growth: change 2 {second} bytes, change 200 {last} bytes, 200 changes {sum(growth[1:])}")
    with storage_db.transaction() as conn:
        box = conn.root()["box"]
        assert len(box.history(key)) == 201 and box.voted_owners() == 1
        assert box.check_receipt([unit], receipts[0]) == {"matters": OPPOSE, "when": NOW, "current": False}
        assert box.check_receipt([unit], receipts[-1])["current"] is True


def test_changes_are_limited_per_owner_per_hour(storage_db):
    with storage_db.transaction() as conn:
        box = conn.root()["box"]
        unit = unit_of(box, buckets(box.votes)[1][1])
        box.cast("uid", [unit], MATTERS, AGREE, NOW, allow_change=True)
        for minute in range(1, rules.MAX_CHANGES_PER_HOUR + 1):
            box.cast("uid", [unit], MATTERS, OPPOSE, NOW + datetime.timedelta(minutes=minute), allow_change=True)
        with pytest.raises(VoteRefused) as refused:
            box.cast("uid", [unit], MATTERS, AGREE, NOW + datetime.timedelta(minutes=30), allow_change=True)
        assert refused.value.code == "too_many_changes"
        assert len(box.history(box.owner_of_unit[unit])) == rules.MAX_CHANGES_PER_HOUR + 1
        # an hour after the first change, one more is allowed again
        box.cast("uid", [unit], MATTERS, AGREE, NOW + datetime.timedelta(minutes=61), allow_change=True)
        assert box.current(box.owner_of_unit[unit])["matters"] == AGREE


def test_an_idempotency_key_with_other_choices_is_refused_and_records_nothing(storage_db):
    with storage_db.transaction() as conn:
        box = conn.root()["box"]
        key = buckets(box.votes)[0][0]
        unit = unit_of(box, key)
        first = box.cast("uid", [unit], MATTERS, AGREE, NOW, allow_change=True, retry_key="same")
        again = box.cast("uid", [unit], MATTERS, AGREE, NOW, allow_change=True, retry_key="same")
        assert again.receipt == first.receipt and again.replaced == {}
        with pytest.raises(VoteRefused) as refused:
            box.cast("uid", [unit], MATTERS, OPPOSE, NOW, allow_change=True, retry_key="same")
        assert refused.value.code == "key_reused"
        assert box.current(key)["matters"] == AGREE and len(box.history(key)) == 1
        other = box.cast("another", [unit], MATTERS, OPPOSE, NOW, allow_change=True, retry_key="same")
        assert other.receipt != first.receipt                    # the key is the account's, not shared


def test_a_box_of_the_old_dict_shape_is_converted_and_reads_the_same(storage_db):
    with storage_db.transaction() as conn:
        box = conn.root()["box"]
        keys = list(box.areas.keys())[:3]
        units = [unit_of(box, k) for k in keys]
        old = {"matters": {"m2": "agree", "m1": "agree"}, "when": NOW, "account": "a", "receipt": "h0",
               "channel": "electronic"}
        box.votes = OOBTree({k: None for k in box.areas.keys()})
        box.votes[keys[0]] = dict(old, earlier=())
        box.votes[keys[1]] = dict(old, matters={"m1": "oppose", "m2": "oppose"}, receipt="h2",
                                  earlier=(dict(old, receipt="h1"),))
        box.retries = OOBTree({"a:k": {"receipt": "AAAA-BBBB-CCCC", "owners": (keys[0],)}})
        box.voted_owners, box.voted_area = Length(2), Length(box.areas[keys[0]] + box.areas[keys[1]])
        del box.counter, box.earlier, box.totals
        assert convert(box, electorate().totals) is True
        assert convert(box, electorate().totals) is False           # once only
        assert box.votes[keys[2]] == NOT_VOTED
        assert box.current(keys[0])["matters"] == {"m1": "agree", "m2": "agree"}
        assert [r[3] for r in box.history(keys[1])] == ["h1", "h2"]
        assert box.voted_owners() == 2 and box.totals == (200, sum(8000 + i for i in range(200)))
        again = box.cast("a", [units[0]], MATTERS, OPPOSE, NOW, retry_key="k")     # the stored answer
        assert again.receipt == "AAAA-BBBB-CCCC"
        box.cast("c", [units[2]], MATTERS, AGREE, NOW)
        assert box.voted_owners() == 3


def test_the_evolve_step_converts_the_boxes_of_an_older_database(db):
    from portal import evolve
    from portal.bootstrap import ROOT_KEY

    with db.transaction() as conn:
        portal = conn.root()[ROOT_KEY]
        ballot = portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"]
        box = ballot.box
        key = next(iter(box.areas.keys()))
        box.votes = OOBTree({k: None for k in box.areas.keys()})
        box.votes[key] = {"matters": {"m1": "agree", "m2": "oppose", "m3": "abstain"}, "when": NOW,
                          "account": "a", "receipt": "f" * 64, "channel": "paper", "earlier": ()}
        box.retries = OOBTree()
        box.voted_owners, box.voted_area = Length(1), Length(box.areas[key])
        del box.counter, box.earlier, box.totals
        del portal.evolved["0008-merging-ballot-boxes"]
    assert evolve.run_pending(db) == ["0008-merging-ballot-boxes"]
    with db.transaction() as conn:
        ballot = conn.root()[ROOT_KEY]["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"]
        box = ballot.box
        assert box.current(key) == {"matters": {"m1": "agree", "m2": "oppose", "m3": "abstain"}, "when": NOW,
                                    "account": "a", "receipt": "f" * 32, "channel": "paper", "seq": 0}
        assert box.voted_owners() == 1 and box.totals == (ballot.electorate.totals.owners,
                                                          ballot.electorate.totals.area)
        assert all(box.votes[k] == NOT_VOTED for k in box.areas.keys() if k != key)


def resolutions_while(commit, monkeypatch):
    """How many times committing had to merge a counter from the stored states."""
    from portal.voting.box import Counter

    merged = []
    original = Counter._p_resolveConflict

    def counted(self, old, committed, new):
        merged.append(1)
        return original(self, old, committed, new)

    monkeypatch.setattr(Counter, "_p_resolveConflict", counted)
    commit()
    return len(merged)


def owners_by_counter(box):
    """{index of the counter: [owner keys whose votes it counts]}"""
    found = {}
    for key in box.areas.keys():
        found.setdefault(box.counters().index(box.counter_for(key)), []).append(key)
    return found


@pytest.mark.parametrize("same_counter", [False, True])
def test_votes_at_once_meet_on_a_counter_only_when_their_owners_share_it(storage_db, monkeypatch, same_counter):
    with storage_db.transaction() as conn:
        box = conn.root()["box"]
        spread = owners_by_counter(box)
        a, b = spread[0][:2] if same_counter else (spread[0][0], spread[1][0])
        units = {key: unit_of(box, key) for key in (a, b)}
    (tm1, tm2), conns, (box1, box2) = two_connections(storage_db)
    box1.cast("uid-a", [units[a]], MATTERS, AGREE, NOW)
    box2.cast("uid-b", [units[b]], MATTERS, OPPOSE, NOW)
    tm1.commit()
    assert resolutions_while(tm2.commit, monkeypatch) == (1 if same_counter else 0)
    for conn in conns:
        conn.close()
    with storage_db.transaction() as conn:
        box = conn.root()["box"]
        assert box.voted_owners() == 2 and box.voted_area() == box.areas[a] + box.areas[b]


def test_a_new_box_spreads_its_owners_over_the_counters_and_sums_them(storage_db):
    from portal.voting.box import COUNTERS

    with storage_db.transaction() as conn:
        box = conn.root()["box"]
        spread = owners_by_counter(box)
        assert len(box.counters()) == COUNTERS == len(spread) and min(len(keys) for keys in spread.values()) >= 10
        for n, key in enumerate(list(box.areas.keys())[:40]):
            assert box.counter_for(key) is box.counter_for(key)
            box.cast(f"uid{n}", [unit_of(box, key)], MATTERS, AGREE, NOW)
        voted = list(box.areas.keys())[:40]
        assert box.voted_owners() == 40 == len(box.records())
        assert box.voted_area() == sum(box.areas[k] for k in voted)
        assert sum(1 for c in box.counters() if c.owners) > 1


def test_a_box_with_one_counter_counts_in_it(storage_db):
    with storage_db.transaction() as conn:
        box = conn.root()["box"]
        del box.more_counters                               # as stored before the counters were spread
        keys = list(box.areas.keys())
        for n, key in enumerate(keys[:5]):
            box.cast(f"uid{n}", [unit_of(box, key)], MATTERS, AGREE, NOW)
        assert box.counters() == (box.counter,) and box.counter.owners == 5 == box.voted_owners()


def test_the_evolve_step_gives_a_box_with_one_counter_the_others_and_keeps_the_sums(db):
    from portal import evolve
    from portal.bootstrap import ROOT_KEY
    from portal.voting.box import COUNTERS, Counter

    with db.transaction() as conn:
        portal = conn.root()[ROOT_KEY]
        box = portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"].box
        owners, area = 3, 24000
        box.counter = Counter(owners, area)                 # as stored before the counters were spread
        del box.more_counters
        del portal.evolved["0046-vote-counters-spread"]
    assert evolve.run_pending(db) == ["0046-vote-counters-spread"]
    with db.transaction() as conn:
        box = conn.root()[ROOT_KEY]["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"].box
        assert len(box.counters()) == COUNTERS and (box.voted_owners(), box.voted_area()) == (owners, area)
        assert box.counter.owners == owners and not any(c.owners for c in box.more_counters)
