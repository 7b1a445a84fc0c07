"""``<node>/@search?q=``: communities (by name, address, street or district), notices and filed
documents at or below a node that the searcher may see, found by Chinese substrings (page and JSON)."""
from pyramid.traversal import find_resource
from pyramid.view import view_config

from portal.content.models import Node

LIMIT = 50


def hits(request, context):
    query = request.params.get("q", "").strip()
    if not query:
        return query, []
    found = []
    for path in request.portal.search_index.search(query, request.resource_path(context)):
        try:
            obj = find_resource(request.root, path)
        except KeyError:
            continue
        if request.has_permission("view", obj):
            found.append(obj)
        if len(found) >= LIMIT:
            break
    return query, found


def where(obj):
    """The places above a hit, as people name them: '天河区 · 石牌街道'."""
    community = obj if obj.type_name == "Community" else obj.community
    street = community.__parent__
    above = [street.__parent__.title, street.title] if obj.type_name == "Community" else [community.title]
    return " · ".join(t for t in above if t)


def hit_json(request, obj):
    url = request.resource_url(obj, "@notice") if obj.type_name == "Ballot" else request.resource_url(obj)
    hit = {"@id": url, "@type": obj.type_name, "title": obj.title,
           "community": obj.title if obj.type_name == "Community" else obj.community.title}
    if obj.type_name == "Community":
        hit["where"] = where(obj)
    return hit


@view_config(context=Node, name="@search", json=False, permission="view", renderer="portal.templates:search.pt")
def search_page(context, request):
    query, found = hits(request, context)
    items = [dict(hit_json(request, obj), where=where(obj)) for obj in found]
    return {"query": query, "communities": [h for h in items if h["@type"] == "Community"],
            "hits": [h for h in items if h["@type"] != "Community"]}


@view_config(context=Node, name="@search", json=True, request_method="GET", permission="view", renderer="json")
def search_json(context, request):
    query, found = hits(request, context)
    return {"q": query, "items": [hit_json(request, obj) for obj in found]}
