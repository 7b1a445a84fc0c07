"""Communities are found by name ("find my community"): each one is in the search index, kept
current when a community is added, edited or removed."""
from pyramid.events import subscriber

from portal import evolve
from portal.content.folder import communities_under
from portal.content.models import Community
from portal.events import ObjectAdded, ObjectModified, ObjectWillBeRemoved
from portal.search.indexing import path_of, reindex


@subscriber(ObjectAdded, Community)
@subscriber(ObjectModified, Community)
def index_community(event, community):
    reindex(community)


@subscriber(ObjectWillBeRemoved, Community)
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
