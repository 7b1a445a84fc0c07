"""Filling the queue, in the transaction of the event itself (no Pyramid here).

One message per owner group of the ballot's frozen electorate and per event occurrence; the
message id is made of hashes of (ballot, event, occurrence) and of the group, so queueing the same occurrence twice
(a retried request, a second click) adds nothing.  Who is reached and how is decided when the
message is taken for sending, from the facts of that moment (voted? reminders off? following the
official account?), so a reminder queued at voting start for three days before the deadline goes
only to those who still have not voted then.
"""
from pyramid.traversal import resource_path

from portal.notify import recipients, rules
from portal.notify.models import legacy_message_id, message_id, store_of


def enqueue(portal, ballot, event, now, occurrence="", due=None, only=None):
    """Queue ``event`` for every owner group of ``ballot`` (or the groups in ``only``); return
    how many messages were new."""
    if ballot.electorate is None:
        return 0
    store = store_of(portal)
    path = resource_path(ballot)
    community = ballot.community
    added = 0
    for group, units in recipients.groups(ballot.electorate).items():
        if only is not None and group not in only:
            continue
        msg = message_id(path, event, occurrence, group)
        if msg in store.messages or (
                store.legacy_ids and legacy_message_id(path, event, occurrence, group) in store.messages):
            continue
        store.messages[msg] = (path, event, occurrence, group, units, path, community.title,
                               ballot.title, now)
        store.status[msg] = ("queued", 0, "", "", now)
        store.pending[(due or now, msg)] = 1
        if (path, group) not in store.opened:
            store.opened[(path, group)] = None
        added += 1
    if added:
        store.waiting.change(added)
    return added


def unvoted_groups(ballot):
    from portal.voting.service import box_of

    box = box_of(ballot)
    return {group for group in recipients.groups(ballot.electorate) if not box.has_voted(group)}


def entered_phase(portal, ballot, state, phase, now):
    """The events a ballot's transition into ``state`` (of ``phase``) sends."""
    if phase == "notice":
        enqueue(portal, ballot, rules.NOTICE, now)
    elif phase == "voting":
        enqueue(portal, ballot, rules.VOTING, now)
        closes = ballot.window()[1]
        enqueue(portal, ballot, rules.DEADLINE, now, due=max(now, rules.deadline_reminder_at(closes)))
    elif phase == "counting" and state == "preliminary":
        enqueue(portal, ballot, rules.PRELIMINARY, now, occurrence=now.isoformat())
    elif phase == "disclosed":
        enqueue(portal, ballot, rules.FINAL, now)


def objection_answered(portal, ballot, objection, now):
    """The answer (or the decision) on an objection, told to the owner groups of its filer only."""
    from portal.voting.service import box_of, voter_units

    box = box_of(ballot)
    groups = set(box.owners_for_units(voter_units(ballot, objection.filer))) if box is not None else set()
    if groups:
        enqueue(portal, ballot, rules.ANSWER, now, occurrence=f"{objection.number}:{len(objection.answers)}",
                only=groups)


def extension_published(portal, ballot, now):
    enqueue(portal, ballot, rules.EXTENSION, now, occurrence=ballot.end_date.isoformat())


def custom_reminder(portal, ballot, template, now):
    """Street staff's reminder (an approved template) to the groups that have not voted; one a
    day per template."""
    occurrence = f"{template}:{now.date().isoformat()}"
    return enqueue(portal, ballot, rules.CUSTOM, now, occurrence=occurrence, only=unvoted_groups(ballot))
