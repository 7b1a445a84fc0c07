"""Local roles: stored on the node they are granted on, effective for everything below it."""
from pyramid.location import lineage

from portal.events import ObjectModified, notify


def granted_here(node, uid):
    """The roles granted to ``uid`` on ``node`` itself."""
    roles = getattr(node, "local_roles", None)
    if roles is None:
        return ()
    return roles.get(uid, ())


def effective_roles(context, uid):
    """The roles ``uid`` holds at ``context``: granted on it or on any node above it."""
    found = set()
    for node in lineage(context):
        found.update(granted_here(node, uid))
    return found


def grant(node, uid, role, quiet=False):
    """Grant ``role`` to ``uid`` on ``node``; ``quiet``: send no ObjectModified (binding grants the
    owner role, which the catalog names by community, not by account: nothing to reindex)."""
    current = set(granted_here(node, uid))
    if role in current:
        return False
    current.add(role)
    node.local_roles[uid] = tuple(sorted(current))
    if not quiet:
        notify(ObjectModified(node))        # who may see what at and below ``node`` changed
    return True


def revoke(node, uid, role, quiet=False):
    current = set(granted_here(node, uid))
    if role not in current:
        return False
    current.discard(role)
    if current:
        node.local_roles[uid] = tuple(sorted(current))
    else:
        del node.local_roles[uid]
    if not quiet:
        notify(ObjectModified(node))
    return True


def holders(node):
    """(uid, roles) pairs granted on ``node`` itself."""
    return list(node.local_roles.items())
