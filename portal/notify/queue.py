"""Filling the queue, in the transaction of the event itself (no Pyramid here).

One record per event occurrence of a ballot (``Occurrence``), whatever the number of owner groups
it goes to, and one pending entry for it: the drain goes through the groups of the frozen
electorate (or those in ``only``) when it takes it.  So a transition writes a few entries, not
three per owner group, and a city's voting opening on one morning costs each ballot's transaction
next to nothing.  The occurrence key is a hash of (ballot, event, occurrence), so queueing the same
occurrence twice (a retried request, a second click) adds nothing.  Who is reached and how is
decided when the message is taken for sending, from the facts of that moment (voted? reminders
off? following the official account?), so a reminder queued at voting start for three days
before the deadline goes only to those who still have not voted then.
"""
from pyramid.traversal import find_resource, resource_path

from portal.notify import recipients, rules
from portal.notify.models import (
    Occurrence, legacy_message_id, message_id, occurrence_key, queued_alone, store_of)


def enqueue(portal, ballot, event, now, occurrence="", due=None, only=None):
    """Queue ``event`` for every owner group of ``ballot`` (or the groups in ``only``); return
    how many messages were new."""
    if ballot.electorate is None:
        return 0
    store = store_of(portal)
    path = resource_path(ballot)
    key = occurrence_key(path, event, occurrence)
    if key in store.occurrences:
        return 0
    if only is None and event != rules.NOTICE and not queued_one_by_one(store, key):
        named, count = None, ballot.electorate.totals.owners    # every group: the drain finds them
    else:
        every = sorted(recipients.groups(ballot.electorate))
        chosen = [group for group in every if only is None or group in only]
        chosen = not_queued_before(store, path, event, occurrence, key, chosen)
        named, count = (None if chosen == every else tuple(chosen)), len(chosen)
        if event == rules.NOTICE:           # the electorate was frozen by this very transition
            seed_openings(store, path, chosen)
    if not count:
        return 0
    store.occurrences[key] = tuple(Occurrence(
        path, event, occurrence, path, ballot.community.title, ballot.title, now, named, count))
    store.pending[(due or now, key)] = ("", 0)
    store.waiting.change(count)
    return count


def seed_openings(store, path, groups):
    """Make the key of each group's first opening of the ballot at ``path`` (None until then), so
    that owners opening it at once update keys and never split a bucket (``record_opening``).
    Done when the notice is queued: the electorate is frozen then and never changes after."""
    for group in groups:
        if (path, group) not in store.opened:
            store.opened[(path, group)] = None


def queued_one_by_one(store, key):
    """May messages of the occurrence ``key`` have been queued one by one (until evolve 0039)?"""
    return bool(store.legacy_ids) or next(iter(store.messages.keys(min=key, max=key + "g")), None) is not None


def not_queued_before(store, path, event, occurrence, key, groups):
    """``groups`` but those with a message of this occurrence queued one by one, as messages were
    until evolve 0039 (under either form of id)."""
    if not queued_one_by_one(store, key):
        return groups
    earlier = set(store.messages.keys(min=key, max=key + "g"))

    def queued_before(group):
        return message_id(path, event, occurrence, group) in earlier or (
            store.legacy_ids and legacy_message_id(path, event, occurrence, group) in store.messages)

    return [group for group in groups if not queued_before(group)]


def occurrence_groups(occurrence, found):
    """[(group, unit keys)] of an occurrence, in the order the drain goes through them, from the
    groups ``found`` in its ballot's electorate (``recipients.groups``)."""
    names = occurrence.only if occurrence.only is not None else found
    return [(group, found[group]) for group in sorted(names) if group in found]


def queued(portal):
    """Every message queued, as (message id, Message): the groups of each occurrence (its ballot's
    electorate says who they are), then the messages queued one by one (until evolve 0039)."""
    store = store_of(portal)
    for key, value in store.occurrences.items():
        found = Occurrence(*value)
        try:
            ballot = find_resource(portal, found.path)
        except KeyError:
            continue
        for group, _units in occurrence_groups(found, recipients.groups(ballot.electorate)):
            yield message_id(found.path, found.event, found.occurrence, group), found.message(group)
    for msg, value in store.messages.items():
        yield msg, queued_alone(value)


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
