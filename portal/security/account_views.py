"""Staff accounts, managed by city administrators."""
from pyramid.httpexceptions import HTTPFound
from pyramid.view import view_config

from portal.api.errors import require_body, validate
from portal.content.models import Portal
from portal.forms import FormPage
from portal.i18n import _
from portal.security.accounts import Account
from portal.security.schemas import AccountSchema


def create_account(request, values):
    account = request.portal.accounts.add(Account(values["login"], values["title"], values["password"]))
    request.audit("account.create", request.root, account=account.uid)
    return account


def account_json(account):
    return {"login": account.login, "title": account.title, "kind": account.kind,
            "created": account.created.isoformat()}


@view_config(context=Portal, name="@accounts", json=False, permission="manage_accounts")
class AccountsPage(FormPage):
    schema = AccountSchema
    title = _("Accounts")
    buttons = (("create", _("Create account")),)
    template = "portal.templates:accounts.pt"

    def bindings(self):
        return {"accounts": self.request.portal.accounts}

    def page_values(self):
        return {"accounts": self.request.portal.accounts.staff()}

    def succeed(self, values):
        create_account(self.request, values)
        return HTTPFound(self.request.resource_url(self.context, "@accounts"))


@view_config(context=Portal, name="@accounts", json=True, request_method="GET",
             permission="manage_accounts", renderer="json")
def accounts_read(context, request):
    return {"items": [account_json(a) for a in request.portal.accounts.staff()]}


@view_config(context=Portal, name="@accounts", json=True, request_method="POST",
             permission="manage_accounts", renderer="json")
def accounts_create(context, request):
    schema = AccountSchema().bind(accounts=request.portal.accounts)
    account = create_account(request, validate(request, schema, require_body(request)))
    request.response.status_int = 201
    return account_json(account)
