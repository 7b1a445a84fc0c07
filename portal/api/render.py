"""Resources as JSON, in the manner of plone.restapi: ``@id``, ``@type``, ``title``, ``items``."""
from portal.content import schemas

BATCH = 100


def summary(request, node):
    return {"@id": request.resource_url(node).rstrip("/"), "@type": node.type_name,
            "id": node.__name__ or "", "title": node.title}


def node_json(request, node):
    data = summary(request, node)
    if node.type_name in schemas.SCHEMAS:
        for name in schemas.field_names(node.type_name):
            data[name] = getattr(node, name, "")
    if node.child_type is not None:
        start = request.params.get("start") or None
        try:
            size = max(1, min(BATCH, int(request.params.get("size", BATCH))))
        except ValueError:
            size = BATCH
        items = node.values(start=start, limit=size + 1)
        data["items"] = [summary(request, child) for child in items[:size]]
        data["items_total"] = len(node)
        if len(items) > size:
            data["batching"] = {
                "next": request.resource_url(node, query={"start": items[size].__name__, "size": size})
            }
    return data
