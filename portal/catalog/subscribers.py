"""The tree's events keep the catalog current (registered for every object in ``includeme``)."""
from portal.catalog import facts, indexing


def _portal(obj):
    """The portal above ``obj`` when it has a catalog, else None (a detached object, or a
    database not yet evolved)."""
    node = obj
    while getattr(node, "__parent__", None) is not None:
        node = node.__parent__
    return node if indexing.catalog_of(node) is not None else None


def added(event, obj):
    portal = _portal(obj)
    if portal is not None and facts.catalogued(obj):
        indexing.changed(portal, obj)


def will_be_removed(event, obj):
    portal = _portal(obj)
    if portal is not None:
        indexing.unindex_under(portal.catalog, facts.path_of(obj))


def modified(event, obj):
    """A node's local roles, or an object's dates or fields, changed: what is at or below it
    may now be seen by other principals."""
    portal = _portal(obj)
    if portal is None:
        return
    if facts.catalogued(obj):
        indexing.changed(portal, obj)
    if obj is portal or getattr(obj, "local_roles", None) is not None:
        indexing.changed_under(portal, facts.path_of(obj))


def state_changed(event, obj):
    portal = _portal(obj)
    if portal is not None and facts.catalogued(obj):
        indexing.changed(portal, obj)
