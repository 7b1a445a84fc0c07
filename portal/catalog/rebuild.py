"""Building the catalog from a walk of the tree (a new catalog, ``portal-reindex``)."""
from portal.catalog import indexing
from portal.content.folder import communities_under

CHILD_FOLDERS = ("ballots", "documents")


def catalogued_objects(portal):
    """Every object the catalog holds, by walking: districts and streets, then each community
    with its ballots and documents."""
    for district in portal.values():
        yield district
        for street in district.values():
            yield street
    for community in communities_under(portal):
        yield community
        for name in CHILD_FOLDERS:
            folder = community.get(name)
            if folder is not None:
                yield from folder.values()


def rebuild(portal, checkpoint=None, every=100):
    """Empty the catalog and index everything again; ``checkpoint()`` is called after every
    ``every`` communities (to commit in batches).  Returns how many objects were indexed."""
    catalog = portal.catalog
    catalog.clear()
    count = communities = 0
    for obj in catalogued_objects(portal):
        indexing.index(catalog, obj)
        count += 1
        if obj.type_name == "Community":
            communities += 1
            if checkpoint is not None and communities % every == 0:
                checkpoint()
    return count
