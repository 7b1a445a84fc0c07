"""The sharing page of a node: who holds which role here and above, grant and revoke."""
from pyramid.httpexceptions import HTTPFound
from pyramid.view import view_config

from portal.api.errors import json_error, require_body, validate
from portal.content.models import Node
from portal.forms import FormError, FormPage
from portal.i18n import _
from portal.security import sharing
from portal.security.localroles import effective_roles
from portal.security.roles import TITLES
from portal.security.schemas import GrantSchema


def my_roles(request, context):
    return effective_roles(context, request.identity.uid, request.identity)


def apply(request, context, login, role, grant):
    account = sharing.change(context, my_roles(request, context), request.portal.accounts, login, role, grant)
    request.audit("sharing.grant" if grant else "sharing.revoke", context, role=role, account=account.uid)
    return account


@view_config(context=Node, name="@sharing", json=False, permission="manage_sharing")
class SharingPage(FormPage):
    title = _("Sharing")
    buttons = (("grant", _("Grant")),)
    template = "portal.templates:sharing.pt"
    formid = "grant"

    def schema(self):
        return GrantSchema()

    def bindings(self):
        roles = sharing.grantable(self.context, my_roles(self.request, self.context))
        t = self.request.localizer.translate
        return {"roles": [(role, t(TITLES[role])) for role in roles]}

    def page_values(self):
        accounts = self.request.portal.accounts
        mine = my_roles(self.request, self.context)
        return {
            "granted": sharing.holders_with_accounts(self.context, accounts),
            "inherited": sharing.inherited(self.context, accounts),
            "revocable": set(sharing.grantable(self.context, mine)),
            "can_grant": bool(sharing.grantable(self.context, mine)),
            "role_titles": TITLES,
        }

    def succeed(self, values):
        try:
            apply(self.request, self.context, values["login"], values["role"], grant=True)
        except sharing.Refused as refused:
            raise FormError(refused.message, refused.field)
        return HTTPFound(self.request.resource_url(self.context, "@sharing"))


@view_config(context=Node, name="@sharing-revoke", json=False, request_method="POST",
             permission="manage_sharing")
def revoke_page(context, request):
    try:
        apply(request, context, request.POST.get("login", ""), request.POST.get("role", ""), grant=False)
    except sharing.Refused as refused:
        request.session.flash(request.localizer.translate(refused.message))
    return HTTPFound(request.resource_url(context, "@sharing"))


def sharing_json(request, context):
    accounts = request.portal.accounts
    return {
        "granted": [{"login": a.login, "title": a.title, "role": r}
                    for a, r in sharing.holders_with_accounts(context, accounts)],
        "inherited": [{"login": a.login, "title": a.title, "role": r, "on": request.resource_url(n)}
                      for n, a, r in sharing.inherited(context, accounts)],
        "grantable": sharing.grantable(context, my_roles(request, context)),
    }


@view_config(context=Node, name="@sharing", json=True, request_method="GET",
             permission="manage_sharing", renderer="json")
def sharing_read(context, request):
    return sharing_json(request, context)


@view_config(context=Node, name="@sharing", json=True, request_method="POST",
             permission="manage_sharing", renderer="json")
def sharing_change(context, request):
    body = require_body(request)
    roles = [(role, role) for role in TITLES]
    values = validate(request, GrantSchema().bind(roles=roles), body)
    grant = body.get("action", "grant") != "revoke"
    try:
        apply(request, context, values["login"], values["role"], grant)
    except sharing.Refused as refused:
        raise json_error(request, 403 if refused.forbidden else 400, "refused", refused.message)
    return sharing_json(request, context)
