"""The audit log's filter reaches every entry, however old (issue 20): by subtree, action and time,
through indexes, and agrees with a plain filter over the whole log."""
import datetime
import random

import pytest

from portal.audit.log import AuditLog, made

START = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
PATHS = ("/tianhe/shipai/mingyuan/", "/tianhe/shipai/qiaoyuan/", "/haizhu/chigang/jiangan/", "/")
ACTIONS = ("ballot.transition", "binding.bind", "rooms.view", "account.login")


@pytest.fixture(scope="module")
def log():
    """6,000 entries an hour apart (so most are sealed into the indexes, some still in the tail)."""
    chosen = random.Random(7)
    audit = AuditLog()
    for n in range(6000):
        audit.append(START + datetime.timedelta(hours=n), "u1", chosen.choice(ACTIONS), chosen.choice(PATHS))
    return audit


def plain(log, path, limit, action=None, since=None, until=None):
    everything = sorted(log.entries(), key=lambda e: -e["seq"])
    return [e for e in everything if e["path"].startswith(path) and action in (None, e["action"])
            and (since is None or made(e) >= since) and (until is None or made(e) < until)][:limit]


def test_an_action_older_than_thousands_of_newer_entries_is_found(log):
    oldest_logins = [e for e in log.entries() if e["action"] == "account.login"][:3]
    until = made(oldest_logins[-1]) + datetime.timedelta(minutes=1)
    found = log.find("/", limit=3, action="account.login", until=until)
    assert [e["seq"] for e in found] == [e["seq"] for e in reversed(oldest_logins)]


def test_dates_bound_the_entries_on_both_sides(log):
    since, until = START + datetime.timedelta(hours=100), START + datetime.timedelta(hours=110)
    found = log.find("/tianhe/", limit=50, since=since, until=until)
    assert found and all(since <= made(e) < until for e in found)
    assert found == plain(log, "/tianhe/", 50, since=since, until=until)
    assert log.find("/", limit=5, until=START) == []                    # before the first entry
    assert log.find("/", limit=5, since=START + datetime.timedelta(days=365)) == []


def test_the_newest_entries_still_in_the_tail_come_first(log):
    newest = log.find("/", limit=3)
    assert [e["seq"] for e in newest] == [len(log), len(log) - 1, len(log) - 2]


def test_any_filter_agrees_with_a_plain_filter_over_the_whole_log(log):
    chosen = random.Random(11)
    for _ in range(60):
        path = chosen.choice(PATHS + ("/tianhe/", "/haizhu/"))
        action = chosen.choice(ACTIONS + (None,))
        since = START + datetime.timedelta(hours=chosen.randrange(0, 6500)) if chosen.random() < 0.5 else None
        until = START + datetime.timedelta(hours=chosen.randrange(0, 6500)) if chosen.random() < 0.5 else None
        limit = chosen.choice((1, 7, 100))
        assert log.find(path, limit, action, since, until) == plain(log, path, limit, action, since, until), \
            (path, action, since, until, limit)
