"""Results by building: a buyer with flats in two buildings counts in each, areas add up exactly."""
from portal.register.rules import OwnerFacts, UnitFacts
from portal.voting.buildings import by_building


def flat(key, building, owner, area=100):
    return UnitFacts(key=key, area=area, owners=(OwnerFacts(owner, "n"),), building=building)


def test_each_building_counts_its_own_owners_and_areas():
    units = [flat("u1", "1", "a"), flat("u2", "1", "b"), flat("u3", "2", "a", 50), flat("u4", "10", "c")]
    votes = {"buyer:a": {"m1": "agree"}, "buyer:c": {"m1": "oppose"}}
    rows = dict(by_building([{"id": "m1", "category": 4}], units, False, votes,
                            building_of=lambda u: u.building))
    assert list(rows) == ["1", "2", "10"]                       # natural order
    assert (rows["1"]["total_owners"], rows["1"]["total_area"], rows["1"]["voted_area"]) == (2, 200, 100)
    assert rows["2"]["questions"]["m1"]["agree"] == [1, 50]     # the buyer again, with the flat there
    assert rows["10"]["questions"]["m1"]["oppose"] == [1, 100]
    assert sum(r["total_area"] for r in rows.values()) == 350
