"""Keeping the catalog current: what changed in a transaction is indexed once, just before it
commits (a ballot's notice date is set after its StateChanged is sent, and one request may send
several events for one object).  Queries flush first, so a transaction reads its own changes.

A removal unindexes at once, through the path index, everything at or below the removed node.
"""
from transaction.interfaces import NoTransaction

from portal.catalog import facts

_QUEUE = object()       # the key of a transaction's pending changes (transaction.data)


def catalog_of(portal):
    return getattr(portal, "catalog", None)


def resolve(portal, path):
    """The object at ``path`` (from the path map), or None when it is gone."""
    node = portal
    for name in path.split("/"):
        if not name:
            continue
        getter = getattr(node, "get", None)
        node = getter(name) if getter is not None else None
        if node is None:
            return None
    return node


def docids_under(catalog, path):
    return catalog["path"].eq(path).execute().all(resolve=False)


def index(catalog, obj):
    """Index (or reindex) ``obj``; it must be in the tree."""
    docid = catalog.documents.add(facts.path_of(obj))
    reindex(catalog, docid, obj)
    return docid


def record_of(catalog, obj):
    """((index name, value), ...): what each index of ``catalog`` holds for ``obj`` (None where
    it leaves the object out), comparable with what was recorded before."""
    found = []
    for name, index in sorted(catalog.items()):
        value = index.discriminate(obj, None)
        if isinstance(value, (set, frozenset)):
            value = tuple(sorted(value))
        elif isinstance(value, list):
            value = tuple(value)
        found.append((name, value))
    return tuple(found)


def reindex(catalog, docid, obj):
    """Bring the indexes of ``docid`` up to ``obj``: only those whose value changed since the
    values recorded last (a timed transition changes the state, the phase and the next timer, and
    leaves the other indexes, and the trees behind them, unread and unwritten)."""
    known = catalog.facts
    if known is None:                       # before evolve 0040
        catalog.reindex_doc(docid, obj)
        return
    record = record_of(catalog, obj)
    before = known.get(docid)
    if before == record:
        return
    earlier = dict(before) if before is not None else {}
    for name, value in record:
        if before is None or name not in earlier or earlier[name] != value:
            catalog[name].reindex_doc(docid, obj)
    known[docid] = record


def unindex_docid(catalog, docid):
    catalog.unindex_doc(docid)
    catalog.documents.remove(docid)
    if catalog.facts is not None:
        catalog.facts.pop(docid, None)


def unindex_under(catalog, path):
    """Forget everything at or below ``path``."""
    for docid in list(docids_under(catalog, path)):
        unindex_docid(catalog, docid)


def reindex_under(portal, path):
    """Reindex everything catalogued at or below ``path`` (found through the path index)."""
    catalog = catalog_of(portal)
    for docid in list(docids_under(catalog, path)):
        refresh(portal, catalog, docid)


def refresh(portal, catalog, docid):
    obj = resolve(portal, catalog.documents.path_of[docid])
    if obj is None or not facts.catalogued(obj):
        unindex_docid(catalog, docid)
    else:
        reindex(catalog, docid, obj)


def reindex_workflow(portal, workflow_id):
    """Reindex every object following ``workflow_id`` (its definition was edited)."""
    catalog = catalog_of(portal)
    for docid in list(catalog["workflow"].eq(workflow_id).execute().all(resolve=False)):
        refresh(portal, catalog, docid)


class Pending:
    """The objects and subtrees of one transaction still to be indexed."""

    def __init__(self, portal):
        self.portal = portal
        self.objects = {}       # id(obj) -> obj
        self.subtrees = set()   # paths whose catalogued objects are reindexed

    def flush(self):
        catalog = catalog_of(self.portal)
        objects, subtrees = list(self.objects.values()), sorted(self.subtrees)
        self.objects, self.subtrees = {}, set()
        for path in subtrees:
            reindex_under(self.portal, path)
        for obj in objects:
            if in_tree(self.portal, obj):
                index(catalog, obj)


def in_tree(portal, obj):
    node = obj
    while getattr(node, "__parent__", None) is not None:
        node = node.__parent__
    return node is portal


def pending(portal):
    """This transaction's Pending (made, with its before-commit hook, on first use); None when
    the portal is not stored in a database (then changes are indexed at once)."""
    jar = getattr(portal, "_p_jar", None)
    if jar is None:
        return None
    txn = jar.transaction_manager.get()
    try:
        return txn.data(_QUEUE)
    except KeyError:
        queue = Pending(portal)
        txn.set_data(_QUEUE, queue)
        txn.addBeforeCommitHook(queue.flush)
        return queue


def changed(portal, obj):
    """``obj`` (catalogued) was added or its facts changed."""
    queue = pending(portal)
    if queue is None:
        index(catalog_of(portal), obj)
    else:
        queue.objects[id(obj)] = obj


def changed_under(portal, path):
    """Facts of everything at or below ``path`` may have changed (a local role was granted)."""
    queue = pending(portal)
    if queue is None:
        reindex_under(portal, path)
    else:
        queue.subtrees.add(path)


def flush(portal):
    """Index this transaction's changes now (before a query reads the catalog)."""
    jar = getattr(portal, "_p_jar", None)
    if jar is None or catalog_of(portal) is None:
        return
    try:
        queue = jar.transaction_manager.get().data(_QUEUE)
    except (KeyError, NoTransaction):
        return
    queue.flush()
