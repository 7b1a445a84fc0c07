"""What the workflow editor calls each role, permission, guard, timer and phase, in words.

One table each, message ids with the English words (the Chinese are in the catalogue); the editor,
its grid, its diagram and its preview read them here, so an identifier such as
``view_released_rooms`` never reaches a page.  ``PERMISSION_GROUPS`` orders the permissions as an
administrator thinks of them (viewing, drafting, review, ...); every permission of
``definition.PERMISSIONS`` is in exactly one group (tests/test_workflow_titles.py checks).
"""
from portal.i18n import _
from portal.workflow import definition as defs

ROLES = {
    "anyone": _("Anyone, signed in or not"),
    "authenticated": _("Anyone signed in"),
    "owner": _("Owner"),
    "organizer": _("Organizer"),
    "street": _("Street staff"),
    "district": _("District staff"),
    "admin": _("City administrator"),
}

PERMISSIONS = {
    "view": _("See it"),
    "edit": _("Edit the draft"),
    "submit": _("Submit for review"),
    "review": _("Review (approve or return)"),
    "publish": _("Publish (notice, results, document)"),
    "withdraw": _("Withdraw it"),
    "cancel": _("Cancel it (with a reason)"),
    "vote": _("Vote online"),
    "view_progress": _("See the turnout"),
    "view_results": _("See the results"),
    "request_extension": _("Ask for more voting days"),
    "approve_extension": _("Approve more voting days"),
    "view_rooms": _("See the room-number lists (unbound, not voted)"),
    "view_released_rooms": _("See the room-number lists released by the street office"),
    "enter_paper": _("Enter paper ballots"),
    "review_paper": _("Review paper ballots"),
    "check_candidates": _("Check candidates' eligibility"),
    "object": _("File an objection"),
    "view_objections": _("See the objections"),
    "answer_objection": _("Answer objections"),
    "decide_objection": _("Decide objections"),
    "view_filing": _("Download the filing package"),
    "view_delivery": _("See whom the notice reached"),
    "view_unreached": _("See the rooms the notice did not reach"),
    "view_record": _("Read the vote record"),
}

PERMISSION_GROUPS = (
    ("viewing", _("Viewing"), ("view", "view_progress", "view_delivery", "view_unreached", "view_record")),
    ("drafting", _("Drafting"), ("edit", "submit", "withdraw", "cancel")),
    ("review", _("Review and publication"), ("review", "check_candidates", "publish")),
    ("voting", _("Voting and room lists"), ("vote", "request_extension", "approve_extension", "view_rooms",
                             "view_released_rooms")),
    ("paper", _("Paper ballots"), ("enter_paper", "review_paper")),
    ("results", _("Results"), ("view_results",)),
    ("objections", _("Objections"), ("object", "view_objections", "answer_objection", "decide_objection")),
    ("filing", _("Filing"), ("view_filing",)),
)

GUARDS = {
    "notice_period": _("The notice period is long enough"),
    "window_limit": _("The voting period is within its limit"),
    "comment_required": _("A reason is written in the comment"),
    "objection_period_over": _("The objection period is over"),
    "candidates_confirmed": _("Every candidate is confirmed eligible"),
    "objections_decided": _("Every objection is decided"),
    "objection_upheld": _("An objection was upheld"),
    "areas_complete": _("Every unit that counts has an area"),
}

TIMERS = {
    "voting_start": _("When voting opens"),
    "voting_end": _("When voting closes"),
    "objection_end": _("When the objection period ends"),
}

PHASES = {
    "draft": _("Drafting phase"),
    "review": _("Review phase"),
    "notice": _("Notice phase"),
    "voting": _("Voting phase"),
    "counting": _("Counting and objections phase"),
    "disclosed": _("Results disclosed phase"),
    "ended": _("Ended phase"),
}


def groups(kind):
    """[(group id, title, [permission])] of the permissions ``kind`` has, empty groups left out."""
    held = set(defs.PERMISSIONS[kind])
    found = [(gid, title, [p for p in permissions if p in held]) for gid, title, permissions in PERMISSION_GROUPS]
    return [group for group in found if group[2]]


def state_title(definition, state, lang):
    """A state's title in ``lang`` ("zh" or "en"), falling back to the other and then the id."""
    title = definition["states"].get(state, {}).get("title", {})
    return title.get(lang) or title.get("zh" if lang == "en" else "en") or state


def transition_title(transition, tid, lang):
    title = transition.get("title", {})
    return title.get(lang) or title.get("zh" if lang == "en" else "en") or tid
