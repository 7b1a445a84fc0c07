"""What a ballot's page says and offers in each state: the one place for its state-dependent words,
timeline and buttons (no Pyramid here; the view passes ``can(permission)`` and the language).

Which steps ask for a confirmation first is read from the workflow itself (``irreversible``): a
step that ends the ballot, or one that sends it back to an earlier phase (undoing a submission or
an approval), so an administrator's new step of either kind asks too.
"""
import datetime
from dataclasses import dataclass, field

from portal.ballots import rules
from portal.i18n import _
from portal.workflow import engine
from portal.workflow.definition import outgoing

RANK = {"draft": 0, "review": 1, "notice": 2, "voting": 3, "counting": 4, "disclosed": 5}


STATUS_WORDS = {"done": _("Done"), "current": _("Next up"), "next": _("Later")}
STATUS_MARKS = {"done": "✓", "current": "●", "next": "○"}


@dataclass(frozen=True)
class Step:
    """One line of the timeline: what happens, when (as people say it), and whether it is done."""
    key: str
    title: object
    when: object
    status: str = "next"          # done | current | next

    @property
    def status_word(self):
        return STATUS_WORDS[self.status]

    @property
    def mark(self):
        return STATUS_MARKS[self.status]


@dataclass(frozen=True)
class Action:
    """A button of the page: a workflow transition the viewer may take now."""
    transition: str
    title: str
    reason_required: bool
    confirm: bool                 # True: the button leads to a confirmation page first
    danger: bool                  # True: it ends the ballot for good

    @property
    def css(self):
        return "btn btn-danger" if self.danger else ("btn" if self.confirm else "btn btn-primary")


@dataclass
class BallotView:
    phase: str
    waiting: object                # who must do what now, in words
    timeline: list = field(default_factory=list)
    actions: list = field(default_factory=list)
    notice_warning: object = None  # the draft's start is too early for a notice published today
    earliest_start: datetime.date = None
    returned: dict = None          # the history entry that sent the ballot back to draft, with a reason
    ended: dict = None             # the history entry that ended it (withdrawn, cancelled)


def phase_of(definition, state):
    return definition["states"][state]["phase"]


def irreversible(definition, transition_id):
    """Does this step need a confirmation: it ends the ballot, or sends it back to an earlier phase?"""
    transition = definition["transitions"][transition_id]
    to_phase = phase_of(definition, transition["to"])
    if to_phase == "ended":
        return True
    return any(RANK.get(to_phase, 0) < RANK.get(phase_of(definition, source), 0) for source in transition["from"])


def consequences(definition, transition_id, ballot):
    """What the step will do, sentence by sentence, for its confirmation page."""
    transition = definition["transitions"][transition_id]
    to_phase = phase_of(definition, transition["to"])
    reason = "comment_required" in transition.get("guards", ())
    lines = []
    if to_phase == "ended":
        lines.append(_("The ballot ends for good and cannot be reopened: to vote on these matters, a new "
                       "draft has to be written, reviewed and published."))
        if ballot.electorate is not None:
            lines.append(_("The notice is already published: owners will read on the ballot page that it was "
                           "ended, and no one can vote on it."))
        if reason:
            lines.append(_("Your reason is kept in the ballot's history, which the organizer and the offices read."))
    else:
        lines.append(_("The ballot goes back to the organizer as a draft: the dates and the matters can be "
                       "changed again."))
        lines.append(_("It has to be submitted again and reviewed again before its notice can be published; "
                       "the review so far no longer counts."))
        if reason:
            lines.append(_("The organizer reads your reason on the ballot page."))
    return lines


def title_of(titles, key, chinese=True):
    """A state's or transition's own title ({zh, en} in the workflow) in the page's language."""
    return titles.get("zh" if chinese else "en") or titles.get("zh") or key


def actions(definition, ballot, can, chinese=True):
    """The buttons: every transition the viewer may take from the ballot's state now."""
    found = []
    for transition_id, transition in engine.startable(definition, ballot, can):
        found.append(Action(transition_id, title_of(transition["title"], transition_id, chinese),
                            "comment_required" in transition.get("guards", ()),
                            irreversible(definition, transition_id),
                            phase_of(definition, transition["to"]) == "ended"))
    return found


def last_entry_into(definition, ballot, phase):
    """The latest history entry that brought the ballot into a state of ``phase``, or None."""
    for entry in reversed(ballot.history):
        if entry["to"] in definition["states"] and phase_of(definition, entry["to"]) == phase:
            return entry
    return None


def ready_for_notice(definition, state):
    """Reviewed and approved: a transition from here publishes the notice."""
    return any(phase_of(definition, t["to"]) == "notice" for t in outgoing(definition, state))


def objection_period(definition, state):
    """The state in which the objection period runs (its way out waits for the period's end)."""
    return any(t.get("timer") == "objection_end" for t in outgoing(definition, state))


