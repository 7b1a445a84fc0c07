"""The vote path's rules, directly, with their boundaries."""
import datetime

import pytest

from portal.ballots import rules as ballot_rules
from portal.voting import rules, tally
from portal.voting.box import ELECTRONIC, PAPER, RECEIPT_ALPHABET, new_receipt, replaces

NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.timezone.utc)


@pytest.mark.parametrize("current, channel, allow_change, prevails, expected", [
    (None, ELECTRONIC, False, True, True),          # a first vote always counts
    (None, PAPER, False, False, True),
    (PAPER, ELECTRONIC, False, True, True),         # the electronic vote prevails over paper...
    (ELECTRONIC, PAPER, True, True, False),         # ...and paper never replaces it, change or not
    (PAPER, ELECTRONIC, False, False, False),       # setting off: the channels are equal
    (ELECTRONIC, PAPER, False, False, False),
    (PAPER, ELECTRONIC, True, False, True),         # ...and the last vote counts where changes are allowed
    (ELECTRONIC, PAPER, True, False, True),
    (ELECTRONIC, ELECTRONIC, False, True, False),   # the same channel: only where changes are allowed
    (ELECTRONIC, ELECTRONIC, True, True, True),
    (PAPER, PAPER, False, True, False),
    (PAPER, PAPER, True, True, True),
])
def test_which_vote_counts(current, channel, allow_change, prevails, expected):
    assert replaces(current, channel, allow_change, prevails) is expected


def test_the_change_limit_counts_the_last_hour_only():
    hour = rules.CHANGE_WINDOW
    limit = rules.MAX_CHANGES_PER_HOUR
    assert rules.change_problem([], NOW) is None
    recent = [NOW - datetime.timedelta(minutes=m) for m in range(limit)]
    assert rules.change_problem(recent[:-1], NOW) is None                 # limit - 1 changes: one more
    assert rules.change_problem(recent, NOW) is not None                  # limit changes: refused
    exactly_an_hour = recent[:-1] + [NOW - hour]
    assert rules.change_problem(exactly_an_hour, NOW) is None             # an hour ago no longer counts
    just_inside = recent[:-1] + [NOW - hour + datetime.timedelta(seconds=1)]
    assert rules.change_problem(just_inside, NOW) is not None
    assert rules.change_problem(recent, NOW, limit=limit + 1) is None


@pytest.mark.parametrize("total", [0, 1, 2, 3, 4, 5, 6, 299, 300, 301, 10**9 + 7])
def test_the_quorum_line_is_the_least_participation_meeting_the_quorum(total):
    line = tally.quorum_line(total)
    assert 3 * line >= 2 * total and (line == 0 or 3 * (line - 1) < 2 * total)
    assert tally.quorum_met(line, line, total, total)
    if line:
        assert not tally.quorum_met(line - 1, line, total, total)
        assert not tally.quorum_met(line, line - 1, total, total)


def test_notice_and_objection_days_boundaries():
    for days, ok in ((14, False), (15, True), (60, True), (61, False), ("20", False), (True, False)):
        assert (ballot_rules.notice_days_problem(days) is None) is ok, days
    for days, ok in ((0, False), (1, True), (7, True), (30, True), (31, False), (None, False)):
        assert (ballot_rules.objection_days_problem(days) is None) is ok, days


def test_a_receipt_is_twelve_letters_of_its_alphabet_drawn_fresh():
    codes = {new_receipt() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        parts = code.split("-")
        assert [len(p) for p in parts] == [4, 4, 4] and set("".join(parts)) <= set(RECEIPT_ALPHABET)
