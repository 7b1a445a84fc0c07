"""Each event reaches exactly the right owner groups once: by scope, bound or not, voted or
not, reminders on or off; WeChat where the linked account follows, else SMS, else unreachable."""
import datetime


from portal import clock
from portal.ballots import lifecycle
from portal.ballots.rules import midnight
from portal.binding.messages import OutboxSender
from portal.notify import queue, recipients, rules
from portal.notify.drain import drain
from portal.notify.models import message_of, store_of
from portal.voting import service
from tests.notify_helpers import setup, link_and_follow, opened  # noqa: F401  (setup: the fixture)

MINGYUAN = ("tianhe", "shipai", "mingyuan")


def portal_in_for(db):
    from contextlib import contextmanager

    import transaction

    from portal.bootstrap import ROOT_KEY

    @contextmanager
    def opened_portal(commit=False):
        tm = transaction.TransactionManager()
        conn = db.open(tm)
        try:
            with tm:
                yield conn.root()[ROOT_KEY]
                if not commit:
                    tm.abort()
        finally:
            conn.close()

    return opened_portal


def ballot_of(portal):
    community = portal[MINGYUAN[0]][MINGYUAN[1]][MINGYUAN[2]]
    return community["ballots"]["b2"]


def run_drain(app, db):
    tm, conn, portal = opened(db)
    try:
        return drain(portal, clock.now(), app.registry.notify_channels, batch=50,
                     personal=app.registry.personal_data, base_url="http://portal.test", lease=0)
    finally:
        conn.close()


def accepted_by_group(portal, event):
    store = store_of(portal)
    found = {}
    for (path, group, _msg, _attempt), (ev, channel, _when, outcome, _code) in store.log.items():
        if ev == event and outcome == rules.ACCEPTED:
            found.setdefault(group, []).append(channel)
    return found


def group_of(portal, login):
    ballot = ballot_of(portal)
    account = portal.accounts.by_login(login)
    return service.box_of(ballot).owners_for_units(service.voter_units(ballot, account.uid))[0]


def test_the_notice_reaches_every_group_in_scope_once_by_the_right_channel(setup):
    app, double, db = setup
    portal_in = portal_in_for(db)
    openid = link_and_follow(app, double, portal_in, "owner1", "owner-one")
    counts = run_drain(app, db)
    outbox = OutboxSender(app.registry.settings["portal.outbox_file"]).messages()
    with portal_in() as portal:
        ballot = ballot_of(portal)
        groups = recipients.groups(ballot.electorate)
        store = store_of(portal)
        by_group = accepted_by_group(portal, rules.NOTICE)
        owner1, owner2 = group_of(portal, "owner1"), group_of(portal, "owner2")
        register = ballot.community["register"]
        with_phone = {g for g, units in groups.items()
                      if any(o.phone_enc for k in units for o in register.get(k).owners)}
        unreachable = {g for (_p, g, _m, _a), v in store.log.items() if v[3] == rules.UNREACHABLE}
        assert store.waiting() == 0
    assert counts["sent"] == len(by_group)
    assert by_group[owner1] == [rules.WECHAT]                       # linked and following
    assert by_group[owner2] == [rules.SMS]                          # bound, no WeChat: the register's phone
    assert set(by_group) == (with_phone | {owner1})                 # every reachable group, once
    assert all(len(channels) == 1 for channels in by_group.values())
    assert unreachable == set(groups) - set(by_group)               # the rest recorded as not reached
    assert [m["touser"] for m in double.delivered] == [openid]
    assert len(outbox) == len(by_group) - 1
    assert all(m["template"] == "notify_notice" for m in outbox)
    assert run_drain(app, db)["sent"] == 0                          # a second drain sends nothing


