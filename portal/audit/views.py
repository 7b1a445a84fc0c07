"""Staff read the audit log of their part of the tree (page and JSON)."""
import datetime

from pyramid.view import view_config

from portal import clock
from portal.content.models import Node
from portal.i18n import _
from portal.security.accounts import STAFF

LIMIT = 200

ACTIONS = {
    "account.login": _("Signed in"),
    "account.login_failed": _("Failed sign-in"),
    "account.logout": _("Signed out"),
    "account.password": _("Changed password"),
    "account.create": _("Created an account"),
    "content.create": _("Created"),
    "content.edit": _("Edited"),
    "sharing.grant": _("Granted a role"),
    "sharing.revoke": _("Revoked a role"),
    "register.id_key_rotated": _("Re-encrypted personal data under a new ID key"),
}


def actor_label(accounts, uid):
    """A staff account by its login; anyone else by an opaque reference only."""
    if not uid:
        return "-"
    account = accounts.get(uid)
    if account is not None and account.kind == STAFF:
        return account.login
    return "#" + uid[:8]


def described(request, context):
    """The newest entries at or below ``context``, with accounts shown by ``actor_label``."""
    accounts = request.portal.accounts
    rows = []
    for entry in request.portal.audit_log.under(request.resource_path(context), limit=LIMIT):
        detail = dict(entry["detail"])
        if "account" in detail:
            detail["account"] = actor_label(accounts, detail["account"])
        rows.append(dict(entry, actor=actor_label(accounts, entry["actor"]), detail=detail))
    return rows


@view_config(context=Node, name="@audit", json=False, permission="view_audit",
             renderer="portal.templates:audit.pt")
def audit_page(context, request):
    rows = described(request, context)
    for row in rows:
        row["action_title"] = ACTIONS.get(row["action"], row["action"])
        row["when_local"] = clock.local(datetime.datetime.fromisoformat(row["when"])).strftime("%Y-%m-%d %H:%M")
        row["detail_text"] = ", ".join(f"{k}={v}" for k, v in sorted(row["detail"].items()))
    return {"rows": rows, "limit": LIMIT}


@view_config(context=Node, name="@audit", json=True, request_method="GET",
             permission="view_audit", renderer="json")
def audit_json(context, request):
    return {"items": described(request, context)}
