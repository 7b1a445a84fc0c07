"""The paper ballots of a ballot: organizers enter them with a scan, street staff review them."""
import colander
from pyramid.httpexceptions import HTTPForbidden, HTTPFound, HTTPNotFound
from pyramid.response import Response
from pyramid.view import view_config

from portal import clock
from portal.ballots.models import Ballot
from portal.forms import FormError, FormPage
from portal.i18n import _
from portal import uploads as scans
from portal.paper import service
from portal.paper.schemas import paper_schema, review_schema
from portal.voting.box import VoteRefused
from portal.voting.schemas import mark_words

STATE_WORDS = {"pending": _("waiting for review"), "approved": _("approved, counted"),
               "rejected": _("rejected"), "flagged": _("not counted")}


def marks_shown(ballot, record):
    """[(matter id, [(label, words)])] of a paper ballot's marks, as the confirmation page lists them
    (a paper election with more agrees than seats is shown as entered; it counts as void)."""
    return [(m["id"], mark_words(m, record["matters"].get(m["id"], ""))) for m in ballot.matters]


def may_see(request, ballot):
    return request.has_permission("enter_paper", ballot) or request.has_permission("review_paper", ballot)


@view_config(context=Ballot, name="@paper", permission="view")
class PaperPage(FormPage):
    title = _("Paper ballots")
    buttons = (("enter", _("Enter the paper ballot")),)
    template = "portal.templates:paper.pt"

    def __call__(self):
        if not may_see(self.request, self.context):
            raise HTTPForbidden()
        if self.request.method == "POST" and not self.can_enter():
            raise HTTPForbidden()
        return super().__call__()

    def can_enter(self):
        return self.context.allow_paper and self.request.has_permission("enter_paper", self.context)

    def schema(self):
        return paper_schema(self.context, service.voting_units(self.context), self.request.localizer.translate)

    def page_values(self):
        register = self.context.community["register"]
        return {"records": [(pid, r, register.get(r["unit"]), marks_shown(self.context, r))
                            for pid, r in service.records(self.context)], "states": STATE_WORDS,
                "can_enter": self.can_enter(),
                "can_review": self.request.has_permission("review_paper", self.context)}

    def succeed(self, values):
        data = values["scan"]["fp"].read()
        try:
            paper_id = service.enter(self.context, values["unit"], values["votes"], data,
                                     self.request.identity.uid, clock.now())
        except VoteRefused as refused:
            raise FormError(refused.message, "scan" if refused.code == "scan" else "unit")
        self.request.audit("paper.enter", self.context, paper=paper_id)
        self.request.session.flash(self.request.localizer.translate(_("Entered; the street office reviews it.")))
        return HTTPFound(self.request.resource_url(self.context, "@paper"))


@view_config(context=Ballot, name="@paper-review", request_method="POST", permission="review_paper")
def review(context, request):
    try:            # the JSON API's schema (portal.paper.api)
        values = review_schema().deserialize({k: request.POST.get(k, "") for k in ("id", "decision", "reason")})
    except colander.Invalid as invalid:
        if "id" in invalid.asdict():
            raise HTTPNotFound() from None
        request.session.flash(request.localizer.translate(_("Choose approve or reject.")))
        return HTTPFound(request.resource_url(context, "@paper"))
    paper_id = values["id"]
    if paper_id not in (getattr(context, "paper", None) or {}):
        raise HTTPNotFound()
    approve = values["decision"] == "approve"
    reason = values["reason"].strip()
    if not approve and not reason:
        request.session.flash(request.localizer.translate(_("Give the reason for rejecting it.")))
        return HTTPFound(request.resource_url(context, "@paper"))
    try:
        record = service.review(context, paper_id, approve, request.identity.uid, clock.now(), reason)
    except VoteRefused as refused:
        request.session.flash(request.localizer.translate(refused.message))
        return HTTPFound(request.resource_url(context, "@paper"))
    request.audit("paper.review", context, paper=paper_id, state=record["state"])
    return HTTPFound(request.resource_url(context, "@paper"))


@view_config(context=Ballot, name="@paper-scan", permission="view")
def scan(context, request):
    if not may_see(request, context):
        raise HTTPForbidden()
    record = (getattr(context, "paper", None) or {}).get(request.params.get("id", ""))
    if record is None:
        raise HTTPNotFound()
    response = Response(scans.read(record["scan"]), content_type=record["content_type"])
    response.headers["Cache-Control"] = "no-store"
    return response