def test_the_deadline_reminder_skips_voters_and_those_who_turned_reminders_off(setup):
    app, double, db = setup
    portal_in = portal_in_for(db)
    link_and_follow(app, double, portal_in, "owner1", "owner-one")
    with portal_in(commit=True) as portal:
        ballot = ballot_of(portal)
        start, end = ballot.start_date, ballot.end_date
        store_of(portal).optout[portal.accounts.by_login("owner2").uid] = clock.now()
    clock.set_now(midnight(start) + datetime.timedelta(hours=1))
    with portal_in(commit=True) as portal:
        ballot = ballot_of(portal)
        lifecycle.catch_up(ballot, clock.now())
        assert ballot.phase() == "voting"
        uid3 = portal.accounts.by_login("owner3").uid
        service.vote(ballot, uid3, {m["id"]: "agree" for m in ballot.matters}, clock.now())
    run_drain(app, db)                      # the notice and "voting opens"; the reminder is not due
    with portal_in() as portal:
        owners = {login: group_of(portal, login) for login in ("owner1", "owner2", "owner3")}
        assert set(owners.values()) <= set(accepted_by_group(portal, rules.VOTING))
        assert accepted_by_group(portal, rules.DEADLINE) == {}
    clock.set_now(midnight(end + datetime.timedelta(days=1)) - datetime.timedelta(days=3))
    run_drain(app, db)
    with portal_in() as portal:
        reminded = accepted_by_group(portal, rules.DEADLINE)
        store = store_of(portal)
        decided = [(message_of(store, m, s[5]), s) for m, s in store.status.items()]
        skipped = {message.group for message, s in decided if s[0] == rules.SKIPPED and message.event == rules.DEADLINE}
    assert reminded[owners["owner1"]] == [rules.WECHAT]
    assert owners["owner2"] not in reminded and owners["owner2"] in skipped    # reminders off
    assert owners["owner3"] not in reminded and owners["owner3"] in skipped    # has voted
    assert all(len(c) == 1 for c in reminded.values())


def test_legal_notices_go_out_even_with_reminders_off(setup):
    app, double, db = setup
    portal_in = portal_in_for(db)
    with portal_in(commit=True) as portal:
        store_of(portal).optout[portal.accounts.by_login("owner2").uid] = clock.now()
    run_drain(app, db)
    with portal_in() as portal:
        assert accepted_by_group(portal, rules.NOTICE)[group_of(portal, "owner2")] == [rules.SMS]


def test_an_unfollowed_owner_falls_back_to_sms(setup):
    app, double, db = setup
    portal_in = portal_in_for(db)
    openid = link_and_follow(app, double, portal_in, "owner1", "owner-one")
    double.follow(openid, False)                # unfollowed at WeChat; the portal has not heard yet
    run_drain(app, db)
    with portal_in() as portal:
        store = store_of(portal)
        group = group_of(portal, "owner1")
        entries = [v for (p, g, m, a), v in store.log.items() if g == group and v[0] == rules.NOTICE]
    assert [(e[1], e[3], e[4]) for e in entries] == [
        (rules.WECHAT, rules.REFUSED, str(rules.WECHAT_UNFOLLOWED)), (rules.SMS, rules.ACCEPTED, "")]
    assert double.delivered == []


def test_token_expiry_mid_batch_refreshes_and_goes_on(setup):
    app, double, db = setup
    portal_in = portal_in_for(db)
    openids = [link_and_follow(app, double, portal_in, login, login) for login in ("owner1", "owner2", "owner3")]
    channel = app.registry.notify_channels[rules.WECHAT]
    original = channel.send
    sent = []

    def expiring(openid, message):              # the token expires after the first message
        if len(sent) == 1:
            double.expire_tokens()
        sent.append(openid)
        return original(openid, message)

    channel.send = expiring
    run_drain(app, db)
    assert sorted(m["touser"] for m in double.delivered) == sorted(openids)
    assert double.token_fetches == 2                                   # fetched, then refreshed once


