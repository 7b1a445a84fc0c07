"""``<ballot>/@proxy``: the organizer enters a written proxy (委托投票) for a unit like a paper
ballot: the scan of the signed authorisation, the proxy's name (kept encrypted) and the choices it
directs.  Street staff review it on the paper desk.  A proxy never gets the owner's account."""
from pyramid.view import view_config

from portal import clock
from portal.ballots.models import Ballot
from portal.i18n import _
from portal.paper import rules, service
from portal.paper.views import EntryPage, may_see


@view_config(context=Ballot, name="@proxy", permission="view")
class ProxyPage(EntryPage):
    title = _("Written proxies")
    buttons = (("enter", _("Enter the written proxy")),)
    kind = rules.PROXY

    def can_enter(self):
        return (rules.proxy_problem(self.context.allow_proxies) is None
                and self.request.has_permission("enter_paper", self.context)
                and not service.preliminary_published(self.context))

    def page_values(self):
        values = super().page_values()
        values["refusal"] = rules.proxy_problem(self.context.allow_proxies)
        return values

    def store(self, values, data):
        personal = self.request.registry.personal_data
        return service.enter(self.context, values["unit"], values["votes"], data, self.request.identity.uid,
                             clock.now(), kind=rules.PROXY, proxy_name_enc=personal.encrypt(values["proxy_name"]))

    def __call__(self):
        refusal = rules.proxy_problem(self.context.allow_proxies)
        if refusal is not None and self.request.method == "POST" and may_see(self.request, self.context):
            return self.show("", status=409)          # the page says why, in words
        return super().__call__()
