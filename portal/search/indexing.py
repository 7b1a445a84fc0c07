"""What of each object is searchable, and keeping the index current (no Pyramid here)."""


def path_of(obj):
    names = []
    while obj.__parent__ is not None:
        names.append(obj.__name__)
        obj = obj.__parent__
    return "/" + "/".join(reversed(names)), obj


def text_of(obj):
    if obj.type_name == "Community":       # found by its name, address, street and district
        street = obj.__parent__
        district = street.__parent__ if street is not None else None
        parts = [obj.title, obj.address, getattr(street, "title", ""), getattr(district, "title", "")]
    elif obj.type_name == "Ballot":
        parts = [obj.title, obj.description] + [f"{m['title']} {m['text']}" for m in obj.matters]
    else:
        parts = [obj.title, obj.notes, obj.filing_number]
    return " ".join(p for p in parts if p)


def reindex(obj):
    path, root = path_of(obj)
    index = getattr(root, "search_index", None)
    if index is not None:
        index.index(path, text_of(obj))


def rebuild(portal):
    from portal.content.folder import communities_under

    for community in communities_under(portal):
        reindex(community)
        for container in ("ballots", "documents"):
            for obj in community[container].values():
                reindex(obj)
