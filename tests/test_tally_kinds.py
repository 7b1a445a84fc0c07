"""Elections and choices counted at every boundary (DOMAIN.md "Kinds of matter"), in integers."""
from portal.voting.tally import (AREA_FIRST, OWNERS_FIRST, VOID, owners_of, tally)
from tests.test_tally import community, keys, unit


def election(seats=2, alternates=0, candidates=("c1", "c2", "c3")):
    return {"id": "m1", "kind": "election", "category": 3, "seats": seats, "alternates": alternates,
            "candidates": [{"id": c, "name": f"候选人{c}"} for c in candidates]}


def choice(category=4, options=("o1", "o2", "o3")):
    return {"id": "m1", "kind": "choice", "category": category,
            "options": [{"id": o, "title": f"方案{o}"} for o in options]}


def cast(units, marks):
    """marks: one per owner in order (None: did not vote)."""
    return {k: {"m1": m} for k, m in zip(keys(units), marks) if m is not None}


def run(matter, units, marks, ranking=OWNERS_FIRST):
    return tally([matter], units, False, cast(units, marks), ranking)[0]


def by_id(result):
    return {c.id: c for c in result.candidates}


def test_a_candidate_at_exactly_half_of_the_participants_does_not_qualify_one_more_does():
    units = community(4)
    half = run(election(), units, [{"c1": "agree"}, {"c1": "agree"}, {"c1": "oppose"}, {}])
    assert half.participating_owners == 4 and not by_id(half)["c1"].qualified
    assert by_id(half)["c1"].rank is None and half.unfilled_seats == 2
    more = run(election(), units, [{"c1": "agree"}, {"c1": "agree"}, {"c1": "agree"}, {}])
    assert by_id(more)["c1"].qualified and by_id(more)["c1"].elected and by_id(more)["c1"].rank == 1
    assert by_id(more)["c1"].abstain_owners == 1          # an unmarked candidate is an abstention


def test_qualified_by_owners_but_not_by_area_is_not_qualified():
    units = [unit("big", 1000)] + community(3)
    r = run(election(), units, [{"c1": "oppose"}, {"c1": "agree"}, {"c1": "agree"}, {"c1": "agree"}])
    c1 = by_id(r)["c1"]
    assert (c1.agree_owners, r.participating_owners, c1.agree_area, r.participating_area) == (3, 4, 300, 1300)
    assert not c1.qualified and not c1.elected


def test_more_qualified_than_seats_ranks_by_owners_then_area_and_the_reverse():
    units = [unit("a", 300), unit("b", 100), unit("c", 100), unit("d", 100), unit("e", 100)]
    # c1: agreed by b, c, d, e (4 owners, 400 area); c2: by a, b, c (3 owners, 500 area);
    # c3: by a, b, c, d (4 owners, 600 area); all qualify (more than half of 5 owners and 700)
    marks = [{"c1": "oppose", "c2": "agree", "c3": "agree"},
             {"c1": "agree", "c2": "agree", "c3": "agree"},
             {"c1": "agree", "c2": "agree", "c3": "agree"},
             {"c1": "agree", "c2": "oppose", "c3": "agree"},
             {"c1": "agree", "c2": "oppose", "c3": "oppose"}]
    owners_first = by_id(run(election(seats=2), units, marks))
    assert [owners_first[c].rank for c in ("c3", "c1", "c2")] == [1, 2, 3]
    assert owners_first["c3"].elected and owners_first["c1"].elected and not owners_first["c2"].elected
    area_first = by_id(run(election(seats=2), units, marks, AREA_FIRST))
    assert [area_first[c].rank for c in ("c3", "c2", "c1")] == [1, 2, 3]
    assert area_first["c2"].elected and not area_first["c1"].elected


def test_a_tie_across_the_last_seat_elects_none_of_the_tied():
    units = community(6)
    agree_all = {"c1": "agree", "c2": "agree", "c3": "agree"}
    marks = [agree_all] * 4 + [{"c1": "agree"}] * 2          # c2 and c3 tie, behind c1
    r = run(election(seats=2, alternates=2), units, marks)
    c = by_id(r)
    assert c["c1"].elected and c["c1"].rank == 1
    assert (c["c2"].rank, c["c3"].rank) == (2, 2) and not c["c2"].elected and not c["c3"].elected
    assert r.unfilled_seats == 1 and set(r.tied) == {"c2", "c3"}
    assert c["c2"].alternate and c["c3"].alternate           # both fit the two alternate places


