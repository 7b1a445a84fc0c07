"""The double majority at every boundary, in integers."""
from portal.register.rules import OwnerFacts, UnitFacts
from portal.voting.tally import follow_majority, key_text, owners_of, tally

ORDINARY_MATTER = {"id": "m1", "category": 4}
SPECIAL_MATTER = {"id": "m1", "category": 6}


def unit(key, area=100, owner=None, kind="dwelling", unsold=False):
    owners = (OwnerFacts(owner or key, "n"),) if not unsold else ()
    return UnitFacts(key=key, kind=kind, area=area, developer_unsold=unsold, owners=owners)


def community(n, area=100):
    return [unit(f"u{i}", area) for i in range(n)]


def keys(units):
    return list(owners_of(units, False))


def votes_for(units, choices):
    """choices: list of choice per owner in order; None = did not vote."""
    return {k: {"m1": c} for k, c in zip(keys(units), choices) if c is not None}


def one(matter, units, choices, include_parking=False):
    return tally([matter], units, include_parking, votes_for(units, choices))[0]


def test_participation_exactly_two_thirds_is_quorum():
    units = community(3)
    r = one(ORDINARY_MATTER, units, ["agree", "agree", None])
    assert (r.participating_owners, r.total_owners, r.quorum_met, r.passed) == (2, 3, True, True)


def test_participation_just_under_two_thirds_of_owners_fails():
    units = community(100)
    r = one(ORDINARY_MATTER, units, ["agree"] * 66 + [None] * 34)
    assert not r.quorum_met and not r.passed
    r = one(ORDINARY_MATTER, units, ["agree"] * 67 + [None] * 33)
    assert r.quorum_met and r.passed


def test_two_thirds_of_owners_but_below_two_thirds_of_area_fails():
    units = [unit("big", 1000)] + community(3)      # big holds 1000 of 1300
    r = one(ORDINARY_MATTER, units, [None, "agree", "agree", "agree"])
    assert r.participating_owners == 3 and 3 * 3 >= 2 * 4
    assert r.participating_area == 300 and not r.quorum_met and not r.passed


def test_two_thirds_of_area_but_below_two_thirds_of_owners_fails():
    units = [unit("big", 1000)] + community(3)
    r = one(ORDINARY_MATTER, units, ["agree", "agree", None, None])
    assert r.participating_area == 1100 and r.participating_owners == 2 and not r.quorum_met


def test_agree_exactly_half_fails_the_ordinary_rule_half_plus_one_passes():
    units = community(4)
    assert not one(ORDINARY_MATTER, units, ["agree", "agree", "oppose", "oppose"]).passed
    units = community(5)
    assert one(ORDINARY_MATTER, units, ["agree", "agree", "agree", "oppose", "oppose"]).passed


def test_exactly_three_quarters_passes_a_special_matter_just_under_fails():
    units = community(4)
    assert one(SPECIAL_MATTER, units, ["agree", "agree", "agree", "oppose"]).passed
    units = community(100)
    r = one(SPECIAL_MATTER, units, ["agree"] * 74 + ["oppose"] * 26)
    assert r.quorum_met and not r.passed
    assert one(SPECIAL_MATTER, units, ["agree"] * 75 + ["oppose"] * 25).passed


def test_three_quarters_of_owners_but_not_of_area_fails_a_special_matter():
    units = [unit("big", 400)] + community(3, 100)     # 700 in all
    r = one(SPECIAL_MATTER, units, ["oppose", "agree", "agree", "agree"])
    assert r.agree_owners == 3 and 4 * 3 >= 3 * 4 and r.agree_area == 300 and not r.passed


def test_abstentions_participate_and_do_not_agree():
    units = community(3)
    r = one(ORDINARY_MATTER, units, ["agree", "abstain", "abstain"])
    assert r.quorum_met and r.participating_owners == 3 and r.abstain_owners == 2 and not r.passed


def test_one_buyer_with_several_units_is_one_owner_with_their_areas():
    units = [unit("a", 100, "x"), unit("b", 150, "x"), unit("c", 100, "y")]
    r = tally([ORDINARY_MATTER], units, False, {key_text(("buyer", frozenset({"x"}))): {"m1": "agree"}})[0]
    assert (r.total_owners, r.total_area, r.agree_owners, r.agree_area) == (2, 350, 1, 250)


def test_developer_unsold_units_are_one_owner():
    units = [unit(f"d{i}", 100, unsold=True) for i in range(3)] + community(2)
    r = one(ORDINARY_MATTER, units, [None, "agree", "agree"])
    assert r.total_owners == 3 and r.total_area == 500 and r.participating_area == 200


def test_parking_excluded_or_included():
    units = community(2) + [unit("p1", 10, "z", kind="parking")]
    assert tally([ORDINARY_MATTER], units, False, {})[0].total_owners == 2
    assert tally([ORDINARY_MATTER], units, True, {})[0].total_area == 210


def test_a_co_owned_unit_is_one_owner():
    co = UnitFacts(key="co", area=100, owners=(OwnerFacts("a", "n"), OwnerFacts("b", "n")))
    assert tally([ORDINARY_MATTER], [co], False, {})[0].total_owners == 1


def test_an_empty_electorate_passes_nothing():
    r = tally([ORDINARY_MATTER], [], False, {})[0]
    assert (r.total_owners, r.quorum_met, r.passed) == (0, False, False)


def test_votes_outside_the_electorate_do_not_count():
    units = community(3)
    r = tally([ORDINARY_MATTER], units, False, {"unit:stranger": {"m1": "agree"}})[0]
    assert r.participating_owners == 0


def test_following_the_majority_is_reported_beside_the_plain_result():
    units = community(9)
    votes = votes_for(units, ["agree", "agree", "agree", "oppose", None, None, None, None, None])
    plain = tally([ORDINARY_MATTER], units, False, votes)[0]
    adjusted = follow_majority([ORDINARY_MATTER], units, False, votes)[0]
    assert not plain.quorum_met and not plain.passed
    assert adjusted.participating_owners == 9 and adjusted.agree_owners == 8 and adjusted.passed
    tie = votes_for(units, ["agree", "oppose"] + [None] * 7)
    assert follow_majority([ORDINARY_MATTER], units, False, tie)[0].participating_owners == 2