def test_an_extension_is_announced_once(setup):
    app, double, db = setup
    portal_in = portal_in_for(db)
    from portal.events import ObjectModified, notify

    with portal_in(commit=True) as portal:
        ballot = ballot_of(portal)
        ballot.extension = {"end_date": ballot.end_date, "approved_at": clock.now()}
        notify(ObjectModified(ballot, names=("end_date", "extension"), when=clock.now()))
        notify(ObjectModified(ballot, names=("end_date", "extension"), when=clock.now()))
    with portal_in() as portal:
        store = store_of(portal)
        extension = [m for m, v in queue.queued(portal) if v.event == rules.EXTENSION]
        assert len(extension) == len(recipients.groups(ballot_of(portal).electorate))


def test_an_occurrence_is_one_record_and_messages_queued_one_by_one_still_count(setup):
    """An event for many owner groups is queued as one occurrence record and one pending entry
    (its messages' ids share the occurrence's key); in a store of before evolve 0039, a message
    queued one by one under either form of id keeps its group from being queued again, and the
    other groups of the occurrence still are.  A new store never looks for legacy ids."""
    from portal.notify.models import legacy_message_id, message_id, occurrence_key
    from portal.notify.setup import mark_legacy_ids

    app, double, db = setup
    portal_in = portal_in_for(db)
    with portal_in() as portal:
        store = store_of(portal)
        ballot = ballot_of(portal)
        path = "/" + "/".join(MINGYUAN) + "/ballots/b2"
        key = occurrence_key(path, rules.NOTICE, "")
        notices = sorted(m for m, v in queue.queued(portal) if v.path == path and v.event == rules.NOTICE)
        groups = sorted(recipients.groups(ballot.electorate))
        assert len(notices) == len(groups) > 1 and not store.legacy_ids
        assert set(notices) == {message_id(path, rules.NOTICE, "", g) for g in groups}
        assert {m[:12] for m in notices} == {key} and key in store.occurrences
        assert [k for (_due, k) in store.pending.keys() if k.startswith(key)] == [key]   # one entry, not one a group
        when = clock.now()
        first, second = groups[0], groups[1]
        old = (path, "custom", "t:1", first, (), path, "c", "t", when)
        store.messages[legacy_message_id(path, "custom", "t:1", first)] = old
        store.messages[message_id(path, "custom", "t:1", second)] = old[:3] + (second,) + old[4:]
        mark_legacy_ids(portal)                         # what the evolve step does to an older store
        added = queue.enqueue(portal, ballot, "custom", when, occurrence="t:1")
        assert added == len(groups) - 2
        custom = occurrence_key(path, "custom", "t:1")
        queued = {v.group for m, v in queue.queued(portal) if m[:12] == custom and m not in store.messages}
        assert queued == set(groups) - {first, second}
        assert queue.enqueue(portal, ballot, "custom", when, occurrence="t:1") == 0


def test_an_electorates_groups_are_worked_out_once_and_never_stored(monkeypatch):
    from portal.ballots.models import Electorate
    from portal.register.rules import OwnerFacts, UnitFacts

    units = [UnitFacts("1-101", area=90, owners=(OwnerFacts("h1"),)), UnitFacts("1-102", area=80),
             UnitFacts("1-103", area=70, owners=(OwnerFacts("h1"),))]
    electorate = Electorate(units, False, datetime.datetime(2026, 12, 1, tzinfo=datetime.timezone.utc))
    calls = []
    real = recipients.owner_groups
    monkeypatch.setattr(recipients, "owner_groups", lambda *a: calls.append(a) or real(*a))
    first = recipients.groups(electorate)
    assert first == {"buyer:h1": ("1-101", "1-103"), "unit:1-102": ("1-102",)}
    assert recipients.groups(electorate) is first and len(calls) == 1
    assert "_v_groups" not in electorate.__getstate__()
    electorate.units = tuple(units[:2])             # another set of units: worked out again
    assert recipients.groups(electorate) == {"buyer:h1": ("1-101",), "unit:1-102": ("1-102",)}
    assert len(calls) == 2
