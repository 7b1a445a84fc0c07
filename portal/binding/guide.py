"""The home page's way in for owners: "find my community" by name, and the guide "如何投票"
(bind, vote, check the receipt, where to get help: the street office's phone from its record)."""
from pyramid.traversal import find_resource


def help_offices(request, context):
    """The street offices an owner here can call: this community's; on the home page, those of
    the signed-in owner's communities.  [{title, phone, address}] from the streets' records."""
    if context.type_name == "Community":
        streets = [context.__parent__]
    else:
        streets = []
        for path in getattr(request.identity, "communities", ()) or ():
            try:
                street = find_resource(request.root, path).__parent__
            except KeyError:
                continue
            if street not in streets:
                streets.append(street)
    return [{"title": s.title, "phone": s.office_phone, "address": s.office_address} for s in streets]


def find_panel(request, portal):
    return {}


def guide_panel(request, context):
    return {"offices": help_offices(request, context), "signed_in": request.identity is not None}
