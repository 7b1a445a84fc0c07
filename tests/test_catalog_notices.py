"""``/@notices`` reads the catalog: for each role exactly what the old walk of every community
showed (published notices the requester may view, newest first), and in batches."""
import datetime

from pyramid.authorization import ACLHelper, Everyone

from portal import clock
from portal.ballots import lifecycle, services as ballots
from portal.content.folder import communities_under
from tests.catalog_helpers import principals

ROLES = (None, "owner1", "organizer", "street", "district", "admin")


def make_ballots(portal):
    """In mingyuan and jiangan: published notices, one withdrawn after its notice (published, but
    no longer public), one published then cancelled, drafts and approved ones never published."""
    organizer = portal.accounts.by_login("organizer").uid
    street = portal.accounts.by_login("street").uid
    made = []
    for n, (community, last) in enumerate([(("tianhe", "shipai", "mingyuan"), "publish_notice"),
                                          (("tianhe", "shipai", "mingyuan"), "withdraw"),
                                          (("tianhe", "shipai", "mingyuan"), "approve"),
                                          (("tianhe", "shipai", "mingyuan"), "cancel"),
                                          (("haizhu", "chigang", "jiangan"), "publish_notice"),
                                          (("haizhu", "chigang", "jiangan"), None)]):
        clock.advance(minutes=1)
        node = portal
        for name in community:
            node = node[name]
        start = clock.now().date() + datetime.timedelta(days=20)
        ballot = ballots.create(node["ballots"], {"title": f"公告{n}", "start_date": start,
                                                   "end_date": start + datetime.timedelta(days=3),
                                                   "matters": [{"title": "事项", "text": "全文", "category": 9}]},
                                organizer, clock.now())
        steps = {"publish_notice": ["submit", "approve", "publish_notice"], "approve": ["submit", "approve"],
                 "withdraw": ["submit", "approve", "publish_notice", "withdraw"],
                 "cancel": ["submit", "approve", "publish_notice", "cancel"], None: []}[last]
        for step in steps:
            lifecycle.fire(ballot, step, street if step in ("approve", "publish_notice", "cancel") else organizer,
                           clock.now(), comment="理由")
        made.append(ballot)
    return made


def old_walk(node, uid):
    """What /@notices showed before the catalog: every community's ballots, filtered by the ACL."""
    acl, found = ACLHelper(), []
    for community in communities_under(node):
        for ballot in community["ballots"].values():
            given = [Everyone] if uid is None else principals(ballot, uid)
            if ballot.published is not None and acl.permits(ballot, given, "view"):
                found.append(ballot)
    return [b for b in sorted(found, key=lambda b: b.published, reverse=True)]


def client_for(app_clients, login):
    anon, api = app_clients
    if login is None:
        return anon, {"Accept": "application/json"}
    return api(login)


def test_notices_show_what_the_old_walk_showed_for_each_role(anon, api, portal_in, app):
    clock.set_now(clock.now())
    with portal_in(commit=True) as portal:
        make_ballots(portal)
    for login in ROLES:
        client, headers = client_for((anon, api), login)
        for path in ("/", "/tianhe/", "/tianhe/shipai/mingyuan/", "/haizhu/"):
            with portal_in() as portal:
                node = portal
                for name in path.strip("/").split("/") if path != "/" else ():
                    node = node[name]
                uid = portal.accounts.by_login(login).uid if login else None
                want = [f"http://localhost{p}/@notice" for p in
                        ("/" + "/".join(_names(b)) for b in old_walk(node, uid))]
            got = client.get(path + "@notices", headers=headers).json
            assert [item["@id"] for item in got["items"]] == want, (login, path)
            assert got["items_total"] == len(want)


def _names(ballot):
    names = []
    while ballot.__parent__ is not None:
        names.append(ballot.__name__)
        ballot = ballot.__parent__
    return reversed(names)


def test_withdrawn_notices_are_hidden_from_the_public_and_shown_to_the_street(anon, as_role, portal_in):
    with portal_in(commit=True) as portal:
        made = make_ballots(portal)
        withdrawn, approved = made[1].title, made[2].title
    public = anon.get("/@notices").text
    assert made[0].title in public and withdrawn not in public and approved not in public
    street = as_role("street").get("/@notices").text
    assert withdrawn in street and approved not in street


def test_notices_come_in_batches(anon, portal_in):
    clock.set_now(clock.now())
    with portal_in(commit=True) as portal:
        for _ in range(4):
            make_ballots(portal)
    headers = {"Accept": "application/json"}
    everything = anon.get("/@notices", {"limit": 100}, headers=headers).json
    total = everything["items_total"]
    assert total == len(everything["items"]) >= 9
    first = anon.get("/@notices", {"limit": 4}, headers=headers).json
    assert [i["@id"] for i in first["items"]] == [i["@id"] for i in everything["items"][:4]]
    assert first["items_total"] == total
    following = anon.get(first["batching"]["next"], headers=headers).json
    assert [i["@id"] for i in following["items"]] == [i["@id"] for i in everything["items"][4:8]]
    assert following["batching"]["prev"].endswith("start=0&limit=4")
    page = anon.get("/@notices", {"limit": 4})
    assert "start=4" in page.text and "更多" in page.text


def test_bad_batch_parameters_fall_back_to_the_first_batch(anon):
    headers = {"Accept": "application/json"}
    plain = anon.get("/@notices", headers=headers).json
    for params in ({"start": "x"}, {"limit": "-3"}, {"limit": "x", "start": "-1"}, {"limit": "100000"}):
        res = anon.get("/@notices", params, headers=headers)
        assert res.status_int == 200
        assert res.json["items"][:1] == plain["items"][:1]


def test_reading_notices_catches_nothing_up(anon, portal_in):
    """The list no longer moves ballots on (the scheduler does); the ballot's own page still does."""
    with portal_in() as portal:
        opens = portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"].window()[0]
    clock.set_now(opens + datetime.timedelta(minutes=5))
    anon.get("/@notices", headers={"Accept": "application/json"})
    with portal_in() as portal:
        assert portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"].state == "notice"
    anon.get("/tianhe/shipai/mingyuan/ballots/b2")
    with portal_in() as portal:
        assert portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"].state == "voting"
