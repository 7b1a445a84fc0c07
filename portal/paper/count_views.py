"""``<ballot>/@paper-count``: the organizer opens and keeps the paper count record; street staff
read it.  The counters' and supervisors' names are shown here only to these two."""
from pyramid.httpexceptions import HTTPForbidden, HTTPFound
from pyramid.view import view_config

from portal import clock
from portal.ballots.models import Ballot
from portal.forms import FormError, FormPage
from portal.i18n import _
from portal.paper import count
from portal.paper.rules import COUNTER, SUPERVISOR
from portal.paper.schemas import count_schema
from portal.paper.views import may_see


def save(request, ballot, values):
    """The count record saved from the schema's values (CountRefused as the rules say)."""
    return count.save(ballot, values["issued"], values["returned"], values["second_entry"], values["counters"],
                      values["supervisors"], request.registry.personal_data, request.identity.uid, clock.now())


@view_config(context=Ballot, name="@paper-count", permission="view")
class CountPage(FormPage):
    title = _("Paper count record")
    buttons = (("save", _("Save the count record")),)
    template = "portal.templates:paper_count.pt"

    def __call__(self):
        if not may_see(self.request, self.context):
            raise HTTPForbidden()
        if self.request.method == "POST" and not self.can_edit():
            raise HTTPForbidden()
        return super().__call__()

    def can_edit(self):
        return self.request.has_permission("enter_paper", self.context)

    def schema(self):
        return count_schema()

    def appstruct(self):
        record = count.count_of(self.context)
        if record is None:
            return {}
        return {"issued": record["issued"], "returned": record["returned"], "second_entry": record["second_entry"],
                "counters": count.rooms_of(self.context, COUNTER),
                "supervisors": count.rooms_of(self.context, SUPERVISOR)}

    def page_values(self):
        return {"count": count.count_of(self.context), "can_edit": self.can_edit(),
                "names": count.names(self.context, self.request.registry.personal_data),
                "reconciliation": count.reconciled(self.context)}

    def succeed(self, values):
        try:
            save(self.request, self.context, values)
        except count.CountRefused as refused:
            raise FormError(refused.message, refused.field)
        self.request.audit("paper.count", self.context)          # no names: they stay in the record
        self.request.session.flash(self.request.localizer.translate(_("The count record is saved.")))
        return HTTPFound(self.request.resource_url(self.context, "@paper-count"))
