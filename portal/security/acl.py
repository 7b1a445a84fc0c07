"""ACLs computed at request time from a permission -> roles map.

The map comes from the object (its type, and later its workflow state); the ACL allows each
listed role and then denies everything else, so nothing is inherited by accident.
"""
from pyramid.authorization import DENY_ALL, Allow, Authenticated, Everyone

from portal.security.roles import ANYONE, AUTHENTICATED, principal_for


def acl_from_map(permission_roles):
    acl = []
    for permission, roles in sorted(permission_roles.items()):
        for role in roles:
            acl.append((Allow, principal_for_role(role), permission))
    acl.append(DENY_ALL)
    return acl


def principal_for_role(role):
    if role == ANYONE:
        return Everyone
    if role == AUTHENTICATED:
        return Authenticated
    return principal_for(role)


class ACLMixin:
    """Gives a resource an ``__acl__`` built from ``permission_roles()``."""

    def permission_roles(self):
        raise NotImplementedError

    @property
    def __acl__(self):
        return acl_from_map(self.permission_roles())
