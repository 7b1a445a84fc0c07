"""The notification rules as plain functions, at their edges."""
import datetime

import pytest

from portal.notify import rules

UTC = datetime.timezone.utc


@pytest.mark.parametrize("event", sorted(rules.LEGAL))
@pytest.mark.parametrize("voted, opted_out", [(False, False), (True, False), (False, True), (True, True)])
def test_legal_notices_go_to_everyone(event, voted, opted_out):
    assert rules.wanted(event, voted, opted_out) is True


@pytest.mark.parametrize("event", sorted(rules.REMINDERS))
@pytest.mark.parametrize("voted, opted_out, expected", [(False, False, True), (True, False, False),
                                                        (False, True, False), (True, True, False)])
def test_reminders_only_to_those_who_have_not_voted_and_want_them(event, voted, opted_out, expected):
    assert rules.wanted(event, voted, opted_out) is expected


def test_every_event_is_legal_or_a_reminder_never_both():
    assert rules.LEGAL & rules.REMINDERS == set() and set(rules.EVENTS) == rules.LEGAL | rules.REMINDERS


@pytest.mark.parametrize("followed, phone, expected", [(True, True, rules.WECHAT), (True, False, rules.WECHAT),
                                                       (False, True, rules.SMS), (False, False, None)])
def test_the_channel(followed, phone, expected):
    assert rules.channel_for(followed, phone) == expected


def test_retries_only_where_the_code_says_so_and_back_off_until_the_last_attempt():
    assert rules.retry_after(rules.WECHAT, -1, 1) == datetime.timedelta(seconds=30)
    assert rules.retry_after(rules.WECHAT, -1, 2) == datetime.timedelta(seconds=60)
    assert rules.retry_after(rules.WECHAT, -1, rules.MAX_ATTEMPTS - 1) is not None
    assert rules.retry_after(rules.WECHAT, -1, rules.MAX_ATTEMPTS) is None
    assert rules.retry_after(rules.WECHAT, 40037, 1) is None             # a wrong template never heals
    assert rules.retry_after(rules.WECHAT, rules.WECHAT_UNFOLLOWED, 1) is None
    assert rules.retry_after(rules.SMS, "isv.BUSINESS_LIMIT_CONTROL", 1) is not None
    assert rules.retry_after(rules.SMS, "isv.MOBILE_NUMBER_ILLEGAL", 1) is None
    assert rules.retry_after(rules.SMS, -1, 1) is None                   # codes are per channel


def test_only_an_unfollowed_wechat_falls_back():
    assert rules.falls_back(rules.WECHAT, 43004)
    assert not rules.falls_back(rules.WECHAT, 40003) and not rules.falls_back(rules.SMS, 43004)


def test_the_deadline_reminder_is_three_days_before_the_deadline_in_utc():
    deadline = datetime.datetime(2027, 1, 2, 0, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
    at = rules.deadline_reminder_at(deadline)
    assert at == datetime.datetime(2026, 12, 29, 16, 0, tzinfo=UTC) and at.tzinfo is UTC


def test_the_rate_limit_lets_a_burst_through_then_spaces_messages():
    now = [0.0]
    limit = rules.RateLimit(10, burst=2, clock=lambda: now[0])
    assert limit.wait_time() == 0 and limit.wait_time() == 0
    assert limit.wait_time() == pytest.approx(0.1)
    now[0] = 1.0                                                       # a second later: full again
    assert limit.wait_time() == 0
