"""Verdicts of every kind in plain Chinese, from the tally's figures."""
from pyramid.i18n import make_localizer

from portal.voting.tally import VOID, tally
from portal.voting.verdicts import as_json, verdict
from tests.test_tally import community
from tests.test_tally_kinds import cast, choice, election


def chinese():
    import os

    import portal

    return make_localizer("zh_Hans", [os.path.join(os.path.dirname(portal.__file__), "locale")])


def words(matter, units, marks):
    result = as_json(tally([matter], units, False, cast(units, marks))[0])
    localizer = chinese()
    return result, "".join(localizer.translate(w) for w in verdict(result))


def test_an_election_names_the_elected_the_alternates_and_the_unfilled_seats():
    units = community(10)
    marks = ([{"c1": "agree", "c2": "agree", "c3": "agree"}] * 6 + [{"c1": "agree", "c2": "agree"}] +
             [{"c1": "agree"}] + [VOID] + [None])
    matter = election(seats=2, alternates=1)
    result, text = words(matter, units, marks)
    assert result["void_area"] == "1.00" and result["candidates"][0]["agree_area"] == "8.00"
    assert text == "当选委员：候选人c1、候选人c2。候补委员（按顺序）：候选人c3。"
    _r, text = words(election(seats=3), units, [{"c1": "agree"}] * 7 + [None] * 3)
    assert text == "当选委员：候选人c1。2 个席位空缺，需另行选举。"


def test_a_tie_and_a_missed_quorum_are_said_so():
    units = community(6)
    marks = [{"c1": "agree", "c2": "agree", "c3": "agree"}] * 4 + [{"c1": "agree"}] * 2
    _r, text = words(election(seats=2), units, marks)
    assert "候选人c2、候选人c3 在最后一个席位上得票相同" in text and "1 个席位空缺" in text
    _r, text = words(election(seats=2), units, [{"c1": "agree"}] * 3 + [None] * 3)
    assert text.startswith("参与表决的业主人数或专有部分面积不足三分之二") and "2 个席位需另行选举" in text


def test_a_choice_says_which_option_was_adopted_or_that_none_was():
    units = community(4)
    _r, text = words(choice(), units, ["o2", "o2", "o2", "o1"])
    assert text == "采用方案：方案o2。"
    _r, text = words(choice(), units, ["o2", "o2", "o1", "o1"])
    assert text == "没有方案获得所需多数，均未采用。"
