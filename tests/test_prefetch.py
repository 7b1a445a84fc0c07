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
