"""A unit sold during voting (issue 15.1, DOMAIN.md "The life of a ballot"): if the seller's group
voted, that vote stands for all its units and nobody votes for them again; otherwise the sold unit
becomes an owner group of its own: the buyer votes for it alone, the seller for the rest, and
the total owners grow by one."""
from portal.binding import service as binding
from portal.security.accounts import OWNER, Account
from tests.conftest import browser, token_for
from tests.test_voting import ALL_AGREE, BALLOT, owner, voting_time

COMMUNITY = ("tianhe", "shipai", "mingyuan")


def resident_id(first17):
    """A resident ID number with its ISO 7064 MOD 11-2 check digit."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights)) % 11]


def owner1_units(portal):
    community = portal[COMMUNITY[0]][COMMUNITY[1]][COMMUNITY[2]]
    uid = portal.accounts.by_login("owner1").uid
    return community, [u for h in binding.bound_identities(community["register"], uid)
                       for u in community["register"].units_of(h)]


def sell_one(app, portal_in, as_role, reason="不动产登记变更：2026年12月买卖"):
    """District staff record the sale of one of owner1's three units on its owner form; the new
    owner gets an account bound to the unit; (unit id, the unit's area, the buyer's JSON headers)."""
    with portal_in() as portal:
        _community, units = owner1_units(portal)
        assert len(units) == 3
        unit = sorted(units, key=lambda u: u.__name__)[0]
        unit_id, area, index = unit.__name__, unit.area, 0
    district = as_role("district")
    form = district.get(f"/{'/'.join(COMMUNITY)}/register/{unit_id}/@owner", {"i": index}).forms["form"]
    form["name"] = "新业主甲"
    form["id_type"] = "resident_id"
    form["id_number"] = resident_id("11010119900307777")
    if reason is None:
        return unit_id, area, form
    form["reason"] = reason
    form.submit("save", status=302)
    with portal_in(commit=True) as portal:
        community = portal[COMMUNITY[0]][COMMUNITY[1]][COMMUNITY[2]]
        register = community["register"]
        buyer = portal.accounts.add(Account("buyer", "新业主", "buyer-demo-password", kind=OWNER))
        id_hash = register[unit_id].owners[index].id_hash
        binding.bind(community, buyer, id_hash, "code", register.updated)
    client = browser(app)
    return unit_id, area, (client, {"Accept": "application/json",
                                    "Authorization": "Bearer " + token_for(client, "buyer", "buyer-demo-password")})


def progress(app):
    client, headers = owner(app, "owner2")
    return client.get(BALLOT + "/@progress", headers=headers).json


def test_a_change_of_owner_during_voting_needs_a_reason(app, portal_in, as_role):
    voting_time(portal_in)
    _unit, _area, form = sell_one(app, portal_in, as_role, reason=None)
    page = form.submit("save", status=400)
    assert "需要说明原因" in page.text


def test_seller_not_yet_voted_the_sold_unit_becomes_an_owner_group_of_its_own(app, portal_in, as_role):
    voting_time(portal_in)
    before = progress(app)
    unit_id, area, (buyer, headers) = sell_one(app, portal_in, as_role)
    after_sale = progress(app)
    assert after_sale["total_owners"] == before["total_owners"] + 1
    assert after_sale["total_area"] == before["total_area"]
    assert buyer.post_json(BALLOT + "/@vote", {"votes": ALL_AGREE}, headers=headers).json["owners"] == 1
    voted = progress(app)
    assert voted["voted_owners"] == 1 and voted["voted_area"] == f"{area / 100:.2f}"    # the one unit only
    seller, seller_headers = owner(app, "owner1")
    assert seller.post_json(BALLOT + "/@vote", {"votes": ALL_AGREE}, headers=seller_headers).json["owners"] == 1
    with portal_in() as portal:
        ballot = portal[COMMUNITY[0]][COMMUNITY[1]][COMMUNITY[2]]["ballots"]["b2"]
        box = ballot.box
        assert box.owner_of_unit[unit_id] == f"sold:{unit_id}"
        assert progress(app)["voted_area"] == f"{sum(box.areas[k] for k in box.areas if box.has_voted(k)) / 100:.2f}"
        assert ballot.sales[-1]["outcome"] == "split" and ballot.sales[-1]["reason"].startswith("不动产登记变更")
        assert [e for e in portal.audit_log.under(BALLOT) if e["action"] == "ballot.unit_sold"]


def test_seller_voted_first_the_vote_stands_and_the_buyer_is_refused(app, portal_in, as_role):
    voting_time(portal_in)
    seller, seller_headers = owner(app, "owner1")
    seller.post_json(BALLOT + "/@vote", {"votes": ALL_AGREE}, headers=seller_headers)
    before = progress(app)
    _unit, _area, (buyer, headers) = sell_one(app, portal_in, as_role)
    refused = buyer.post_json(BALLOT + "/@vote", {"votes": ALL_AGREE}, headers=headers, status=409)
    assert refused.json["error"] == "sold_after_vote" and "出售" in refused.json["message"]
    after = progress(app)
    assert (after["voted_owners"], after["voted_area"], after["total_owners"]) == (
        before["voted_owners"], before["voted_area"], before["total_owners"])
