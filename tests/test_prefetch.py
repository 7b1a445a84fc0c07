"""Resolving a batch of paths level by level (``catalog.prefetch``): the same objects as one
path at a time, each level asked for in one burst and nothing asked for twice."""
from portal.catalog import prefetch
from portal.catalog.indexing import resolve

PATHS = ["/tianhe/shipai/mingyuan/ballots/b2", "/tianhe/shipai/mingyuan/ballots/b1",
         "/tianhe/shipai/mingyuan", "/tianhe/shipai/nowhere/ballots/b1", "/yuexiu", "/tianhe/shipai/mingyuan/x/y"]


def test_it_finds_what_resolve_finds_asking_level_by_level(db):
    conn = db.open()
    try:
        conn.cacheMinimize()                        # every object a ghost again
        asked = []
        conn.prefetch = lambda *objects: asked.append(objects)
        root = conn.root()["portal"]
        found = prefetch.resolve_many(root, PATHS)
        assert found == {path: resolve(root, path) for path in PATHS}
        assert found["/tianhe/shipai/nowhere/ballots/b1"] is None and found["/tianhe/shipai/mingyuan/x/y"] is None
        assert found["/tianhe/shipai/mingyuan/ballots/b2"].__name__ == "b2"
        flat = [obj for burst in asked for obj in burst]
        assert len(flat) == len({id(obj) for obj in flat})      # nothing asked for twice
        assert len(asked) >= 5                      # a burst per level (and for the found objects' parts)
        assert any(len(burst) > 1 for burst in asked)
    finally:
        conn.close()


def test_only_ghosts_are_asked_for(db):
    conn = db.open()
    try:
        root = conn.root()["portal"]
        community = root["tianhe"]["shipai"]["mingyuan"]
        community.title                             # loaded
        assert prefetch.ghosts([community, None, "text"]) == []
        conn.cacheMinimize()
        assert prefetch.ghosts([community]) == [community]
    finally:
        conn.close()


def test_the_drain_asks_for_what_deciding_a_ballots_messages_reads(db):
    from portal.notify.drain import ask_for_ballots

    conn = db.open()
    try:
        root = conn.root()["portal"]
        paths = sorted(prefetch_paths(root))
        assert paths
        conn.cacheMinimize()
        asked = []
        conn.prefetch = lambda *objects: asked.append(objects)
        found = ask_for_ballots(root, paths + ["/tianhe/shipai/nowhere/ballots/b1"])
        assert found == {path: resolve(root, path) for path in paths + ["/tianhe/shipai/nowhere/ballots/b1"]}
        flat = [obj._p_oid for burst in asked for obj in burst]
        assert len(flat) == len(set(flat))                  # nothing asked for twice
        for path in paths:
            ballot = found[path]
            register = ballot.community["register"]
            read = [ballot, ballot.electorate, ballot.electorate.frozen, ballot.box, ballot.box.votes, register,
                    register.units, register.bindings, register.bindings._tree]
            assert {obj._p_oid for obj in read} <= set(flat), path
    finally:
        conn.close()


def prefetch_paths(root):
    """The paths of the demo's ballots whose electorate is frozen."""
    from pyramid.traversal import resource_path

    from portal.catalog import query

    return [resource_path(ballot) for ballot in query.objects(root, type_name="Ballot")
            if ballot.electorate is not None and ballot.box is not None]
