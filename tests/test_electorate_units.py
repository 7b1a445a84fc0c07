"""A frozen electorate keeps its units in an object of their own: its totals are read, and a
phase's messages queued, without loading them; evolve 0045 moves the units of stored ones."""
import datetime

from portal.ballots.models import Electorate, FrozenUnits
from portal.ballots.setup import store_electorate_units_apart
from portal.notify import queue, recipients, rules
from portal.notify.models import Occurrence, occurrence_key, store_of
from portal.register.rules import OwnerFacts, UnitFacts, totals

NOW = datetime.datetime(2026, 12, 3, 8, tzinfo=datetime.timezone.utc)
B2 = ("tianhe", "shipai", "mingyuan", "ballots", "b2")


def ballot_in(portal):
    node = portal
    for name in B2:
        node = node[name]
    return node


def test_the_units_are_stored_apart_from_the_totals():
    units = [UnitFacts("1-101", area=9000, owners=(OwnerFacts("h1"),)), UnitFacts("1-102", area=8000)]
    electorate = Electorate(units, False, NOW)
    assert isinstance(electorate.frozen, FrozenUnits) and electorate.units == tuple(units)
    assert "units" not in electorate.__getstate__()
    assert electorate.totals == totals(units) and electorate.totals.owners == 2


def test_reading_the_totals_leaves_the_units_unloaded(db):
    conn = db.open()
    try:
        conn.cacheMinimize()
        electorate = ballot_in(conn.root()["portal"]).electorate
        assert electorate.totals.owners > 0
        assert electorate.frozen._p_changed is None           # a ghost: never loaded
        assert len(electorate.units) >= electorate.totals.units
    finally:
        conn.close()


def test_queueing_every_group_reads_the_totals_only(portal_in):
    with portal_in() as portal:
        portal._p_jar.cacheMinimize()
        ballot = ballot_in(portal)
        count = queue.enqueue(portal, ballot, rules.PRELIMINARY, NOW, occurrence="a test")
        assert ballot.electorate.frozen._p_changed is None
        path = "/" + "/".join(B2)
        stored = Occurrence(*store_of(portal).occurrences[occurrence_key(path, rules.PRELIMINARY, "a test")])
        assert count == stored.count == len(recipients.groups(ballot.electorate)) and stored.only is None


def test_evolve_0045_moves_the_units_of_a_stored_electorate(portal_in):
    with portal_in(commit=True) as portal:
        ballot = ballot_in(portal)
        units = ballot.electorate.units
        old = Electorate.__new__(Electorate)
        old.__setstate__({"units": units, "include_parking": False, "frozen_at": NOW,
                          "totals": totals(units)})
        ballot.electorate = old
    with portal_in() as portal:
        assert ballot_in(portal).electorate.frozen is None and ballot_in(portal).electorate.units == units
    with portal_in(commit=True) as portal:
        store_electorate_units_apart(portal)
    with portal_in() as portal:
        electorate = ballot_in(portal).electorate
        assert isinstance(electorate.frozen, FrozenUnits) and electorate.units == units
        assert "units" not in electorate.__getstate__()
        store_electorate_units_apart(portal)                # again: nothing left to move
        assert not electorate._p_changed


def test_the_waiting_count_comes_right_when_the_totals_queued_were_off(portal_in):
    """The count queued is the electorate's totals; if the groups the drain finds differ (a rule
    changed since it was frozen), the waiting count is put right when the drain is through."""
    from portal.notify.drain import Batch

    with portal_in() as portal:
        ballot = ballot_in(portal)
        electorate = ballot.electorate
        electorate.totals = electorate.totals._replace(owners=electorate.totals.owners - 1)
        store = store_of(portal)
        before = store.waiting()
        queue.enqueue(portal, ballot, rules.PRELIMINARY, NOW, occurrence="off by one")
        key = occurrence_key("/" + "/".join(B2), rules.PRELIMINARY, "off by one")
        assert store.waiting() == before + electorate.totals.owners
        out = []
        Batch(portal, store, NOW, "").go_through(NOW, key, 10 ** 6, 10 ** 6, out)
        assert (NOW, key) not in store.pending                     # gone through to the end
        waiting_one_by_one = [k for k in store.pending.keys() if k[1].startswith(key) and k[1] != key]
        assert store.waiting() == before + len(out) + len(waiting_one_by_one)
