"""What a ballot means to one owner now, in words: the one place the owner's pages (``/@my``, the
voting page, a refusal) take their state-dependent sentence and next step from (no Pyramid here).

``status(ballot, voted, now, results_visible)`` answers with a ``Status``: a key (for styling and
tests), the sentence (a message with its mapping), and the action the owner can take (a title and
the ballot's view name), so that templates show it and never decide it.
"""
from dataclasses import dataclass, field

from portal import clock
from portal.ballots import rules
from portal.i18n import _

UPCOMING, TO_VOTE, VOTED, COUNTING, PRELIMINARY, FINAL, ENDED = (
    "upcoming", "to-vote", "voted", "counting", "preliminary", "final", "ended")


@dataclass(frozen=True)
class Status:
    key: str
    message: object                 # a translation string, with its mapping
    action: tuple = ()              # (title, view name) of the owner's next step, or ()
    extra: tuple = field(default=())    # further (title, view name) links
    voted: bool = False             # the owner's units voted (their kept receipt is worth showing)

    @property
    def urgent(self):
        return self.key == TO_VOTE


def day_end_text(day, now_day, chinese=True):
    """The end of ``day`` as people say it: '1月31日24时' (the year only when it is not this year)."""
    if chinese:
        head = f"{day.month}月{day.day}日" if day.year == now_day.year else rules.day_text(day)
        return f"{head}24时"
    return f"24:00 on {day.day} {day:%B}" + ("" if day.year == now_day.year else f" {day.year}")


def day_start_text(day, now_day, chinese=True):
    if chinese:
        head = f"{day.month}月{day.day}日" if day.year == now_day.year else rules.day_text(day)
        return f"{head}0时"
    return f"0:00 on {day.day} {day:%B}" + ("" if day.year == now_day.year else f" {day.year}")


def objection_last_day(ballot):
    """The last day of the objection period opened by the latest publication of preliminary results."""
    return rules.objection_last_day(ballot.history[-1]["when"], ballot.objection_days)


def status(ballot, voted, now, results_visible, chinese=True):
    """The owner's situation on ``ballot``.

    voted: when the owner's units voted (an aware datetime) or None; results_visible: whether the
    owner may read the results now (the workflow state's permission map decides)."""
    phase, today = ballot.phase(), rules.local_date(now)
    if phase == "notice":
        return Status(UPCOMING, _("Voting opens ${start}; it closes ${end}.", mapping={
            "start": day_start_text(ballot.start_date, today, chinese),
            "end": day_end_text(ballot.end_date, today, chinese)}), (_("Read the notice"), "@notice"))
    if phase == "voting" and voted is None:
        return Status(TO_VOTE, _("Voting is open and you have not voted yet; it closes ${end}.", mapping={
            "end": day_end_text(ballot.end_date, today, chinese)}), (_("Vote now"), "@vote"))
    if phase == "voting":
        words = (_("You have voted (${when}). You may change your vote until ${end}.") if ballot.allow_vote_change
                 else _("You have voted (${when})."))
        action = (_("Change my vote"), "@vote") if ballot.allow_vote_change else ()
        return Status(VOTED, _(words, mapping={"when": clock.local(voted).strftime("%Y-%m-%d %H:%M"),
                                              "end": day_end_text(ballot.end_date, today, chinese)}),
                      action, ((_("Check my vote"), "@receipt"),), voted=True)
    if phase == "counting" and not results_visible:
        return Status(COUNTING, _("Voting closed ${end}. The votes are being counted; the preliminary results "
                                  "will be published here once the street office has checked the count, with "
                                  "an objection period of ${days} days.", mapping={
                                      "end": day_end_text(ballot.end_date, today, chinese),
                                      "days": ballot.objection_days}),
                      (), ((_("Check my vote"), "@receipt"),) if voted else (), voted=voted is not None)
    if phase == "counting":
        last = objection_last_day(ballot)
        return Status(PRELIMINARY, _("Preliminary results are published. Objections may be filed until ${end}; "
                                     "the final results will be published after that.", mapping={
                                         "end": day_end_text(last, today, chinese)}),
                      (_("See the results"), "@results"), ((_("Check my vote"), "@receipt"),) if voted else (),
                      voted=voted is not None)
    if phase == "disclosed":
        return Status(FINAL, _("The final results are published."), (_("See the results"), "@results"),
                      ((_("Check my vote"), "@receipt"),) if voted else (), voted=voted is not None)
    if phase == "ended":
        return Status(ENDED, _("This ballot was withdrawn or cancelled; there is nothing to do."))
    return Status(ENDED, _("This ballot is being prepared; you will be told when its notice is published."))


def refusal(ballot, now, results_visible=False, chinese=True):
    """Why an owner cannot vote on ``ballot`` now, in words (for the voting page's refusal)."""
    phase, today = ballot.phase(), rules.local_date(now)
    if phase == "counting" and results_visible:
        return _("Voting closed ${end}. The preliminary results are published; objections may be filed until "
                 "${last}.", mapping={"end": day_end_text(ballot.end_date, today, chinese),
                                      "last": day_end_text(objection_last_day(ballot), today, chinese)})
    if phase in ("draft", "review", "notice"):
        return _("Voting has not opened yet: it opens ${start}.", mapping={
            "start": day_start_text(ballot.start_date, today, chinese)})
    if phase == "counting":
        return _("Voting closed ${end}. The preliminary results will be published on the ballot's page once the "
                 "street office has checked the count.", mapping={"end": day_end_text(ballot.end_date, today, chinese)})
    if phase == "disclosed":
        return _("Voting closed ${end}, and the final results are published.", mapping={
            "end": day_end_text(ballot.end_date, today, chinese)})
    return _("This ballot was withdrawn or cancelled: there is nothing to vote on.")
