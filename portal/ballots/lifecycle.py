"""What the ballot workflow's guards, timers and phases mean (no Pyramid here)."""
from portal.ballots import rules
from portal.ballots.models import Electorate
from portal.i18n import _
from portal.register.models import natural
from portal.workflow import engine


def _notice(ballot, now, comment):
    return rules.notice_problem(now, ballot.start_date, ballot.notice_days)


def _window(ballot, now, comment):
    return rules.window_problem(ballot.start_date, ballot.end_date)


def _comment(ballot, now, comment):
    return None if (comment or "").strip() else _("Give the reason in the comment.")


def _objection_over(ballot, now, comment):
    ends = rules.objection_ends(ballot.history[-1]["when"], ballot.objection_days)
    if now < ends:
        return _("The objection period lasts until ${when}.", mapping={"when": rules.local_date(ends).isoformat()})
    return None


def _candidates(ballot, now, comment):
    from portal.ballots.candidates import confirmation_problem

    return confirmation_problem(ballot)


def _objections_decided(ballot, now, comment):
    from portal.objections.rules import undecided_problem
    from portal.objections.service import objections_of

    return undecided_problem(objections_of(ballot).values())


def _objection_upheld(ballot, now, comment):
    from portal.objections.service import upheld

    return None if upheld(ballot) else _("Preliminary results are published again only after an objection "
                                         "was upheld and the count corrected.")


ROOMS_NAMED = 20       # a refusal names this many rooms, then says how many more


def _areas(ballot, now, comment):
    """The guard of publishing: every unit in the ballot's scope that counts has an area."""
    from portal.register.rules import without_area

    units = units_in_scope(ballot)
    titles = {unit.__name__: unit.title for unit in units}
    missing = [titles[key] for key in without_area([u.facts() for u in units], bool(ballot.community.parking_counts))]
    if not missing:
        return None
    rooms = "、".join(missing[:ROOMS_NAMED]) + (f" (+{len(missing) - ROOMS_NAMED})" if len(missing) > ROOMS_NAMED else "")
    return _("These units have no area in the register yet, so the totals would be wrong; enter their areas "
             "first: ${rooms}.", mapping={"rooms": rooms})


GUARDS = {"notice_period": _notice, "window_limit": _window, "comment_required": _comment,
          "objection_period_over": _objection_over, "candidates_confirmed": _candidates,
          "objections_decided": _objections_decided, "objection_upheld": _objection_upheld,
          "areas_complete": _areas}

TIMERS = {
    "voting_start": lambda ballot: ballot.window()[0],
    "voting_end": lambda ballot: ballot.window()[1],
    "objection_end": lambda ballot: rules.objection_ends(ballot.history[-1]["when"], ballot.objection_days),
}


def units_in_scope(ballot):
    """The register's units the ballot is about (its buildings, or the whole community)."""
    scope = set(ballot.scope)
    return [unit for unit in ballot.community["register"].values() if not scope or unit.building in scope]


def freeze_electorate(ballot, now):
    units = [unit.facts() for unit in units_in_scope(ballot)]
    ballot.electorate = Electorate(units, bool(ballot.community.parking_counts), now)


def entered(ballot, phase, entry):
    """Effects of entering a phase: publishing the notice freezes matters and electorate."""
    if phase == "notice" and ballot.electorate is None:
        ballot.published = entry["when"]
        freeze_electorate(ballot, entry["when"])
        from portal.voting.service import box_of

        box_of(ballot)
        ballot.notices = tuple(ballot.notices) + ({"kind": "notice", "when": entry["when"]},)


def fire(ballot, transition_id, who, now, comment="", can=None):
    definition = ballot.definition()
    entry = engine.fire(definition, ballot, transition_id, who, now, comment, GUARDS, can)
    entered(ballot, definition["states"][ballot.state]["phase"], entry)
    return entry


def catch_up(ballot, now):
    """Bring the ballot up to date with the clock (idempotent); the entries it made."""
    return engine.catch_up(ballot.definition(), ballot, now, TIMERS, GUARDS, entered)


def parts_read(ballot):
    """What a ballot's catch-up reads besides the ballot: its frozen electorate (the messages of
    the phase entered are queued for its owner groups), asked for with a batch's others by the tick."""
    return (ballot.electorate,) if ballot.electorate is not None else ()


def buildings(register):
    """The building names of a register, in natural order (for choosing a ballot's scope)."""
    return sorted({unit.building for unit in register.values()}, key=natural)


def extension_problem(ballot, new_last_day):
    if new_last_day <= ballot.end_date:
        return _("The new last day must be after the current one.")
    return rules.window_problem(ballot.start_date, new_last_day)


def rules_documents(community):
    """(id, title) of the community's filed rules of procedure, for a ballot to rely on."""
    return [(doc_id, f"{d.title} ({d.filing_number})") for doc_id, d in community["documents"].items()
            if d.doc_type == "rules_of_procedure"]
