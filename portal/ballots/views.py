"""Pages of ballots: the community's list, drafting and editing, and a ballot's own page."""
import json

import colander
from pyramid.httpexceptions import HTTPFound
from pyramid.view import view_config

from portal import clock
from portal.ballots import candidates
from portal.ballots import lifecycle, rules, services, viewmodel
from portal.ballots.models import Ballot, Ballots
from portal.ballots.schemas import BallotSchema
from portal.forms import FormError, FormPage
from portal.i18n import _
from portal.register.rules import format_area
from portal.workflow import engine

PHASE_GROUPS = (("voting", _("Voting now")), ("notice", _("Upcoming")), ("counting", _("Results")),
                ("disclosed", _("Results")), ("draft", _("Drafts")), ("review", _("Under review")),
                ("ended", _("Withdrawn or cancelled")))


def visible_ballots(request, container):
    """The ballots the user may see, each brought up to date with the clock first."""
    now, found = clock.now(), []
    for ballot in container.values():
        lifecycle.catch_up(ballot, now)
        if request.has_permission("view", ballot):
            found.append(ballot)
    return found


def ballot_groups(request, container):
    """[(title, ballots)] by phase: voting now, upcoming, results, then the staff's own."""
    ballots = visible_ballots(request, container)
    groups = {}
    for phase, title in PHASE_GROUPS:
        members = [b for b in ballots if b.phase() == phase]
        if members:
            groups.setdefault(title, []).extend(members)
    return list(groups.items())


@view_config(context=Ballots, json=False, permission="view", renderer="portal.templates:ballots.pt")
def ballots_page(context, request):
    return {"groups": ballot_groups(request, context), "community": context.__parent__}


class BallotForm(FormPage):
    schema = BallotSchema
    template = "portal.templates:ballot_form.pt"

    def slots(self):
        """How many matter slots to show: ``?matters=N`` works without JavaScript too."""
        try:
            return max(1, min(30, int(self.request.params.get("matters", 1))))
        except ValueError:
            return 1

    def page_values(self):
        """The no-JavaScript "one more matter" link, and the earliest first day of voting for each
        notice period if the notice were published today (the live hint compares the chosen day
        with these; the rule is ``rules.earliest_start``)."""
        today = rules.local_date(clock.now())
        earliest = rules.earliest_starts(today)
        chinese = self.request.locale_name == "zh_Hans"
        return {"more_url": self.request.path_url + f"?matters={self.slots() + 1}",
                "earliest_json": json.dumps({days: [day.isoformat(), rules.day_text(day, chinese)]
                                             for days, day in earliest.items()}),
                "earliest_words": rules.day_text(earliest[rules.DEFAULT_NOTICE_DAYS], chinese),
                "default_notice_days": rules.DEFAULT_NOTICE_DAYS}

    def bindings(self):
        community = self.community()
        return {"request": self.request, "buildings": lifecycle.buildings(community["register"]),
                "rules_documents": lifecycle.rules_documents(community)}


@view_config(context=Ballots, name="@add", json=False, permission="add_ballot")
class AddBallotPage(BallotForm):
    title = _("Draft a ballot")
    buttons = (("save", _("Save the draft")),)

    def community(self):
        return self.context.__parent__

    def appstruct(self):
        return {"matters": [{}] * self.slots(), "allow_paper": True, "attachments": [colander.null]}

    def succeed(self, values):
        ballot = services.create(self.context, values, self.request.identity.uid, clock.now())
        self.request.audit("ballot.create", ballot)
        return HTTPFound(self.request.resource_url(ballot))


@view_config(context=Ballot, name="@edit", json=False, permission="edit")
class EditBallotPage(BallotForm):
    title = _("Edit the draft")

    def community(self):
        return self.context.community

    def appstruct(self):
        return dict(services.current_values(self.context), attachments=[colander.null])

    def bindings(self):
        return dict(super().bindings(), attachments=services.attachment_choices(self.context))

    def succeed(self, values):
        if self.context.electorate is not None:
            raise FormError(_("The notice is published: the matters can no longer change."))
        services.edit(self.context, values, clock.now())
        self.request.audit("ballot.edit", self.context)
        return HTTPFound(self.request.resource_url(self.context))


def transition_buttons(request, ballot):
    definition = ballot.definition()
    can = lambda permission: request.has_permission(permission, ballot)   # noqa: E731
    return [(tid, t["title"].get("zh" if request.locale_name == "zh_Hans" else "en", tid),
             "comment_required" in t.get("guards", ()))
            for tid, t in engine.startable(definition, ballot, can)]


def state_title(request, definition, state):
    titles = definition["states"][state]["title"]
    return titles.get("zh" if request.locale_name == "zh_Hans" else "en", state)


def my_vote(request, ballot):
    """When the signed-in owner's units voted on this ballot (as page text), or None."""
    if request.identity is None or ballot.box is None:
        return None
    from portal.voting.service import voter_units

    box = ballot.box
    records = [box.current(k) for k in box.owners_for_units(voter_units(ballot, request.identity.uid))
               if box.has_voted(k)]
    return clock.local(records[0]["when"]).strftime("%Y-%m-%d %H:%M") if records else None


@view_config(context=Ballot, json=False, permission="view", renderer="portal.templates:ballot.pt")
def ballot_page(context, request):
    definition = context.definition()
    accounts = request.portal.accounts
    history = [dict(h, who_label=(accounts.get(h["who"]).title if accounts.get(h["who"]) else h["who"]),
                    to_title=state_title(request, definition, h["to"]),
                    when_local=clock.local(h["when"]).strftime("%Y-%m-%d %H:%M")) for h in context.history]
    progress = None
    if context.electorate is not None and request.has_permission("view_progress", context):
        from portal.voting.service import progress_figures

        progress = progress_figures(context)
    chinese = request.locale_name == "zh_Hans"
    can = lambda permission: request.has_permission(permission, context)   # noqa: E731
    view = viewmodel.ballot_view(definition, context, clock.now(), can, chinese)
    return {
        "view": view,
        "returned_when": clock.local(view.returned["when"]).strftime("%Y-%m-%d %H:%M") if view.returned else None,
        "progress": progress,
        "can_vote": request.has_permission("vote", context),
        "my_vote": my_vote(request, context),
        "can_see_results": request.has_permission("view_results", context),
        "state_title": state_title(request, definition, context.state),
        "history": list(reversed(history)),
        "categories": rules.CATEGORIES, "rule_words": rules.RULE_WORDS, "matter_words": rules.matter_words,
        "can_request_extension": request.has_permission("request_extension", context),
        "can_approve_extension": request.has_permission("approve_extension", context)
        and context.extension and not context.extension.get("approved_at"),
        "format_area": format_area,
        "can_check_candidates": request.has_permission("check_candidates", context),
        "candidate_checks": [(m, c, candidates.check_of(context, m["id"], c["id"]))
                             for m, c in candidates.candidates(context)],
    }
