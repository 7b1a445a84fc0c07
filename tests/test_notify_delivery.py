"""Proof of delivery: the figures equal a recount of what the channels received, the first
opening is recorded, the unreached rooms follow the release lists' access rules, street staff's
reminders are approved templates only and audited, and owners turn reminders off and on."""
import datetime


from portal import clock
from portal.ballots.rules import midnight
from portal.binding.messages import OutboxSender
from portal.notify import recipients
from portal.notify.models import store_of
from tests.conftest import browser, sign_in, token_for
from tests.notify_helpers import setup, link_and_follow  # noqa: F401  (setup: the fixture)
from tests.test_notify_recipients import ballot_of, portal_in_for, run_drain

BALLOT = "/tianhe/shipai/mingyuan/ballots/b2"


def client_for(app, login):
    client = browser(app)
    return client, {"Accept": "application/json", "Authorization": "Bearer " + token_for(client, login)}


def test_the_figures_equal_a_recount_and_the_first_opening_is_kept(setup):
    app, double, db = setup
    portal_in = portal_in_for(db)
    link_and_follow(app, double, portal_in, "owner1", "owner-one")
    run_drain(app, db)
    owner = browser(app)
    sign_in(owner, "owner1")
    owner.get(BALLOT)
    owner.get(BALLOT)                                           # the first opening is what counts
    client, headers = client_for(app, "street")
    data = client.get(BALLOT + "/@delivery", headers=headers).json
    figures = data["figures"]
    outbox = OutboxSender(app.registry.settings["portal.outbox_file"]).messages()
    received = len(double.delivered) + len(outbox)
    personal = app.registry.personal_data
    with portal_in() as portal:
        ballot = ballot_of(portal)
        groups = recipients.groups(ballot.electorate)
        store = store_of(portal)
        opened = [v for (p, g), v in store.opened.items() if p == BALLOT and v is not None]
        register = ballot.community["register"]
        phones = {m["to"] for m in outbox}
        owner1 = portal.accounts.by_login("owner1").uid
        reached = set()                                              # recounted from what the channels got
        for group, keys in groups.items():
            owners = [o for k in keys for o in register.get(k).owners]
            if any(personal.decrypt(o.phone_enc) in phones for o in owners if o.phone_enc) \
                    or any(register.bindings.get(o.id_hash, {}).get("uid") == owner1 for o in owners):
                reached.add(group)
        unreached = sorted(register.get(k).title for g, keys in groups.items() if g not in reached for k in keys)
    assert figures["total"]["owners"] == len(groups)
    assert figures["accepted"]["owners"] == received == len(reached)     # one notice per group reached
    assert figures["sent"]["owners"] == received                      # every route tried was accepted
    assert figures["opened"]["owners"] == len(opened) == 1
    assert figures["answers"]["notice/wechat/accepted"] == len(double.delivered) == 1
    assert sorted(data["unreached_rooms"]) == unreached


def test_the_unreached_rooms_follow_the_release_lists_rules(setup):
    app, double, db = setup
    run_drain(app, db)
    street, s_headers = client_for(app, "street")
    assert street.get(BALLOT + "/@delivery", headers=s_headers).json["unreached_rooms"]
    organizer, o_headers = client_for(app, "organizer")
    seen = organizer.get(BALLOT + "/@delivery", headers=o_headers).json
    assert seen["unreached_rooms"] is None and seen["figures"]["total"]["owners"] > 0
    owner, w_headers = client_for(app, "owner1")
    assert owner.get(BALLOT + "/@delivery", headers=w_headers, status=403).json["message"]
    anon = browser(app)
    assert anon.get(BALLOT + "/@delivery", headers={"Accept": "application/json"}, status=403)
    page = browser(app)
    sign_in(page, "street")
    html = page.get(BALLOT + "/@delivery").text
    assert "未送达的房号" in html and "送达" in html
    with portal_in_for(db)() as portal:
        entries = [e for e in portal.audit_log.entries() if e["action"] == "delivery.rooms"]
    assert entries and all(set(e["detail"]) == {"count"} for e in entries)


