"""Local roles: stored on the node they are granted on, effective for everything below it.

The owner role is the exception: binding gives it, never a grant, so it is not stored on the
community (thousands of owners binding at once would all write one tree there).  An account is
owner in the communities it is bound to, which binding keeps in ``account.communities``.
"""
from pyramid.location import lineage
from pyramid.traversal import resource_path

from portal.events import ObjectModified, notify
from portal.security.roles import OWNER


def granted_here(node, uid):
    """The roles granted to ``uid`` on ``node`` itself."""
    roles = getattr(node, "local_roles", None)
    if roles is None:
        return ()
    return roles.get(uid, ())


def bound_roles(node, account):
    """The owner role at a community ``account`` is bound to (``account.communities``)."""
    communities = getattr(account, "communities", ())
    if communities and getattr(node, "type_name", None) == "Community" and resource_path(node) in communities:
        return (OWNER,)
    return ()


def effective_roles(context, uid, account=None):
    """The roles ``uid`` holds at ``context``: granted on it or on any node above it, and the
    owner role where its account is bound (the account looked up at the root when not given)."""
    found = set()
    nodes = list(lineage(context))
    if account is None:
        accounts = getattr(nodes[-1], "accounts", None)
        account = accounts.get(uid) if accounts is not None else None
    for node in nodes:
        found.update(granted_here(node, uid))
        if account is not None:
            found.update(bound_roles(node, account))
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
