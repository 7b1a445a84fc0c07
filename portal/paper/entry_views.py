"""One entry of the paper desk (``<ballot>/@paper-entry?id=p1``): its scan beside its marks, and
what can be done with it here: the second entry (blind: the first entry's marks are not shown),
resolving a mismatch, approving or rejecting, and the correction an upheld objection leads to."""
import colander
from pyramid.httpexceptions import HTTPForbidden, HTTPFound, HTTPNotFound
from pyramid.view import view_config

from portal import clock
from portal.ballots.models import Ballot
from portal.forms import FormError, FormPage
from portal.i18n import _
from portal.paper import rules, service
from portal.paper.schemas import correct_schema, resolve_schema, review_schema, second_schema
from portal.paper.views import KIND_WORDS, STATE_WORDS, marks_shown, may_see
from portal.voting.box import VoteRefused


def entry_url(request, ballot, paper_id):
    return request.resource_url(ballot, "@paper-entry", query={"id": paper_id})


@view_config(context=Ballot, name="@paper-entry", permission="view")
class EntryReviewPage(FormPage):
    title = _("Paper ballot")
    buttons = (("second", _("Save the second entry")),)
    template = "portal.templates:paper_entry.pt"
    formid = "second"

    def __call__(self):
        if not may_see(self.request, self.context):
            raise HTTPForbidden()
        self.paper_id = self.request.params.get("id", "")
        self.record = service.get(self.context, self.paper_id)
        if self.record is None:
            raise HTTPNotFound()
        if self.request.method == "POST" and not self.may_second():
            raise HTTPForbidden()
        return super().__call__()

    def uid(self):
        return self.request.identity.uid if self.request.identity else None

    def may_second(self):
        """Another member of the organizer enters it the second time (the street office then reviews)."""
        return (self.record["state"] == rules.SECOND and self.request.has_permission("enter_paper", self.context)
                and rules.checker_problem(self.record, self.uid()) is None)

    def action(self):
        return entry_url(self.request, self.context, self.paper_id)

    def schema(self):
        return second_schema(self.context, self.request.localizer.translate)

    def appstruct(self):
        return {"id": self.paper_id}

    def page_values(self):
        record, uid, ballot = self.record, self.uid(), self.context
        checker = rules.checker_problem(record, uid)
        reviewer = self.request.has_permission("review_paper", ballot)
        from portal.objections.service import upheld

        name = ""
        if record.get("proxy_name_enc"):
            name = self.request.registry.personal_data.decrypt(record["proxy_name_enc"])
        return {"paper_id": self.paper_id, "number": service.number_label(self.paper_id), "record": record, "unit": ballot.community["register"].get(record["unit"]),
                "states": STATE_WORDS, "kinds": KIND_WORDS, "proxy_name": name,
                "marks": marks_shown(ballot, record["matters"]) if record["state"] != rules.SECOND else None,
                "second": marks_shown(ballot, record["second"]) if record.get("second") else None,
                "image": record["content_type"] != "application/pdf",
                "scan_url": self.request.resource_url(ballot, "@paper-scan", query={"id": self.paper_id}),
                "may_second": self.may_second(), "checker_problem": checker,
                "may_resolve": record["state"] == rules.MISMATCH and checker is None and reviewer,
                "may_review": (record["state"] == rules.PENDING and reviewer and checker is None
                               and not service.preliminary_published(ballot)),
                "may_correct": (record["state"] == rules.REJECTED and reviewer and checker is None
                                and service.preliminary_published(ballot)),
                "upheld": upheld(ballot), "electronic": service.electronically_voted(ballot, record["unit"])}

    def succeed(self, values):
        try:
            record = service.second_entry(self.context, self.paper_id, values["votes"], self.uid(), clock.now())
        except VoteRefused as refused:
            raise FormError(refused.message)
        self.request.audit("paper.second_entry", self.context, paper=self.paper_id, state=record["state"])
        words = (_("The two entries agree; the ballot waits for review.") if record["state"] == rules.PENDING
                 else _("The two entries differ: someone else compares them with the scan and decides."))
        self.request.session.flash(self.request.localizer.translate(words))
        return HTTPFound(entry_url(self.request, self.context, self.paper_id))


def posted(request, schema, names):
    """The POSTed fields through the JSON API's schema: (values, None) or (None, the message)."""
    try:
        return schema.deserialize({k: request.POST.get(k, "") for k in names}), None
    except colander.Invalid as invalid:
        return None, next(iter(invalid.asdict().values()))


def acted(request, context, paper_id, action, message=None):
    """Back to the entry, the refusal (if any) flashed in words."""
    if message is not None:
        request.session.flash(request.localizer.translate(message))
    return HTTPFound(entry_url(request, context, paper_id) if service.get(context, paper_id) is not None
                     else request.resource_url(context, "@paper"))


@view_config(context=Ballot, name="@paper-review", request_method="POST", permission="review_paper")
def review(context, request):
    values, problem = posted(request, review_schema(), ("id", "decision", "reason"))
    paper_id = request.POST.get("id", "")
    if service.get(context, paper_id) is None:
        raise HTTPNotFound()
    if problem is not None:
        return acted(request, context, paper_id, "review", _("Choose approve or reject."))
    approve = values["decision"] == "approve"
    reason = values["reason"].strip()
    if not approve and not reason:
        return acted(request, context, paper_id, "review", _("Give the reason for rejecting it."))
    try:
        record = service.review(context, paper_id, approve, request.identity.uid, clock.now(), reason)
    except VoteRefused as refused:
        return acted(request, context, paper_id, "review", refused.message)
    request.audit("paper.review", context, paper=paper_id, state=record["state"])
    return HTTPFound(request.resource_url(context, "@paper"))


@view_config(context=Ballot, name="@paper-resolve", request_method="POST", permission="review_paper")
def resolve(context, request):
    paper_id = request.POST.get("id", "")
    if service.get(context, paper_id) is None:
        raise HTTPNotFound()
    values, problem = posted(request, resolve_schema(), ("id", "which"))
    if problem is not None:
        return acted(request, context, paper_id, "resolve", _("Choose the entry the scan shows."))
    try:
        record = service.resolve(context, paper_id, values["which"], request.identity.uid, clock.now())
    except VoteRefused as refused:
        return acted(request, context, paper_id, "resolve", refused.message)
    request.audit("paper.resolve", context, paper=paper_id, state=record["state"])
    return acted(request, context, paper_id, "resolve")


@view_config(context=Ballot, name="@paper-correct", request_method="POST", permission="review_paper")
def correct(context, request):
    paper_id = request.POST.get("id", "")
    if service.get(context, paper_id) is None:
        raise HTTPNotFound()
    values, problem = posted(request, correct_schema(), ("id", "objection", "reason"))
    if problem is not None:
        return acted(request, context, paper_id, "correct", _("Choose the upheld objection and say what is corrected."))
    try:
        record = service.correct(context, paper_id, values["objection"], request.identity.uid, clock.now(),
                                 values["reason"])
    except VoteRefused as refused:
        return acted(request, context, paper_id, "correct", refused.message)
    request.audit("paper.correct", context, paper=paper_id, objection=values["objection"], state=record["state"])
    return acted(request, context, paper_id, "correct")
