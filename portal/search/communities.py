"""Communities are found by name ("find my community"): each one is in the search index, kept
current when a community is added, edited or removed."""
from portal import evolve
from portal.content.folder import communities_under
from portal.content.models import Community
from portal.events import ObjectAdded, ObjectModified, ObjectWillBeRemoved
from portal.search.indexing import path_of, reindex


def index_community(event, community):
    reindex(community)


def unindex_community(event, community):
    path, root = path_of(community)
    index = getattr(root, "search_index", None)
    if index is not None:
        index.unindex(path)


@evolve.step("0031-communities-in-the-search-index")
def index_communities(portal):
    """Communities made before they were searchable by name."""
    for community in communities_under(portal):
        reindex(community)


@evolve.step("0037-search-index-that-merges")
def search_index_that_merges(portal):
    """The search index made again, from the tree, with random word ids and a tree per word
    (``index.SearchIndex``), so that objects indexed at once merge instead of conflicting."""
    from portal.search.index import MergingOkapiIndex, SearchIndex
    from portal.search.indexing import rebuild

    current = getattr(portal, "search_index", None)
    if current is not None and not isinstance(current.text.index, MergingOkapiIndex):
        portal.search_index = SearchIndex()
        rebuild(portal)


def includeme(config):
    config.add_subscriber(index_community, (ObjectAdded, Community))
    config.add_subscriber(index_community, (ObjectModified, Community))
    config.add_subscriber(unindex_community, (ObjectWillBeRemoved, Community))
