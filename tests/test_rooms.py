"""Room-number lists: their windows at the edges, who may see them, and what they hold."""
import datetime

import pytest

from portal import clock
from portal.ballots.rules import midnight
from tests.conftest import browser, token_for

BALLOT = "/tianhe/shipai/mingyuan/ballots/b2"


def dates(portal_in):
    with portal_in() as portal:
        ballot = portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"]
        return ballot.start_date, ballot.end_date


def client_for(app, login):
    client = browser(app)
    return client, {"Accept": "application/json", "Authorization": "Bearer " + token_for(client, login)}


def at(day, hour=12):
    return midnight(day) + datetime.timedelta(hours=hour)


@pytest.mark.parametrize("offset, ok", [(-1, True), (0, True), (1, False)])
def test_the_unbound_list_until_the_day_voting_starts(app, portal_in, offset, ok):
    start, _end = dates(portal_in)
    clock.set_now(at(start + datetime.timedelta(days=offset)))
    client, headers = client_for(app, "street")
    res = client.get(BALLOT + "/@rooms", {"list": "unbound"}, headers=headers, status="*")
    assert (res.status_int == 200) is ok, res.text[:200]
    if not ok:
        assert "此名单可查看至" in res.json["message"]


@pytest.mark.parametrize("offset, ok", [(-3, False), (-2, True), (0, True), (1, False)])
def test_the_unvoted_list_from_the_third_day_before_the_deadline(app, portal_in, offset, ok):
    _start, end = dates(portal_in)
    clock.set_now(at(end + datetime.timedelta(days=offset)))
    client, headers = client_for(app, "street")
    res = client.get(BALLOT + "/@rooms", {"list": "unvoted"}, headers=headers, status="*")
    assert (res.status_int == 200) is ok
    if offset == -3:
        assert "此名单将于" in res.json["message"]


def test_the_lists_hold_room_numbers_only(app, portal_in):
    start, _end = dates(portal_in)
    clock.set_now(at(start))
    client, headers = client_for(app, "street")
    rooms = client.get(BALLOT + "/@rooms", {"list": "unbound"}, headers=headers).json["rooms"]
    with portal_in() as portal:
        register = portal["tianhe"]["shipai"]["mingyuan"]["register"]
        personal = app.registry.personal_data
        names = {personal.decrypt(o.name_enc) for u in register.values() for o in u.owners}
        bound_units = {u.title for h in register.bindings for u in register.units_of(h)}
    assert rooms and not bound_units & set(rooms)
    text = str(rooms)
    assert not any(name in text for name in names)
    assert all(set(room) <= set("0123456789栋单元车库P") for room in rooms)


def test_the_organizer_sees_a_list_only_after_its_release(app, portal_in, as_role):
    start, _end = dates(portal_in)
    clock.set_now(at(start - datetime.timedelta(days=1)))
    organizer, headers = client_for(app, "organizer")
    res = organizer.get(BALLOT + "/@rooms", {"list": "unbound"}, headers=headers, status=403)
    assert "尚未向您发布" in res.json["message"]
    street = as_role("street")
    page = street.get(BALLOT + "/@rooms", {"list": "unbound"})
    assert "@rooms-release" not in "".join(f.action for f in page.forms.values())   # a link: asked first
    confirm = page.click(description="向会议组织机构发布此名单")
    assert "发布后不能撤回" in confirm.text
    assert organizer.get(BALLOT + "/@rooms", {"list": "unbound"}, headers=headers, status=403)
    [f for f in confirm.forms.values() if "@rooms-release" in f.action][0].submit().follow()
    assert organizer.get(BALLOT + "/@rooms", {"list": "unbound"}, headers=headers).json["rooms"]
    organizer.get(BALLOT + "/@rooms", {"list": "unvoted"}, headers=headers, status=403)
    other, other_headers = client_for(app, "district")
    other.get(BALLOT + "/@rooms", {"list": "unbound"}, headers=other_headers, status=403)
    with portal_in() as portal:
        actions = [e["action"] for e in portal.audit_log.under(BALLOT)]
        assert {"rooms.view", "rooms.release"} <= set(actions)
    clock.set_now(at(start + datetime.timedelta(days=1)))
    organizer, headers = client_for(app, "organizer")
    organizer.get(BALLOT + "/@rooms", {"list": "unbound"}, headers=headers, status=403)   # window over


def test_another_communitys_organizer_is_refused(app, portal_in, db):
    from portal.security import localroles
    from portal.security.accounts import Account

    with db.transaction() as conn:
        portal = conn.root()["portal"]
        account = portal.accounts.add(Account("elsewhere", "x", "elsewhere-pass"))
        localroles.grant(portal["tianhe"]["shipai"]["qiaoyuan"], account.uid, "organizer")
    start, _end = dates(portal_in)
    clock.set_now(at(start))
    client = browser(app)
    headers = {"Accept": "application/json",
               "Authorization": "Bearer " + token_for(client, "elsewhere", "elsewhere-pass")}
    client.get(BALLOT + "/@rooms", {"list": "unbound"}, headers=headers, status=403)


def test_csv_export_is_audited(app, portal_in, as_role):
    start, _end = dates(portal_in)
    clock.set_now(at(start))
    street = as_role("street")
    csv_text = street.get(BALLOT + "/@rooms.csv", {"list": "unbound"}).body.decode("utf-8-sig")
    assert csv_text.splitlines()[0] == "房号"
    with portal_in() as portal:
        assert portal.audit_log.under(BALLOT)[0]["action"] == "rooms.export"


def test_a_released_unvoted_list_is_the_snapshot_of_its_release(app, portal_in, as_role):
    """The organizer sees the rooms as the street office released them; owners who vote later
    are not revealed to the organizer through the list (issue 15)."""
    _start, end = dates(portal_in)
    clock.set_now(at(end - datetime.timedelta(days=1)))
    street, street_headers = client_for(app, "street")
    street.post(BALLOT + "/@rooms-release", {"list": "unvoted"}, headers=street_headers)
    organizer, headers = client_for(app, "organizer")
    released = organizer.get(BALLOT + "/@rooms", {"list": "unvoted"}, headers=headers).json["rooms"]
    owner, owner_headers = client_for(app, "owner1")
    owner.post_json(BALLOT + "/@vote", {"votes": {"m1": "agree", "m2": "agree", "m3": "abstain"}},
                    headers=owner_headers)
    live = street.get(BALLOT + "/@rooms", {"list": "unvoted"}, headers=street_headers).json["rooms"]
    assert len(live) < len(released)                           # staff see who is left now
    again = organizer.get(BALLOT + "/@rooms", {"list": "unvoted"}, headers=headers).json["rooms"]
    assert again == released                                   # the organizer, the release
