"""One check of a vote's marks for every kind of matter, and the drafting rules of elections and
choices, at their boundaries."""
import pytest

from portal.ballots.rules import choice_problems, election_problems
from portal.voting.marks import MarkRefused, check, check_all
from portal.voting.tally import VOID
from tests.test_tally_kinds import choice, election

QUESTION = {"id": "m1", "category": 4}


def refused(matter, mark, **kw):
    with pytest.raises(MarkRefused) as caught:
        check(matter, mark, **kw)
    return caught.value


def test_a_question_takes_one_of_three_words_and_nothing_else():
    assert check(QUESTION, "agree") == "agree"
    for bad in ({"c1": "agree"}, ["agree"], "yes", None, 1, True):
        assert refused(QUESTION, bad).matter_id == "m1"


def test_an_election_fills_unmarked_candidates_with_abstain():
    assert check(election(seats=2), {"c1": "agree"}) == {"c1": "agree", "c2": "abstain", "c3": "abstain"}


def test_more_agrees_than_seats_is_refused_electronically_and_void_on_paper():
    marks = {"c1": "agree", "c2": "agree", "c3": "agree"}
    assert check(election(seats=3), marks)["c3"] == "agree"            # exactly the seats
    assert "at most 2" in refused(election(seats=2), marks).message.interpolate()
    assert check(election(seats=2), marks, paper=True) == VOID


def test_an_election_refuses_unknown_candidates_bad_words_and_non_mappings():
    assert "c9" in refused(election(), {"c9": "agree"}).message.interpolate()
    refused(election(), {"c1": "yes"})
    refused(election(), "agree")
    refused(election(), ["c1"])


def test_a_choice_takes_one_option_or_abstain():
    assert check(choice(), "o2") == "o2" and check(choice(), "abstain") == "abstain"
    for bad in ("o9", ["o1"], {"o1": "agree"}, "agree", None):
        refused(choice(), bad)


def test_a_whole_vote_answers_every_matter_and_names_no_unknown_one():
    matters = [QUESTION, dict(election(seats=1), id="m2"), dict(choice(), id="m3")]
    recorded = check_all(matters, {"m1": "oppose", "m3": "o1"})
    assert recorded["m2"] == {"c1": "abstain", "c2": "abstain", "c3": "abstain"}
    with pytest.raises(MarkRefused):
        check_all(matters, {"m2": {}, "m3": "o1"})                  # the question is missing
    with pytest.raises(MarkRefused) as caught:
        check_all(matters, {"m1": "agree", "m3": "o1", "m4": "agree"})
    assert caught.value.matter_id == "m4"
    with pytest.raises(MarkRefused):
        check_all(matters, ["agree"])


def test_election_drafting_boundaries():
    assert election_problems(1, 0, ["张三"]) == []
    assert election_problems(21, 10, [f"候选人{i}" for i in range(21)]) == []
    assert [f for f, _m in election_problems(0, 0, ["张三"])] == ["seats"]
    assert [f for f, _m in election_problems(22, 0, ["x"] * 0)] == ["seats", "candidates"]
    assert [f for f, _m in election_problems(1, 11, ["张三"])] == ["alternates"]
    assert [f for f, _m in election_problems(3, 0, ["张三", "李四"])] == ["candidates"]
    assert [f for f, _m in election_problems(1, 0, ["张三", " 张三 "])] == ["candidates"]


def test_choice_drafting_boundaries():
    assert choice_problems(["续聘", "招标"]) == []
    assert choice_problems([f"方案{i}" for i in range(10)]) == []
    assert [f for f, _m in choice_problems(["续聘"])] == ["options"]
    assert [f for f, _m in choice_problems([f"方案{i}" for i in range(11)])] == ["options"]
    assert [f for f, _m in choice_problems(["续聘", "续聘"])] == ["options"]
