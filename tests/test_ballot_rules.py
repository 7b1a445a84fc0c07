"""The notice period, the voting window and the objection period at their edges."""
import datetime

import pytest

from portal.ballots.rules import (CATEGORIES, SPECIAL, midnight, notice_problem, objection_ends, rule_of,
                                  window, window_problem)
from portal.clock import SHANGHAI

D = datetime.date


def at(day, hour=10):
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


def test_exactly_fifteen_full_days_is_enough():
    assert notice_problem(at(D(2026, 11, 1)), D(2026, 11, 17)) is None


def test_fourteen_full_days_is_not():
    message = notice_problem(at(D(2026, 11, 1)), D(2026, 11, 16))
    assert message is not None and message.mapping["earliest_iso"] == "2026-11-17" and message.mapping["earliest_zh"] == "2026年11月17日"


def test_the_publication_day_is_the_shanghai_day():
    # 2026-11-01 17:00 UTC is already 2 November in Shanghai
    late = datetime.datetime(2026, 11, 1, 17, tzinfo=datetime.timezone.utc)
    assert notice_problem(late, D(2026, 11, 17)) is not None
    assert notice_problem(late, D(2026, 11, 18)) is None


def test_a_configured_notice_period():
    assert notice_problem(at(D(2026, 11, 1)), D(2026, 11, 9), notice_days=7) is None
    assert notice_problem(at(D(2026, 11, 1)), D(2026, 11, 8), notice_days=7) is not None


@pytest.mark.parametrize("days, ok", [(1, True), (29, True), (30, True), (31, False)])
def test_the_window_is_at_most_thirty_days(days, ok):
    start = D(2026, 12, 1)
    assert (window_problem(start, start + datetime.timedelta(days=days - 1)) is None) is ok


def test_a_window_ending_before_it_starts():
    assert window_problem(D(2026, 12, 2), D(2026, 12, 1)) is not None


def test_the_window_runs_from_midnight_to_midnight_in_shanghai():
    opens, closes = window(D(2026, 12, 1), D(2026, 12, 10))
    assert opens == datetime.datetime(2026, 11, 30, 16, tzinfo=datetime.timezone.utc)
    assert closes == datetime.datetime(2026, 12, 10, 16, tzinfo=datetime.timezone.utc)


def test_the_objection_period_ends_at_midnight_after_seven_full_days():
    assert objection_ends(at(D(2026, 12, 11))) == midnight(D(2026, 12, 19))


def test_categories_fix_the_rule():
    assert [c for c in CATEGORIES if rule_of(c) == SPECIAL] == [6, 7, 8]


# ---- the earliest first day of voting (issue 16: told while drafting, on saving, on submitting) ----
from portal.ballots.rules import day_mapping, earliest_start, earliest_starts, last_notice_day  # noqa: E402


@pytest.mark.parametrize("start_offset, allowed", [(15, False), (16, True), (17, True)])
def test_a_start_day_14_15_16_full_days_after_publication(start_offset, allowed):
    """Published on 1 November: starting on the 16th leaves 14 full days, the 17th 15, the 18th 16."""
    published = D(2026, 11, 1)
    start = published + datetime.timedelta(days=start_offset)
    assert (notice_problem(at(published), start) is None) is allowed
    assert (start >= earliest_start(published)) is allowed


def test_the_earliest_start_and_the_last_notice_day_are_one_rule_read_both_ways():
    assert earliest_start(D(2026, 11, 1)) == D(2026, 11, 17)
    assert last_notice_day(D(2026, 11, 17)) == D(2026, 11, 1)
    assert earliest_start(D(2026, 12, 20), 15) == D(2027, 1, 5)        # across the year's end
    assert earliest_start(D(2026, 11, 1), 30) == D(2026, 12, 2)


def test_the_draft_form_gets_the_earliest_start_for_every_allowed_notice_period():
    table = earliest_starts(D(2026, 11, 1))
    assert sorted(table) == list(range(15, 61))
    assert table[15] == D(2026, 11, 17) and table[60] == D(2027, 1, 1)


def test_a_refusal_names_the_day_as_people_say_it_in_each_language():
    message = notice_problem(at(D(2026, 11, 1)), D(2026, 11, 16))
    assert message.mapping["earliest"] == "17 November 2026"
    assert day_mapping("day", D(2027, 1, 5)) == {"day": "5 January 2027", "day_zh": "2027年1月5日",
                                                 "day_iso": "2027-01-05"}
