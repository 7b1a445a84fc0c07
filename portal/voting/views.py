"""The owner's voting page: one page with every matter, a confirmation step, then the receipt.

Made for phones and for elderly owners: large choices labelled in words and symbols (not colour
alone), the matter's text and rule above its choices, and nothing recorded until "confirm".
"""
import secrets

import deform
from pyramid.httpexceptions import HTTPForbidden
from pyramid.renderers import render_to_response
from pyramid.view import view_config

from portal import clock
from portal.ballots.models import Ballot
from portal.forms import FormPage
from portal.i18n import _
from portal.voting import owner_view, service
from portal.voting.box import VoteRefused
from portal.voting.schemas import ballot_vote_schema, mark_words


def hidden_fields(matters, values):
    """The confirmation page's hidden inputs that post ``values`` back as the vote form would
    (deform's peppercorn markers: a mapping per election, a radio value per mark)."""
    fields = []
    for matter in matters:
        mark = values[matter["id"]]
        if isinstance(mark, dict):
            fields.append(("__start__", f"{matter['id']}:mapping"))
            for candidate, value in sorted(mark.items()):
                fields += [("__start__", f"{candidate}:rename"), ("deformField", value), ("__end__", f"{candidate}:rename")]
            fields.append(("__end__", f"{matter['id']}:mapping"))
        else:
            fields += [("__start__", f"{matter['id']}:rename"), ("deformField", mark), ("__end__", f"{matter['id']}:rename")]
    return fields


def already_voted(ballot, uid):
    box = service.box_of(ballot)
    keys = box.owners_for_units(service.voter_units(ballot, uid))
    records = [box.current(k) for k in keys if box.has_voted(k)]
    return records[0] if records else None


def why_not_open(request):
    """Why the voting page refuses: a ballot not open now says when it opens, or when it closed and when
    the results are published (portal.errors shows it on the 403 page instead of a bare "not allowed")."""
    context = getattr(request, "context", None)
    if request.view_name != "@vote" or not isinstance(context, Ballot) or context.phase() == "voting":
        return None
    if not request.has_permission("view", context):      # a draft's dates are not for everyone
        return None
    return _("Voting is not open"), owner_view.refusal(context, clock.now(), request.has_permission(
        "view_results", context), chinese=request.locale_name == "zh_Hans")


@view_config(context=Ballot, name="@vote", json=False, permission="vote")
class VotePage(FormPage):
    title = _("Vote")
    buttons = (("review", _("Review my choices")),)
    template = "portal.templates:vote.pt"

    def schema(self):
        return ballot_vote_schema(self.context, self.request.localizer)

    def page_values(self):
        voted = already_voted(self.context, self.request.identity.uid)
        status = None
        if voted is not None:
            status = owner_view.status(self.context, voted["when"], clock.now(), False,
                                       chinese=self.request.locale_name == "zh_Hans")
        return {"ballot": self.context, "voted": voted, "status": status}

    def __call__(self):
        if self.request.identity is None:       # `vote` granted to anyone: still only an account votes
            raise HTTPForbidden()
        voted = already_voted(self.context, self.request.identity.uid)
        if voted is not None and not self.context.allow_vote_change:
            return self.show("")
        if self.request.method == "POST" and "confirm" in self.request.POST:
            return self.confirm()
        if self.request.method == "POST" and "change" in self.request.POST:
            return self.show(self.make_form().render(self.posted()))
        return super().__call__()

    def posted(self):
        """The marks the confirmation page sent back (to show them again in the form)."""
        import peppercorn

        parsed = peppercorn.parse(list(self.request.POST.items()))
        return {m["id"]: parsed.get(m["id"], "") for m in self.context.matters}

    def succeed(self, values):
        rows = [(m, mark_words(m, values[m["id"]])) for m in self.context.matters]
        return render_to_response("portal.templates:vote_confirm.pt", {
            "title": _("Check your choices"), "ballot": self.context, "rows": rows,
            "fields": hidden_fields(self.context.matters, values), "retry": secrets.token_urlsafe(16),
            "can_change": self.context.allow_vote_change}, request=self.request)

    def confirm(self):
        form = self.make_form()
        try:
            values = form.validate(self.request.POST.items())
        except deform.ValidationFailure as failure:
            return self.show(failure.render(), status=400)
        values.pop("csrf_token", None)
        try:
            receipt, keys = service.vote(self.context, self.request.identity.uid, values, clock.now(),
                                         "form:" + self.request.POST.get("retry", ""))
        except VoteRefused as refused:
            self.request.session.flash(self.request.localizer.translate(refused.message))
            return self.show("", status=409)
        return render_to_response("portal.templates:receipt.pt", {
            "title": _("Your vote is recorded"), "ballot": self.context, "receipt": receipt,
            "when": clock.local(clock.now()).strftime("%Y-%m-%d %H:%M")}, request=self.request)


@view_config(context=Ballot, name="@receipt", json=False, permission="view")
def receipt_page(context, request):
    """An owner checks, with the receipt code, what was recorded for them."""
    code = request.params.get("code", "").strip()
    found = None
    if code and request.identity is not None and service.box_of(context) is not None:
        found = service.box_of(context).check_receipt(service.voter_units(context, request.identity.uid), code)
    rows = [(m, mark_words(m, found["matters"].get(m["id"]))) for m in context.matters] if found else []
    return render_to_response("portal.templates:receipt_check.pt", {
        "title": _("Check my vote"), "ballot": context, "code": code, "found": found, "rows": rows,
        "when": clock.local(found["when"]).strftime("%Y-%m-%d %H:%M") if found else ""}, request=request)
