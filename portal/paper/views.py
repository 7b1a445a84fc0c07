"""The paper desk of a ballot: organizers pick a unit and enter its paper ballot with a scan, street
staff review the entries, one by one (``entry_views``) or checked ones in a batch."""
import re

from pyramid.httpexceptions import HTTPForbidden, HTTPFound, HTTPNotFound
from pyramid.response import Response
from pyramid.view import view_config

from portal import clock
from portal.ballots.models import Ballot
from portal.confirm import confirm_page
from portal.forms import FormError, FormPage
from portal.i18n import _
from portal import uploads as scans
from portal.paper import rules, service
from portal.paper.count import reconciled
from portal.paper.schemas import paper_schema
from portal.voting.box import VoteRefused
from portal.voting.schemas import mark_words

STATE_WORDS = {rules.PENDING: _("waiting for review"), rules.APPROVED: _("approved, counted"),
               rules.REJECTED: _("rejected"), rules.FLAGGED: _("not counted"),
               rules.SECOND: _("waiting for the second entry"), rules.MISMATCH: _("the two entries differ")}
KIND_WORDS = {rules.PAPER: _("paper ballot"), rules.PROXY: _("written proxy")}
VOTED_ELECTRONICALLY = _("voted electronically")
MAX_FOUND = 30
PARTS = re.compile("栋|单元")


def marks_shown(ballot, choices):
    """[(matter title, [(label, words)])] of an entry's marks, each matter by its title (a paper
    election with more agrees than seats is shown as entered; it counts as void)."""
    return [(m["title"], mark_words(m, choices.get(m["id"], ""))) for m in ballot.matters]


def may_see(request, ballot):
    return request.has_permission("enter_paper", ballot) or request.has_permission("review_paper", ballot)


def units_marked(ballot):
    """[(unit key, title, voted electronically)] of the units that vote on the ballot."""
    return [(key, title, service.electronically_voted(ballot, key)) for key, title in service.voting_units(ballot)]


def search(units, query):
    """The units ``query`` finds, at most MAX_FOUND: one word anywhere in the title ("302", "3栋"),
    several (building, unit, room: "3 2 302", "3栋2单元302") each its part of the title, the last
    one inside the room."""
    words = (query or "").replace("栋", " ").replace("单元", " ").split()

    def matches(title):
        if len(words) == 1:
            return "".join(query.split()) in title
        parts = PARTS.split(title)
        return words[-1] in parts[-1] and all(w in parts[:-1] for w in words[:-1])

    return [u for u in units if matches(u[1])][:MAX_FOUND] if words else []


def unit_choices(units, translate):
    """The unit select's options, units that voted electronically marked so before the entry."""
    mark = translate(VOTED_ELECTRONICALLY)
    return [(key, f"{title}（{mark}）" if voted else title) for key, title, voted in units]


class EntryPage(FormPage):
    """Entering a paper ballot (and, in ``proxy_views``, a written proxy) for a picked unit."""
    kind = rules.PAPER
    template = "portal.templates:paper.pt"

    def __call__(self):
        if not may_see(self.request, self.context):
            raise HTTPForbidden()
        if self.request.method == "POST" and not self.can_enter():
            raise HTTPForbidden()
        return super().__call__()

    def can_enter(self):
        return (self.context.allow_paper and self.request.has_permission("enter_paper", self.context)
                and not service.preliminary_published(self.context))

    def units(self):
        if not hasattr(self, "_units"):
            self._units = units_marked(self.context)
        return self._units

    def schema(self):
        translate = self.request.localizer.translate
        schema = paper_schema(self.context, unit_choices(self.units(), translate), translate,
                              proxy=self.kind == rules.PROXY)
        return schema

    def picked(self):
        key = self.request.params.get("unit", "")
        return next((u for u in self.units() if u[0] == key), None)

    def appstruct(self):
        picked = self.picked()
        return {"unit": picked[0]} if picked else {}

    def page_values(self):
        query = self.request.params.get("q", "")
        return {"can_enter": self.can_enter(), "query": query, "found": search(self.units(), query),
                "picked": self.picked(), "kind": self.kind}

    def store(self, values, data):
        return service.enter(self.context, values["unit"], values["votes"], data, self.request.identity.uid,
                             clock.now())

    def succeed(self, values):
        data = values["scan"]["fp"].read()
        try:
            paper_id = self.store(values, data)
        except VoteRefused as refused:
            raise FormError(refused.message, "scan" if refused.code == "scan" else "unit")
        self.request.audit("paper.enter", self.context, paper=paper_id, kind=self.kind)
        self.request.session.flash(self.request.localizer.translate(_("Entered; someone else checks it.")))
        return HTTPFound(self.request.resource_url(self.context, "@paper"))


