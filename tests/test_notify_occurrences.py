"""An event is queued as one occurrence (one record, one pending entry), whatever the number of
owner groups it goes to; the drain goes through the groups batch by batch from where it stopped.
Messages queued one by one, as they were until evolve 0039, are still sent."""
import datetime

from portal import clock
from portal.ballots import lifecycle
from portal.ballots.rules import midnight
from portal.notify import queue, recipients, rules
from portal.notify.drain import drain
from portal.notify.models import is_occurrence, message_id, message_of, occurrence_key, store_of
from portal.notify.setup import add_occurrences
from tests.notify_helpers import link_and_follow, opened, setup  # noqa: F401  (setup: the fixture)
from tests.test_notify_recipients import accepted_by_group, ballot_of, group_of, portal_in_for, run_drain


def decided(store, path):
    """{group: the states its messages were left in} for the ballot at ``path``."""
    found = {}
    for msg, status in store.status.items():
        if message_of(store, msg, status[5]).path == path:
            found.setdefault(status[5], []).append(status[0])
    return found


def test_a_transition_queues_one_entry_per_event_whatever_the_groups(setup):
    app, double, db = setup
    portal_in = portal_in_for(db)
    with portal_in() as portal:
        ballot = ballot_of(portal)
        start = ballot.start_date
        groups = recipients.groups(ballot.electorate)
        pending_before = set(store_of(portal).pending.keys())
    assert len(groups) > 100
    clock.set_now(midnight(start) + datetime.timedelta(hours=1))
    with portal_in(commit=True) as portal:
        lifecycle.catch_up(ballot_of(portal), clock.now())
    with portal_in() as portal:
        store = store_of(portal)
        added = set(store.pending.keys()) - pending_before
        path = "/tianhe/shipai/mingyuan/ballots/b2"
        assert {key for _due, key in added} == {occurrence_key(path, rules.VOTING, ""),
                                                occurrence_key(path, rules.DEADLINE, "")}
        assert all(is_occurrence(key) for _due, key in added)
        assert len(store.messages) == 0 and len(store.status) == 0     # nothing written a group
        assert store.waiting() == 3 * len(groups)                        # notice, voting, deadline


def test_the_drain_goes_through_an_occurrence_batch_by_batch_and_decides_each_group_once(setup):
    app, double, db = setup
    portal_in = portal_in_for(db)
    link_and_follow(app, double, portal_in, "owner1", "owner-one")
    tm, conn, portal = opened(db)
    try:
        counts = drain(portal, clock.now(), app.registry.notify_channels, batch=3,
                       personal=app.registry.personal_data, base_url="http://portal.test", max_batches=4)
    finally:
        conn.close()
    with portal_in() as portal:
        store = store_of(portal)
        path = "/tianhe/shipai/mingyuan/ballots/b2"
        key = occurrence_key(path, rules.NOTICE, "")
        [(due, cursor)] = [(k, v) for k, v in store.pending.items() if k[1] == key]
        groups = sorted(recipients.groups(ballot_of(portal).electorate))
        assert counts["batches"] == 4 and 0 < cursor[1] < len(groups)      # part way through
        assert cursor[0] == groups[cursor[1] - 1]                            # the last group looked at
        assert len(decided(store, path)) + sum(1 for k in store.pending.keys() if len(k[1]) == 24) == cursor[1]
    run_drain(app, db)
    with portal_in() as portal:
        store = store_of(portal)
        states = decided(store, path)
        assert set(states) == set(groups)                                   # every group, once
        assert all(len(s) == 1 and s[0] != rules.SENDING for s in states.values())
        assert not [k for k in store.pending.keys() if k[1].startswith(key)]
        assert store.waiting() == 0 and not store.inflight
        assert accepted_by_group(portal, rules.NOTICE)[group_of(portal, "owner1")] == [rules.WECHAT]


def test_a_deadline_reminder_an_extension_moved_waits_with_its_place(setup):
    app, double, db = setup
    portal_in = portal_in_for(db)
    link_and_follow(app, double, portal_in, "owner1", "owner-one")
    with portal_in() as portal:
        start, end = ballot_of(portal).start_date, ballot_of(portal).end_date
    clock.set_now(midnight(start) + datetime.timedelta(hours=1))
    with portal_in(commit=True) as portal:
        lifecycle.catch_up(ballot_of(portal), clock.now())
    run_drain(app, db)
    with portal_in(commit=True) as portal:
        ballot = ballot_of(portal)
        ballot.end_date = end + datetime.timedelta(days=5)              # an approved extension
        ballot.extension = {"end_date": ballot.end_date, "approved_at": clock.now()}
    reminder = midnight(end + datetime.timedelta(days=1)) - datetime.timedelta(days=3)
    clock.set_now(reminder)
    run_drain(app, db)
    path = "/tianhe/shipai/mingyuan/ballots/b2"
    key = occurrence_key(path, rules.DEADLINE, "")
    with portal_in() as portal:
        store = store_of(portal)
        [(due, value)] = [(k[0], v) for k, v in store.pending.items() if k[1] == key]
        assert due == rules.deadline_reminder_at(ballot_of(portal).window()[1]) > reminder
        assert value == ("", 0) and accepted_by_group(portal, rules.DEADLINE) == {}
    clock.set_now(due)
    run_drain(app, db)
    with portal_in() as portal:
        assert accepted_by_group(portal, rules.DEADLINE)[group_of(portal, "owner1")] == [rules.WECHAT]
        assert not [k for k in store_of(portal).pending.keys() if k[1].startswith(key)]


