"""The throttling rule at its edges."""
import datetime

from portal.security.throttle import Throttle, blocked_until, Rule

T0 = datetime.datetime(2026, 11, 1, 8, 0, tzinfo=datetime.timezone.utc)
MIN = datetime.timedelta(minutes=1)
WINDOW = datetime.timedelta(minutes=15)


def test_four_failures_do_not_block_the_fifth_does():
    failures = [T0 + i * MIN for i in range(4)]
    assert blocked_until(failures, T0 + 5 * MIN, 5, WINDOW) is None
    failures.append(T0 + 4 * MIN)
    assert blocked_until(failures, T0 + 5 * MIN, 5, WINDOW) == T0 + WINDOW


def test_the_block_ends_when_the_oldest_failure_leaves_the_window():
    failures = [T0 + i * MIN for i in range(5)]
    assert blocked_until(failures, T0 + WINDOW - datetime.timedelta(seconds=1), 5, WINDOW)
    assert blocked_until(failures, T0 + WINDOW, 5, WINDOW) is None


def test_the_store_keys_by_hmac_and_clears():
    throttle = Throttle()
    rule = Rule("test", 2, WINDOW)
    key = Throttle.key(b"secret", rule, "someone")
    assert "someone" not in key
    throttle.record_failure(key, rule, T0)
    throttle.record_failure(key, rule, T0 + MIN)
    assert throttle.blocked_until(key, rule, T0 + 2 * MIN) == T0 + WINDOW
    throttle.clear(key)
    assert throttle.blocked_until(key, rule, T0 + 2 * MIN) is None
