"""Wiring notifications: the evolve steps, the subscribers that fill the queue, the channels,
and the record of the first opening of a ballot by a bound owner."""
from pyramid.traversal import find_root

from portal import clock, evolve
from portal.notify import queue
from portal.notify.models import Notifications


@evolve.step("0014-notifications")
def add_notifications(portal):
    if getattr(portal, "notifications", None) is None:
        portal.notifications = Notifications()


@evolve.step("0035-notification-ids")
def mark_legacy_ids(portal):
    """Messages queued before now have ids of the old form: look them up too (``queue.enqueue``)."""
    store = getattr(portal, "notifications", None)
    if store is not None and next(iter(store.messages), None) is not None:
        store.legacy_ids = True


@evolve.step("0039-notification-occurrences")
def add_occurrences(portal):
    """Events are queued as one occurrence each (``queue.enqueue``); the messages queued one by
    one until now stay as they are and are sent as before (``drain.Batch.take_one``).  The keys of
    first openings are made when the notice is queued only: every published ballot gets them now."""
    from BTrees.OOBTree import OOBTree

    from pyramid.traversal import resource_path

    from portal.catalog import query
    from portal.notify import recipients

    store = getattr(portal, "notifications", None)
    if store is None:
        return
    if getattr(store, "occurrences", None) is None:
        store.occurrences = OOBTree()
    for ballot in query.objects(portal, type_name="Ballot"):     # openings are keyed at the notice now
        if ballot.electorate is not None:
            queue.seed_openings(store, resource_path(ballot), recipients.groups(ballot.electorate))


@evolve.step("0043-scattered-occurrences")
def scatter_occurrences(portal):
    """The occurrence records in a tree of small buckets (``portal.trees``)."""
    from portal.trees import ScatteredOOBTree, rebucketed

    store = getattr(portal, "notifications", None)
    if store is not None and getattr(store, "occurrences", None) is not None:
        store.occurrences = rebucketed(store.occurrences, ScatteredOOBTree)


def state_changed(event, ballot):
    """Queue the transition's messages just before its transaction commits: in the same
    transaction, once the phase's own effects (the electorate frozen at the notice) are done."""
    definition = ballot.definition()
    state = event.entry["to"]
    phase = definition["states"][state]["phase"]
    portal = find_root(ballot)
    portal._p_jar.transaction_manager.get().addBeforeCommitHook(
        queue.entered_phase, (portal, ballot, state, phase, event.entry["when"]))


def ballot_modified(event, ballot):
    """An approved extension is published (``ballots.action_views`` says so with ``extension``)."""
    if "extension" in event.names and ballot.extension and ballot.extension.get("approved_at"):
        queue.extension_published(find_root(ballot), ballot, event.when or clock.now())


def record_opening(event):
    """The first time a bound owner of a group opens the ballot (reads its notice or its page:
    a GET; the vote that follows is not an opening, and the vote path stays as short as it can).

    Cheap: one look at the account's bindings; a write only the first time, and to a key made
    when the notice was queued (so it merges with other owners' first openings)."""
    from portal.ballots.models import Ballot

    request = event.request
    ballot = request.context
    if request.method not in ("GET", "HEAD") or not isinstance(ballot, Ballot) or ballot.electorate is None:
        return
    account = request.identity
    if account is None or getattr(account, "kind", "") != "owner":
        return
    store = getattr(request.portal, "notifications", None)
    box = ballot.box
    if store is None or box is None:
        return
    from pyramid.traversal import resource_path

    from portal.voting.service import voter_units

    path = resource_path(ballot)
    for group in box.owners_for_units(voter_units(ballot, account.uid)):
        if store.opened.get((path, group), 0) is None:
            store.opened[(path, group)] = clock.now()


def objection_answered(event, ballot):
    """An answer to an objection is told to its filer (a legal notice: reminders off or not)."""
    from portal.notify import queue

    queue.objection_answered(find_root(ballot), ballot, event.objection, event.when)


def includeme(config):
    from pyramid.events import ContextFound

    from portal.ballots.models import Ballot
    from portal.events import ObjectModified, StateChanged
    from portal.notify.channels import make_channels

    from portal.objections.models import ObjectionAnswered

    config.add_subscriber(state_changed, (StateChanged, Ballot))
    config.add_subscriber(objection_answered, (ObjectionAnswered, Ballot))
    config.add_subscriber(ballot_modified, (ObjectModified, Ballot))
    config.add_subscriber(record_opening, ContextFound)
    config.registry.notify_channels = make_channels(config.registry.settings, config.registry)
    config.add_periodic_job("messages", drain_job)


def drain_job(conn, registry, batches=10):
    """The scheduler's (and portal-tick's) share of the queue: at most ``batches`` batches a run,
    so a run ends in good time; ``portal-notify --loop`` is the worker for a large backlog."""
    from portal.bootstrap import ROOT_KEY
    from portal.catalog.due import portal_now
    from portal.notify.drain import drain

    settings = registry.settings
    conn.transaction_manager.begin()
    try:
        portal = conn.root()[ROOT_KEY]
        now = portal_now(portal, settings)
    finally:
        conn.transaction_manager.abort()
    counts = drain(portal, now, registry.notify_channels, 100, personal=registry.personal_data,
                   base_url=settings.get("portal.public_url", ""), max_batches=batches)
    return {name: counts[name] for name in ("sent", "accepted", "refused")}
