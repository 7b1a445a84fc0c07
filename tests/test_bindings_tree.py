"""``register.bindings``: a mapping of the bound identities over a tree seeded with every identity,
so that binds change values in place and concurrent binds in one bucket merge."""
import datetime

import pytest
import transaction
import ZODB
from ZODB.FileStorage import FileStorage
from ZODB.POSException import ConflictError

from portal.register.bindings import UNBOUND, Bindings
from portal.register.records import Binding

NOW = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.timezone.utc)


def record(uid, method="code"):
    return Binding.make(uid=uid, when=NOW, method=method)


def hashes(count):
    return [f"{n:064x}" for n in range(count)]


def test_only_bound_identities_are_seen():
    bindings = Bindings()
    bindings.seed(hashes(5))
    first, second = hashes(2)
    assert len(bindings) == 0 and list(bindings) == [] and first not in bindings
    assert bindings.get(first) is None and bindings.get(first, "none") == "none"
    with pytest.raises(KeyError):
        bindings[first]
    with pytest.raises(KeyError):
        del bindings[first]
    bindings[first] = record("a")
    bindings[first] = record("a", "face")          # a rebind by the same account counts once
    bindings[second] = record("b")
    assert len(bindings) == 2 and first in bindings and bindings[first]["method"] == "face"
    assert dict(bindings.items()) == {first: record("a", "face"), second: record("b")}
    assert list(bindings.keys()) == [first, second] and list(bindings.values())[1]["uid"] == "b"
    del bindings[first]
    assert len(bindings) == 1 and first not in bindings and list(bindings) == [second]
    assert bindings._tree[first] == UNBOUND                # the key stays: the bucket keeps its shape
    with pytest.raises(ValueError):
        bindings[first] = UNBOUND


def test_seeding_adds_new_identities_drops_unbound_gone_ones_and_keeps_bindings():
    bindings = Bindings({"gone-but-bound": record("a")})
    bindings.seed(["x", "y", "gone"])
    bindings.seed(["x", "z"])
    assert sorted(bindings._tree.keys()) == ["gone-but-bound", "x", "z"]
    assert list(bindings) == ["gone-but-bound"] and len(bindings) == 1


def test_unbound_and_bound_values_order_both_ways():
    """A bucket's merge compares each key's old, committed and new value with ``<`` and ``==``."""
    bound = record("a")
    assert UNBOUND < bound and bound > UNBOUND and not UNBOUND < UNBOUND and UNBOUND == ()
    assert not bound < UNBOUND and bound != UNBOUND


def test_concurrent_binds_in_one_bucket_merge_and_write_no_tree_node(tmp_path):
    storage = FileStorage(str(tmp_path / "Data.fs"))
    db = ZODB.DB(storage)
    keys = hashes(300)                              # ten buckets and more; keys 0 to 10 share the first
    try:
        with db.transaction() as conn:
            bindings = conn.root()["bindings"] = Bindings()
            bindings.seed(keys)
        managers = [transaction.TransactionManager() for _ in range(3)]
        connections = [db.open(m) for m in managers]
        for n, (m, c) in enumerate(zip(managers, connections)):
            m.begin()
            c.root()["bindings"][keys[n * 5]] = record(f"uid{n}")
        stores = []
        for m, c in zip(managers, connections):
            c.getTransferCounts(clear=True)
            m.commit()
            stores.append(c.getTransferCounts()[1])
        assert stores == [2, 2, 2]                  # the bucket and the Length: no tree node, no split
        for c in connections:
            c.close()
        with db.transaction() as conn:
            merged = conn.root()["bindings"]
            assert merged._tree._firstbucket._next is not None     # a tree of buckets, not one inline
            assert len(merged) == 3
            assert {k: r["uid"] for k, r in merged.items()} == {keys[0]: "uid0", keys[5]: "uid1", keys[10]: "uid2"}
        # Two transactions binding the same identity still conflict: one must see the other.
        managers = [transaction.TransactionManager() for _ in range(2)]
        connections = [db.open(m) for m in managers]
        for n, (m, c) in enumerate(zip(managers, connections)):
            m.begin()
            c.root()["bindings"][keys[1]] = record(f"other{n}")
        managers[0].commit()
        with pytest.raises(ConflictError):
            managers[1].commit()
        managers[1].abort()
        for c in connections:
            c.close()
    finally:
        db.close()
