"""Trees read by key and written a few entries at a time, far apart (portal.trees): a write
stores a bucket of a few entries, concurrent writes to one bucket still merge, and the evolve
steps move stored trees into them with every entry."""
import random
import types

import pytest
import transaction
from ZODB.POSException import ReadConflictError
from BTrees.LOBTree import LOBTree
from BTrees.OOBTree import OOBTree
from ZODB import DB
from ZODB.FileStorage import FileStorage

from portal.catalog import scatter_catalog_facts
from portal.notify.setup import scatter_occurrences
from portal.trees import ScatteredLOBTree, ScatteredOOBTree, rebucketed
from tests.binding_load_helpers import two_connections


def buckets(tree):
    found, bucket = [], tree._firstbucket
    while bucket is not None:
        found.append(bucket)
        bucket = bucket._next
    return found


@pytest.mark.parametrize("kind, most, key", [
    (ScatteredOOBTree, 8, lambda n: f"{random.getrandbits(48):012x}"),
    (ScatteredLOBTree, 12, lambda n: random.getrandbits(62)),
])
def test_a_write_stores_a_bucket_of_a_few_entries(kind, most, key):
    tree = kind()
    for n in range(2000):
        tree[key(n)] = ("a record", n)
    sizes = [len(bucket) for bucket in buckets(tree)]
    assert len(tree) == 2000 and max(sizes) <= most
    assert max(len(bucket) for bucket in buckets(OOBTree(dict(tree.items())))) > most   # the default


@pytest.fixture
def filestorage(tmp_path):
    database = DB(FileStorage(str(tmp_path / "Data.fs")))
    yield database
    database.close()


def test_concurrent_writes_to_one_small_bucket_merge(filestorage):
    db = filestorage
    with db.transaction() as conn:
        conn.root()["tree"] = tree = ScatteredOOBTree()
        for n in range(0, 400, 4):
            tree[f"k{n:04d}"] = (n,)
    with two_connections(db) as (managers, connections):
        trees = [conn.root()["tree"] for conn in connections]
        bucket = next(b for b in buckets(trees[0]) if len(b) <= 6)
        first = bucket.minKey()
        trees[0][first + "a"] = ("one",)
        trees[1][first + "b"] = ("two",)
        managers[0].commit()
        managers[1].commit()                # no ConflictError: the bucket merges both
    with db.transaction() as conn:
        tree = conn.root()["tree"]
        assert tree[first + "a"] == ("one",) and tree[first + "b"] == ("two",) and len(tree) == 102


def test_rebucketed_keeps_every_entry_and_leaves_a_small_tree_as_it_is():
    old = OOBTree({f"{n:03d}": (n, "x") for n in range(500)})
    new = rebucketed(old, ScatteredOOBTree)
    assert type(new) is ScatteredOOBTree and dict(new.items()) == dict(old.items())
    assert rebucketed(new, ScatteredOOBTree) is new


def test_the_evolve_steps_move_the_stored_trees():
    occurrences = OOBTree({f"{n:012x}": ("/a/b/ballots/b1", "notice", "") for n in range(300)})
    facts = LOBTree({n * 7919: (("path", ("/", "/a")), ("type", "Ballot")) for n in range(300)})
    portal = types.SimpleNamespace(notifications=types.SimpleNamespace(occurrences=occurrences),
                                   catalog=types.SimpleNamespace(facts=facts))
    scatter_occurrences(portal)
    scatter_catalog_facts(portal)
    assert type(portal.notifications.occurrences) is ScatteredOOBTree
    assert dict(portal.notifications.occurrences.items()) == dict(occurrences.items())
    assert type(portal.catalog.facts) is ScatteredLOBTree and dict(portal.catalog.facts.items()) == dict(facts.items())
    empty = types.SimpleNamespace(notifications=None, catalog=types.SimpleNamespace(facts=None))
    scatter_occurrences(empty)
    scatter_catalog_facts(empty)            # before the steps that make them: nothing to move
    assert empty.catalog.facts is None


def test_a_new_portal_has_them(portal_in):
    with portal_in() as portal:
        assert type(portal.notifications.occurrences) is ScatteredOOBTree
        assert type(portal.catalog.facts) is ScatteredLOBTree and len(portal.catalog.facts) > 0
        assert max(len(bucket) for bucket in buckets(portal.catalog.facts)) <= 12


class SmallLeavesOnly(LOBTree):
    """Small buckets under the stock inner nodes (500 children): what the facts tree was."""
    max_leaf_size = 12


def split_beside_an_insert(db, kind):
    """In a tree of 3,000 entries, one transaction splits a full bucket while another adds a key
    to a bucket far from it; return how the second commit ends ("committed" or the error's name)."""
    rng = random.Random(5)
    with db.transaction() as conn:
        conn.root()["tree"] = tree = kind()
        for key in rng.sample(range(0, 3_000_000, 10), 3000):
            tree[key] = ("fact", key)
    with two_connections(db) as (managers, (first, second)):
        trees = first.root()["tree"], second.root()["tree"]
        full = [b for b in buckets(trees[0]) if len(b) == kind.max_leaf_size]
        spare = [b for b in buckets(trees[1]) if len(b) < kind.max_leaf_size - 1]
        trees[0][full[0].minKey() + 1] = ("splits", 0)                  # the bucket splits
        trees[1][spare[-1].minKey() + 1] = ("far away", 0)               # thousands of keys away
        managers[0].commit()
        try:
            managers[1].commit()
        except ReadConflictError as error:
            managers[1].abort()
            return type(error).__name__
    return "committed"


@pytest.mark.parametrize("kind", [ScatteredLOBTree, ScatteredOOBTree])
def test_a_split_does_not_fail_a_concurrent_insert_far_away(filestorage, kind):
    assert split_beside_an_insert(filestorage, kind) == "committed"


def test_under_stock_inner_nodes_the_same_split_fails_it(filestorage):
    assert split_beside_an_insert(filestorage, SmallLeavesOnly) == "ReadConflictError"