def test_street_staff_send_an_approved_reminder_to_those_who_have_not_voted(setup):
    app, double, db = setup
    portal_in = portal_in_for(db)
    street, headers = client_for(app, "street")
    early = street.post_json(BALLOT + "/@remind", {"template": "last_days"}, headers=headers, status=409)
    assert "投票期间" in early.json["message"]
    with portal_in() as portal:
        start = ballot_of(portal).start_date
    clock.set_now(midnight(start) + datetime.timedelta(hours=2))
    street, headers = client_for(app, "street")                        # a token of that day
    street.get(BALLOT, headers=headers)                                # voting opens on read
    bad = street.post_json(BALLOT + "/@remind", {"template": "任意文字"}, headers=headers, status=400)
    assert bad.json["errors"]
    queued = street.post_json(BALLOT + "/@remind", {"template": "last_days"}, headers=headers).json["queued"]
    again = street.post_json(BALLOT + "/@remind", {"template": "last_days"}, headers=headers).json["queued"]
    with portal_in() as portal:
        ballot = ballot_of(portal)
        assert queued == len(recipients.groups(ballot.electorate)) and again == 0   # once a day
        entries = [e["detail"] for e in portal.audit_log.entries() if e["action"] == "notify.remind"]
    assert entries == [{"template": "last_days", "count": str(queued)}, {"template": "last_days", "count": "0"}]
    organizer, o_headers = client_for(app, "organizer")
    organizer.post_json(BALLOT + "/@remind", {"template": "last_days"}, headers=o_headers, status=403)


def test_owners_turn_reminders_off_and_on_from_my_page(setup):
    app, double, db = setup
    owner = browser(app)
    sign_in(owner, "owner2")
    my = owner.get("/@my")
    assert "/@reminders" in my.text
    form = owner.get("/@reminders").forms["reminders"]
    form["reminders"] = "off"
    form.submit().follow()
    with portal_in_for(db)() as portal:
        assert portal.accounts.by_login("owner2").uid in store_of(portal).optout
    form = owner.get("/@reminders").forms["reminders"]
    assert form["reminders"].value == "off"
    form["reminders"] = "on"
    form.submit()
    with portal_in_for(db)() as portal:
        assert portal.accounts.by_login("owner2").uid not in store_of(portal).optout
    api, headers = client_for(app, "owner2")
    assert api.post_json("/@reminders", {"reminders": "maybe"}, headers=headers, status=400).json["errors"]
    assert api.post_json("/@reminders", {"reminders": "off"}, headers=headers).json["reminders"] == "off"


def test_reading_the_ballot_is_an_opening_voting_on_it_is_not(setup):
    """The first opening is recorded when a bound owner reads the ballot; the vote request itself
    touches nothing of the notification store (the vote path stays short)."""
    from portal.voting import service

    app, double, db = setup
    portal_in = portal_in_for(db)
    clock.set_now(clock.now())
    with portal_in() as portal:
        ballot = ballot_of(portal)
        opens = ballot.window()[0]
        group = service.box_of(ballot).owners_for_units(
            service.voter_units(ballot, portal.accounts.by_login("owner1").uid))[0]
    clock.set_now(opens)
    client, headers = client_for(app, "owner1")
    with portal_in() as portal:
        choices = {m["id"]: "agree" for m in ballot_of(portal).matters}
    assert client.post_json(BALLOT + "/@vote", {"votes": choices}, headers=headers).json["receipt"]
    with portal_in() as portal:
        assert service.box_of(ballot_of(portal)).has_voted(group)
        assert store_of(portal).opened[(BALLOT, group)] is None
    client.get(BALLOT, headers=headers)
    with portal_in() as portal:
        assert store_of(portal).opened[(BALLOT, group)] == clock.now()