def timeline(definition, ballot, now):
    """Review, notice, voting opens, voting closes, preliminary results with the objection period,
    final disclosure: each with its date (done: when it happened; else: when it is due)."""
    phase = phase_of(definition, ballot.state)
    rank = RANK[phase]
    reviewed = rank >= 2 or (rank == 1 and ready_for_notice(definition, ballot.state))
    in_objections = rank == 4 and objection_period(definition, ballot.state)
    last_notice = rules.last_notice_day(ballot.start_date, ballot.notice_days)
    review_entry = last_entry_into(definition, ballot, "review")
    notice_entry = last_entry_into(definition, ballot, "notice")
    final_entry = last_entry_into(definition, ballot, "disclosed")
    objection_start = objection_start_entry(ballot, definition)
    local = rules.local_date

    steps = [
        ("review", _("Review by the street office"), reviewed,
         local(review_entry["when"]) if reviewed and review_entry else None,
         _("after the draft is submitted")),
        ("notice", _("Notice published"), rank >= 2,
         local(notice_entry["when"]) if rank >= 2 and notice_entry else None,
         _("on ${day} at the latest", mapping=rules.day_mapping("day", last_notice)) if local(now) <= last_notice
         else _("by ${day} at the latest, a day already past: the voting dates have to change",
                mapping=rules.day_mapping("day", last_notice))),
        ("opens", _("Voting opens"), rank >= 3, None,
         _("at 0:00 on ${day}", mapping=rules.day_mapping("day", ballot.start_date))),
        ("closes", _("Voting closes"), rank >= 4, None,
         _("at 24:00 on ${day}", mapping=rules.day_mapping("day", ballot.end_date))),
        ("objections", _("Preliminary results and objection period"), rank >= 5, None,
         _("published by the street office after the close; objections for ${days} days",
           mapping={"days": ballot.objection_days})),
        ("final", _("Final results disclosed"), rank >= 5,
         local(final_entry["when"]) if rank >= 5 and final_entry else None,
         _("when the objection period is over and every objection is decided")),
    ]
    found, current_seen = [], False
    for key, title, done, done_day, due in steps:
        if key in ("opens", "closes") and done:
            when = due                  # on time, by the clock: the planned instant is the real one
        elif key == "objections" and (in_objections or rank >= 5) and objection_start is not None:
            last = rules.objection_last_day(objection_start["when"], ballot.objection_days)
            when = _("${start} to ${end}", mapping=dict(rules.day_mapping("start", local(objection_start["when"])),
                                                         **rules.day_mapping("end", last)))
        elif done and done_day is not None:
            when = _("on ${day}", mapping=rules.day_mapping("day", done_day))
        else:
            when = due
        if done:
            status = "done"
        elif not current_seen:
            status, current_seen = "current", True
        else:
            status = "next"
        found.append(Step(key, title, when, status))
    return found


def objection_start_entry(ballot, definition):
    """The entry that published the (latest) preliminary results: the last entry into the objection state."""
    for entry in reversed(ballot.history):
        if entry["to"] in definition["states"] and objection_period(definition, entry["to"]):
            return entry
    return None


def waiting(definition, ballot, now, can):
    """What is waiting for whom now, in words (the viewer is "you" when it is theirs to do)."""
    phase = phase_of(definition, ballot.state)
    mine = {t["permission"] for _tid, t in engine.startable(definition, ballot, can)}
    last_notice = rules.day_mapping("day", rules.last_notice_day(ballot.start_date, ballot.notice_days))
    if phase == "draft":
        return _("Waiting for you: check the dates and matters, then submit the draft to the street office.") \
            if "submit" in mine else _("Waiting for the organizer to finish the draft and submit it.")
    if phase == "review" and not ready_for_notice(definition, ballot.state):
        return _("Waiting for you to review it: approve it, or return it with your comments.") \
            if "review" in mine else _("Waiting for the street office to review it.")
    if phase == "review":
        return _("Waiting for you to publish the notice, on ${day} at the latest.", mapping=last_notice) \
            if "publish" in mine else \
            _("Waiting for the street office to publish the notice, on ${day} at the latest.", mapping=last_notice)
    if phase == "notice":
        return _("The notice is published. Voting opens by itself at 0:00 on ${day}.",
                 mapping=rules.day_mapping("day", ballot.start_date))
    if phase == "voting":
        return _("Voting is open. It closes by itself at 24:00 on ${day}.",
                 mapping=rules.day_mapping("day", ballot.end_date))
    if phase == "counting" and objection_period(definition, ballot.state):
        start = objection_start_entry(ballot, definition)
        if start is not None and now < rules.objection_ends(start["when"], ballot.objection_days):
            return _("Preliminary results are published; objections may be filed until 24:00 on ${day}. "
                     "The final results follow once every objection is decided.",
                     mapping=rules.day_mapping("day", rules.objection_last_day(start["when"], ballot.objection_days)))
        return _("Waiting for you to disclose the final results.") if "publish" in mine else \
            _("The objection period is over: waiting for the street office to disclose the final results.")
    if phase == "counting":
        return _("Waiting for you to publish the preliminary results.") if "publish" in mine else \
            _("Voting has closed: waiting for the street office to publish the preliminary results.")
    if phase == "disclosed":
        return _("The final results are disclosed.")
    return _("This ballot has ended; nothing more happens to it.")


def returned_entry(definition, ballot):
    """The entry that sent the ballot back to draft from review, while it is a draft again."""
    last = ballot.history[-1] if ballot.history else None
    if last is None or last.get("from") is None or phase_of(definition, ballot.state) != "draft":
        return None
    if last["from"] in definition["states"] and phase_of(definition, last["from"]) != "draft":
        return last
    return None


def ballot_view(definition, ballot, now, can, chinese=True):
    """Everything state-dependent the ballot page shows."""
    phase = phase_of(definition, ballot.state)
    view = BallotView(phase=phase, waiting=waiting(definition, ballot, now, can),
                      actions=actions(definition, ballot, can, chinese))
    if phase != "ended":
        view.timeline = timeline(definition, ballot, now)
    else:
        view.ended = ballot.history[-1]
    if RANK.get(phase, 9) <= 1:
        view.notice_warning = rules.notice_problem(now, ballot.start_date, ballot.notice_days)
        view.earliest_start = rules.earliest_start(rules.local_date(now), ballot.notice_days)
    view.returned = returned_entry(definition, ballot)
    return view
