"""Reading many objects of the tree at once over a storage in another process (ZEO, RelStorage).

Each object a transaction first touches is one round trip to the storage server; a timed
transition of a ballot found in the catalog reads its street, community, ballots folder, the
ballot and their child trees, one after the other.  ``resolve_many`` walks a batch of paths level
by level and asks for each level's objects together (``Connection.prefetch``, which ZEO sends as
one burst of requests and later reads wait for), so a batch of 100 ballots costs a few round trips
per level instead of 100.  On a FileStorage in the same process prefetching does nothing.
"""


def ghosts(objects):
    """The persistent objects among ``objects`` whose state is not loaded yet, each once."""
    found = {}
    for obj in objects:
        if getattr(obj, "_p_jar", None) is not None and obj._p_changed is None:
            found.setdefault(id(obj), obj)
    return list(found.values())


def ask(conn, objects):
    """Start loading ``objects`` (those still ghosts) in one burst."""
    found = ghosts(objects)
    if found:
        conn.prefetch(*found)


def resolve_many(root, paths):
    """{path: the object at ``path`` or None}, as ``indexing.resolve`` finds each one, the found
    objects themselves asked for too.  (Asking for their parts as well, a ballot's electorate
    and box, was measured: it loaded more than a transition reads and took longer.)"""
    conn = root._p_jar
    names = {path: [n for n in path.split("/") if n] for path in paths}
    nodes = dict.fromkeys(paths, root)
    for level in range(max((len(parts) for parts in names.values()), default=0)):
        walking = [p for p in paths if nodes[p] is not None and level < len(names[p])]
        ask(conn, (nodes[p] for p in walking))
        ask(conn, (tree for p in walking for tree in lookup_objects(nodes[p])))
        for path in walking:
            getter = getattr(nodes[path], "get", None)
            nodes[path] = getter(names[path][level]) if getter is not None else None
    ask(conn, nodes.values())
    return nodes


def lookup_objects(node):
    """The persistent objects ``node.get`` reads (a folder's tree of children), if it says."""
    says = getattr(node, "lookup_objects", None)
    return says() if says is not None else ()
