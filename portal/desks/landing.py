"""Where staff land after signing in: the desk of the highest node they hold a staff role on
(the city's for an administrator, else a district's, else a street's), found through the
catalog's ``staff`` index, never by walking the districts."""
from portal.catalog import query
from portal.catalog.indexing import resolve
from portal.security.roles import ADMIN

DESK = "@worklist"
ORDER = {"District": 0, "Street": 1}


def staff_nodes(portal, uid):
    """The districts, streets and communities ``uid`` holds a role on (from the catalog)."""
    found = (resolve(portal, path) for path in query.paths(portal, staff=uid))
    return [node for node in found if node is not None]


def desk_path(portal, account):
    """The path of ``account``'s desk ('/tianhe/@worklist'), or None when it has none."""
    if ADMIN in getattr(portal, "local_roles", {}).get(account.uid, ()):
        return "/" + DESK
    nodes = [node for node in staff_nodes(portal, account.uid) if node.type_name in ORDER]
    if not nodes:
        return None
    node = min(nodes, key=lambda n: (ORDER.get(n.type_name, 9), query.path_of(n)))
    return query.path_of(node).rstrip("/") + "/" + DESK