@view_config(context=Ballot, name="@paper", permission="view")
class PaperPage(EntryPage):
    title = _("Paper ballots")
    buttons = (("enter", _("Enter the paper ballot")),)

    def page_values(self):
        values = super().page_values()
        register = self.context.community["register"]
        uid = self.request.identity.uid if self.request.identity else None
        can_review = self.request.has_permission("review_paper", self.context)
        translate = self.request.localizer.translate
        rows = [(pid, r, register.get(r["unit"]), marks_shown(self.context, r["matters"]),
                 can_review and r["state"] == rules.PENDING and rules.checker_problem(r, uid) is None,
                 translate(service.number_label(pid)))
                for pid, r in service.records(self.context)]
        values.update(records=rows, states=STATE_WORDS, kinds=KIND_WORDS, can_review=can_review,
                      batch=any(row[4] for row in rows), reconciliation=reconciled(self.context),
                      can_count=self.request.has_permission("enter_paper", self.context),
                      proxies=self.context.allow_proxies)
        return values


def batch_ids(request):
    found = []
    for value in request.params.getall("ids"):
        found += [v for v in value.replace(",", " ").split() if v]
    return list(dict.fromkeys(found))[:500]


@view_config(context=Ballot, name="@paper-batch", permission="review_paper")
def batch(context, request):
    """Approving the checked entries in one go, after a confirmation; each one still goes through
    every rule of a single review (who entered it, its state, the box)."""
    back = request.resource_url(context, "@paper")
    ids = [i for i in batch_ids(request) if service.get(context, i) is not None]
    if not ids:
        request.session.flash(request.localizer.translate(_("Tick at least one checked entry.")))
        return HTTPFound(back)
    if request.method != "POST" or not request.POST.get("confirmed"):
        register = context.community["register"]
        units = [register.get(service.get(context, i)["unit"]) for i in ids]
        translate = request.localizer.translate
        lines = [f"{translate(service.number_label(i))} · {unit.title if unit is not None else '—'}"
                 for i, unit in zip(ids, units)]
        return confirm_page(request, _("Approve ${count} entries?", mapping={"count": len(ids)}),
                            [_("Each one is counted like an electronic vote of its unit, unless the unit voted "
                               "electronically; this cannot be undone.")] + lines,
                            request.resource_url(context, "@paper-batch", query={"ids": " ".join(ids)}),
                            _("Approve them"), back, danger=False)
    outcome = approve_all(context, ids, request.identity.uid)
    for pid, state in outcome:
        if state in (rules.APPROVED, rules.FLAGGED):
            request.audit("paper.review", context, paper=pid, state=state)
    counted = sum(1 for _pid, state in outcome if state == rules.APPROVED)
    refused = [f"{pid}: {request.localizer.translate(state)}" for pid, state in outcome
               if state not in (rules.APPROVED, rules.FLAGGED)]
    request.session.flash(request.localizer.translate(_("${count} approved and counted.", mapping={"count": counted})))
    for line in refused:
        request.session.flash(line)
    return HTTPFound(back)


def approve_all(ballot, ids, who):
    """[(id, state or the refusal's message)] for each entry approved in turn."""
    outcome = []
    for paper_id in ids:
        try:
            outcome.append((paper_id, service.review(ballot, paper_id, True, who, clock.now())["state"]))
        except VoteRefused as refused:
            outcome.append((paper_id, refused.message))
    return outcome


@view_config(context=Ballot, name="@paper-scan", permission="view")
def scan(context, request):
    if not may_see(request, context):
        raise HTTPForbidden()
    record = service.get(context, request.params.get("id", ""))
    if record is None:
        raise HTTPNotFound()
    response = Response(scans.read(record["scan"]), content_type=record["content_type"])
    response.headers["Cache-Control"] = "no-store"
    return response
