"""The roles of DOMAIN.md ("Who is who") and who may grant which, as plain rules.

A role is granted *locally* on one node of the tree and holds for everything below it.  Each
role belongs to one kind of node, and only someone who holds a higher role at that node may
grant or revoke it (a street's staff cannot make themselves district staff).  The owner role is
never granted by hand: binding to the register grants it.
"""
from portal.i18n import _

ANYONE = "anyone"
AUTHENTICATED = "authenticated"
ADMIN = "admin"
DISTRICT = "district"
STREET = "street"
ORGANIZER = "organizer"
OWNER = "owner"

# Highest first.  The rank decides who may grant what.
RANK = {ADMIN: 4, DISTRICT: 3, STREET: 2, ORGANIZER: 1, OWNER: 0}

TITLES = {
    ADMIN: _("City administrator"),
    DISTRICT: _("District staff"),
    STREET: _("Street staff"),
    ORGANIZER: _("Organizer"),
    OWNER: _("Owner"),
}

# The kind of node each role is granted on.
GRANTED_ON = {
    ADMIN: "Portal",
    DISTRICT: "District",
    STREET: "Street",
    ORGANIZER: "Community",
}


def roles_grantable_on(node_type):
    """The roles that may be granted on a node of ``node_type``, highest first."""
    return [role for role, kind in GRANTED_ON.items() if kind == node_type]


def can_grant(granter_roles, role, node_type):
    """May someone holding ``granter_roles`` at a node of ``node_type`` grant ``role`` there?

    The role must belong to that kind of node, and the granter must hold a higher role, except
    that a city administrator may appoint another city administrator (nobody is above them).
    """
    if GRANTED_ON.get(role) != node_type:
        return False
    best = max((RANK[r] for r in granter_roles if r in RANK), default=-1)
    if role == ADMIN:
        return best == RANK[ADMIN]
    return best > RANK[role]


def principal_for(role):
    """The principal a local role becomes in an ACL."""
    return "role:" + role