def test_a_tie_across_the_last_alternate_place_makes_none_of_the_tied_an_alternate():
    units = community(6)
    marks = [{"c1": "agree", "c2": "agree", "c3": "agree"}] * 4 + [{"c1": "agree"}] * 2
    r = run(election(seats=1, alternates=1), units, marks)
    c = by_id(r)
    assert c["c1"].elected and r.unfilled_seats == 0 and r.tied == ()
    assert not c["c2"].alternate and not c["c3"].alternate and set(r.tied_alternates) == {"c2", "c3"}


def test_fewer_qualified_than_seats_leaves_seats_unfilled_and_alternates_follow_in_rank():
    units = community(10)
    marks = ([{"c1": "agree", "c2": "agree", "c3": "agree"}] * 6 + [{"c1": "agree", "c2": "agree"}]
             + [{"c1": "agree"}] + [{}] * 2)
    r = run(election(seats=1, alternates=2), units, marks)
    c = by_id(r)
    assert [c[x].rank for x in ("c1", "c2", "c3")] == [1, 2, 3]
    assert c["c1"].elected and c["c2"].alternate and c["c3"].alternate
    unfilled = run(election(seats=3), units, [{"c1": "agree"}] * 6 + [{}] * 4)
    assert unfilled.unfilled_seats == 2 and [x.elected for x in unfilled.candidates] == [True, False, False]


def test_void_paper_ballots_take_part_and_agree_to_nobody():
    units = community(6)
    r = run(election(seats=1), units, [{"c1": "agree"}] * 3 + [VOID] * 3)
    c1 = by_id(r)["c1"]
    assert (r.participating_owners, r.void_owners, r.void_area, r.quorum_met) == (6, 3, 300, True)
    assert c1.agree_owners + c1.oppose_owners + c1.abstain_owners == 3
    assert not c1.qualified and r.unfilled_seats == 1     # 3 of 6 is not more than half
    r = run(election(seats=1), units, [{"c1": "agree"}] * 3 + [VOID] * 2 + [None])
    assert by_id(r)["c1"].qualified                       # 3 of 5 is


def test_without_quorum_nobody_is_elected():
    units = community(9)
    r = run(election(seats=2, alternates=1), units, [{"c1": "agree", "c2": "agree"}] * 5 + [None] * 4)
    assert not r.quorum_met and r.unfilled_seats == 2
    assert all(not c.qualified and c.rank is None and not c.elected and not c.alternate for c in r.candidates)


def test_an_option_at_exactly_half_is_not_adopted_one_more_is():
    units = community(4)
    r = run(choice(), units, ["o1", "o1", "o2", "abstain"])
    assert r.adopted is None and [o.owners for o in r.options] == [2, 1, 0] and r.abstain_owners == 1
    r = run(choice(), units, ["o1", "o1", "o1", "abstain"])
    assert r.adopted == "o1" and r.options[0].adopted


def test_two_options_each_under_half_adopt_nothing():
    units = community(10)
    r = run(choice(), units, ["o1"] * 4 + ["o2"] * 4 + ["o3"] * 2)
    assert r.quorum_met and r.adopted is None and not any(o.adopted for o in r.options)


def test_a_special_category_choice_needs_three_quarters():
    units = community(8)
    assert run(choice(category=6), units, ["o1"] * 6 + ["o2"] * 2).adopted == "o1"         # exactly 3/4
    assert run(choice(category=6), units, ["o1"] * 5 + ["o2"] * 2 + ["abstain"]).adopted is None
    assert run(choice(category=6), units, ["o1"] * 5 + [None] * 3).quorum_met is False


def test_the_question_rule_is_unchanged_beside_the_new_kinds():
    units = community(3)
    matters = [{"id": "m1", "category": 4}, dict(election(seats=1), id="m2"), dict(choice(), id="m3")]
    votes = {k: {"m1": "agree", "m2": {"c1": "agree"}, "m3": "o2"} for k in owners_of(units, False)}
    question, elected, chosen = tally(matters, units, False, votes)
    assert question.passed and by_id(elected)["c1"].elected and chosen.adopted == "o2"
