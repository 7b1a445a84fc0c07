"""A ballot read by a request is caught up only when a timer is due: the next due time is
remembered per stored revision of the ballot and of its workflow, so a read costs one comparison,
and any change to either is seen at once."""
import datetime

import pytest

from portal import clock
from portal.catalog import timers

NOTICE = "/tianhe/shipai/mingyuan/ballots/b2"          # the demo ballot in its notice period


@pytest.fixture
def catch_ups(monkeypatch):
    """Every catch-up the ballots' timer table runs, by ballot name."""
    table, real = timers.TABLES["Ballot"]
    calls = []

    def counted(ballot, now):
        calls.append(ballot.__name__)
        return real(ballot, now)

    monkeypatch.setitem(timers.TABLES, "Ballot", (table, counted))
    from portal.ballots import lifecycle

    monkeypatch.setattr(lifecycle, "catch_up", counted)
    return calls


def test_a_read_before_the_due_time_does_not_catch_up_and_one_after_it_does(api, portal_in, catch_ups):
    client, headers = api("street")
    with portal_in() as portal:
        opens = portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"].window()[0]
    for _ in range(3):
        assert client.get(NOTICE, headers=headers).json["review_state"] == "notice"
    assert catch_ups == []
    clock.set_now(opens - datetime.timedelta(seconds=1))
    assert client.get(NOTICE, headers=headers).json["review_state"] == "notice"
    assert catch_ups == []
    clock.set_now(opens)                                   # the due instant itself is due
    assert client.get(NOTICE, headers=headers).json["review_state"] == "voting"
    assert catch_ups == ["b2"]


def test_the_remembered_time_follows_a_committed_change_of_the_ballot(portal_in):
    with portal_in() as portal:
        ballot = portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"]
        opens = ballot.window()[0]
        assert timers.remembered_next_due(ballot) == timers.next_due(ballot) == opens
        assert getattr(ballot, timers.REMEMBERED)[2] == opens
    with portal_in(commit=True) as portal:                 # another connection moves the start
        ballot = portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"]
        ballot.start_date += datetime.timedelta(days=1)
        ballot.end_date += datetime.timedelta(days=1)
        later = ballot.window()[0]
        assert timers.remembered_next_due(ballot) == later   # uncommitted: computed, not remembered
    with portal_in() as portal:
        ballot = portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"]
        assert later > opens and timers.remembered_next_due(ballot) == later
        assert not timers.is_due(ballot, opens) and timers.is_due(ballot, later)


def test_a_stale_remembered_time_is_never_used(portal_in):
    with portal_in() as portal:
        ballot = portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"]
        opens = timers.remembered_next_due(ballot)
        setattr(ballot, timers.REMEMBERED, (b"another revision", ballot.definition(), None))
        assert timers.remembered_next_due(ballot) == opens         # other serial: computed again
        setattr(ballot, timers.REMEMBERED, (ballot._p_serial, {"another": "definition"}, None))
        assert timers.remembered_next_due(ballot) == opens         # other workflow: computed again
        ballot.state = "voting"                                    # changed in this transaction
        assert timers.remembered_next_due(ballot) == timers.next_due(ballot) == ballot.window()[1]


def test_an_object_without_timers_is_never_due(portal_in):
    with portal_in() as portal:
        community = portal["tianhe"]["shipai"]["mingyuan"]
        assert timers.remembered_next_due(community) is None
        assert not timers.is_due(community, clock.now() + datetime.timedelta(days=9999))
