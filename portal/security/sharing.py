"""Granting and revoking local roles on a node (no Pyramid here)."""
from pyramid.location import lineage

from portal.i18n import _
from portal.security import localroles
from portal.security.roles import can_grant, roles_grantable_on


class Refused(Exception):
    def __init__(self, message, field=None, forbidden=False):
        super().__init__(message)
        self.message = message
        self.field = field
        self.forbidden = forbidden


def grantable(node, granter_roles):
    """The roles the granter may grant (and revoke) on ``node``."""
    return [r for r in roles_grantable_on(node.type_name) if can_grant(granter_roles, r, node.type_name)]


def change(node, granter_roles, accounts, login, role, grant=True):
    """Grant (or revoke) ``role`` on ``node`` for the account named ``login``; return it."""
    if not can_grant(granter_roles, role, node.type_name):
        raise Refused(_("You may not grant or revoke this role here."), "role", forbidden=True)
    account = accounts.by_login(login)
    if account is None:
        raise Refused(_("There is no account with this login name."), "login")
    done = localroles.grant(node, account.uid, role) if grant else localroles.revoke(node, account.uid, role)
    if not done:
        message = _("The account already has this role here.") if grant else _(
            "The account does not have this role here.")
        raise Refused(message, "role")
    return account


def holders_with_accounts(node, accounts):
    """[(account, role)] granted on ``node`` itself, by login."""
    found = []
    for uid, roles in localroles.holders(node):
        account = accounts.get(uid)
        if account is not None:
            found.extend((account, role) for role in roles)
    return sorted(found, key=lambda pair: (pair[0].login, pair[1]))


def inherited(node, accounts):
    """[(ancestor, account, role)] granted above ``node``."""
    found = []
    for ancestor in list(lineage(node))[1:]:
        found.extend((ancestor, account, role) for account, role in holders_with_accounts(ancestor, accounts))
    return found