def as_queued_until_0039(portal):
    """Turn the store back into what it was before evolve 0039: every occurrence's messages one
    by one (a record, a "queued" status and a pending entry of 1 each), no occurrences tree."""
    store = store_of(portal)
    for (due, key), _cursor in list(store.pending.items()):
        del store.pending[(due, key)]
        for msg, message in [(m, v) for m, v in queue.queued(portal) if m.startswith(key)]:
            units = recipients.groups(ballot_of(portal).electorate)[message.group]
            store.messages[msg] = (message.path, message.event, message.occurrence, message.group, units,
                                   message.link, message.community, message.title, message.queued)
            store.status[msg] = ("queued", 0, "", "", message.queued)
            store.pending[(due, msg)] = 1
    del store.occurrences


def test_messages_queued_one_by_one_before_0039_are_sent_after_it(setup):
    app, double, db = setup
    portal_in = portal_in_for(db)
    openid = link_and_follow(app, double, portal_in, "owner1", "owner-one")
    with portal_in(commit=True) as portal:
        as_queued_until_0039(portal)
        old = dict(store_of(portal).messages)
        add_occurrences(portal)
    assert len(old) > 100
    counts = run_drain(app, db)
    with portal_in() as portal:
        store = store_of(portal)
        by_group = accepted_by_group(portal, rules.NOTICE)
        assert by_group[group_of(portal, "owner1")] == [rules.WECHAT]
        assert {store.status[m][0] for m in old} <= {rules.ACCEPTED, rules.UNREACHABLE}
        assert {g for (_p, g, m, _a) in store.log.keys()} == {v[3] for v in old.values()}
        assert store.waiting() == 0 and len(store.pending) == 0 and len(store.occurrences) == 0
        path = "/tianhe/shipai/mingyuan/ballots/b2"
        assert queue.enqueue(portal, ballot_of(portal), rules.NOTICE, clock.now()) == 0    # not queued again
        assert message_id(path, rules.NOTICE, "", group_of(portal, "owner1")) in old
    assert counts["sent"] == len(by_group) and [m["touser"] for m in double.delivered] == [openid]


def test_an_sms_waiting_for_its_turn_is_not_routed_again_each_batch(setup, monkeypatch):
    """One SMS is in flight at a time, so a notice by SMS takes a batch per message; the groups
    waiting for their turn are remembered as SMS and looked at again only when it is theirs."""
    from portal.notify import drain as draining

    app, double, db = setup
    real, routed = draining.recipients.route, []

    def counted(*args, **kwargs):
        routed.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(draining.recipients, "route", counted)
    counts = run_drain(app, db)
    portal_in = portal_in_for(db)
    with portal_in() as portal:
        groups = recipients.groups(ballot_of(portal).electorate)
        store = store_of(portal)
        by_sms = accepted_by_group(portal, rules.NOTICE)
        assert len(by_sms) == counts["sent"] == counts["batches"] > 20      # a batch per SMS
        assert len(decided(store, "/tianhe/shipai/mingyuan/ballots/b2")) == len(groups)
        assert not store.pending and store.waiting() == 0
    assert len(routed) <= 2 * len(groups)


def test_the_keys_of_first_openings_are_made_at_the_notice_and_by_the_evolve_step(setup):
    """Made when the notice is queued (the electorate is frozen then), not again by later events;
    a ballot published before they were made gets them from evolve 0039, and its openings count."""
    app, double, db = setup
    portal_in = portal_in_for(db)
    path = "/tianhe/shipai/mingyuan/ballots/b2"
    with portal_in(commit=True) as portal:
        store = store_of(portal)
        groups = set(recipients.groups(ballot_of(portal).electorate))
        keys = {g for (p, g) in store.opened.keys() if p == path}
        assert keys == groups
        for group in groups:                              # as a store from before issue 17's keys
            del store.opened[(path, group)]
        queue.enqueue(portal, ballot_of(portal), rules.CUSTOM, clock.now(), occurrence="t:1")
        assert not [k for k in store.opened.keys() if k[0] == path]       # not made by a later event
        add_occurrences(portal)
        assert {g for (p, g) in store.opened.keys() if p == path} == groups
        assert all(store.opened[(path, g)] is None for g in groups)


def test_a_batch_that_finds_nobody_to_send_to_does_not_end_the_drain(setup, monkeypatch):
    """Groups nobody can reach are decided (and listed for a visit) batch after batch; the drain
    goes on to the one reachable group behind them instead of stopping at the first batch that
    has nothing to send."""
    app, double, db = setup
    portal_in = portal_in_for(db)
    real = recipients.route
    with portal_in() as portal:
        ballot = ballot_of(portal)
        found = recipients.groups(ballot.electorate)
        register = ballot.community["register"]
        last = [g for g in sorted(found) if real(store_of(portal), register, found[g])[0] is not None][-1]
    assert sorted(found).index(last) > 20                # behind more than two batches of nobody

    def only_the_last_reachable(store, register, unit_keys, exclude_wechat=False):
        if tuple(unit_keys) == found[last]:
            return real(store, register, unit_keys, exclude_wechat)
        return None, b"", []

    monkeypatch.setattr(recipients, "route", only_the_last_reachable)
    tm, conn, portal = opened(db)
    try:
        counts = drain(portal, clock.now(), app.registry.notify_channels, batch=2,
                       personal=app.registry.personal_data, base_url="http://portal.test")
    finally:
        conn.close()
    with portal_in() as portal:
        states = decided(store_of(portal), "/tianhe/shipai/mingyuan/ballots/b2")
        assert set(states) == set(found)                                     # every group decided
        assert all(s == [rules.UNREACHABLE] for group, s in states.items() if group != last)
        assert states[last] == [rules.ACCEPTED] and counts["sent"] == 1
