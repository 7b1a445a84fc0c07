"""A code letter's use is a small value in a seeded tree, the bound counts one Tally: binds that
use letters of one bucket merge, and older databases get both by evolve steps 0041 and 0042."""
import datetime

import pytest
from BTrees.Length import Length
from ZODB.POSException import ConflictError

from portal import clock, evolve
from portal.binding import codes, service
from portal.bootstrap import ROOT_KEY
from portal.register.records import CodeLetter, CodeUse
from portal.register.setup import OLD_COUNTERS
from portal.register.tally import Tally
from tests.binding_load_helpers import add_community, community_in, recount, sole_owners, two_connections

NOW = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.timezone.utc)


def test_a_tally_adds_concurrent_changes_and_keeps_a_recount(db):
    with db.transaction() as conn:
        conn.root()["tally"] = Tally(a=5, b=1)
    with two_connections(db) as (managers, connections):
        first, second = (c.root()["tally"] for c in connections)
        first.add(a=2, b=-1)
        second.add(a=3)
        managers[0].commit()
        managers[1].commit()            # merged, not refused
    with db.transaction() as conn:
        tally = conn.root()["tally"]
        assert (tally["a"], tally["b"]) == (10, 0)
        tally.set(b=7)
        tally.add(a=0)                  # nothing to add: nothing written
        assert (tally["a"], tally["b"]) == (10, 7)
        with pytest.raises(KeyError):
            tally["c"]


def letters_for(db, personal, name, count):
    """A community ``name`` and ``count`` letters for sole owners: [(code, id_hash, unit id)]."""
    add_community(db, personal, name, 60)
    with db.transaction() as conn:
        register = community_in(conn.root()[ROOT_KEY], name)["register"]
        return [(codes.issue_letter(register, unit, owner, personal, NOW, "s"), owner.id_hash, unit.__name__)
                for unit, owner in sole_owners(register, count)]


def test_two_owners_using_letters_of_one_bucket_at_once_both_bind(app, db):
    personal = app.registry.personal_data
    issued = letters_for(db, personal, "letters-merge", 6)
    with two_connections(db) as (managers, connections):
        for conn, (code, id_hash, _unit) in zip(connections, issued[:2]):
            register = community_in(conn.root()[ROOT_KEY], "letters-merge")["register"]
            assert codes.redeem_letter(register, personal, code, id_hash, NOW)
        for manager in managers:
            manager.commit()            # the letters' uses share a bucket, and merge
    with db.transaction() as conn:
        register = community_in(conn.root()[ROOT_KEY], "letters-merge")["register"]
        for code, id_hash, _unit in issued[:2]:
            with pytest.raises(codes.CodeRefused):
                codes.check_letter(register, personal, code, id_hash, NOW)
        code, id_hash, _unit = issued[2]
        assert codes.check_letter(register, personal, code, id_hash, NOW)
        assert all(isinstance(r, CodeLetter) and len(r) == len(CodeLetter.fields) for r in register.codes.values())


def test_the_same_letter_used_twice_at_once_conflicts(app, db):
    personal = app.registry.personal_data
    code, id_hash, _unit = letters_for(db, personal, "letters-twice", 1)[0]
    with two_connections(db) as (managers, connections):
        for conn in connections:
            register = community_in(conn.root()[ROOT_KEY], "letters-twice")["register"]
            assert codes.redeem_letter(register, personal, code, id_hash, NOW)
        managers[0].commit()
        with pytest.raises(ConflictError):
            managers[1].commit()
        managers[1].abort()


def test_a_new_letter_supersedes_the_owners_earlier_one_only(app, db):
    personal = app.registry.personal_data
    (first, id_hash, unit_id), (other, other_hash, _u) = letters_for(db, personal, "letters-again", 2)
    with db.transaction() as conn:
        register = community_in(conn.root()[ROOT_KEY], "letters-again")["register"]
        unit = register[unit_id]
        owner = [o for o in unit.owners if o.id_hash == id_hash][0]
        second = codes.issue_letter(register, unit, owner, personal, NOW, "s")
        assert register.letters[id_hash] == codes.code_hash(personal, second)
        assert codes.check_letter(register, personal, first, id_hash, NOW) is False      # as if never issued
        assert codes.use_of(register, codes.code_hash(personal, first))["state"] == "superseded"
        assert codes.check_letter(register, personal, second, id_hash, NOW)
        assert codes.check_letter(register, personal, other, other_hash, NOW)           # another owner's stays


def test_evolve_0041_moves_the_four_lengths_into_one_tally(app, db):
    with db.transaction() as conn:
        portal = conn.root()[ROOT_KEY]
        community = portal["tianhe"]["shipai"]["mingyuan"]
        register = community["register"]
        counted, identities = register.bound_counts(), len(register.bindings)
        assert identities and counted.units
        bindings = register.bindings
        del bindings.counts                                  # as stored before the step
        bindings._bound = Length(identities)
        for name, value in zip(OLD_COUNTERS, counted):
            setattr(register, name, Length(value))
        del portal.evolved["0041-bound-tally"]
    assert evolve.run_pending(db) == ["0041-bound-tally"]
    with db.transaction() as conn:
        community = conn.root()[ROOT_KEY]["tianhe"]["shipai"]["mingyuan"]
        register = community["register"]
        assert not any(name in register.__dict__ for name in OLD_COUNTERS)
        assert "_bound" not in register.bindings.__dict__
        assert register.bound_counts() == counted == recount(community)["counters"]
        assert len(register.bindings) == identities
        account = conn.root()[ROOT_KEY].accounts.by_login("owner1")
        assert service.unbind(community, account, clock.now()) >= 1
        assert register.bound_counts() == recount(community)["counters"]
        assert len(register.bindings) < identities


def test_evolve_0042_moves_each_letters_use_out_of_its_record(app, db):
    personal = app.registry.personal_data
    (unused, h1, _u1), (used, h2, _u2), (superseded, h3, u3) = letters_for(db, personal, "letters-old", 3)
    later = NOW + datetime.timedelta(days=1)
    with db.transaction() as conn:
        portal = conn.root()[ROOT_KEY]
        register = community_in(portal, "letters-old")["register"]
        unit = register[u3]
        newest = codes.issue_letter(register, unit, [o for o in unit.owners if o.id_hash == h3][0],
                                    personal, later, "s")
        states = {codes.code_hash(personal, used): NOW, codes.code_hash(personal, superseded): "superseded"}
        for key, record in list(register.codes.items()):    # the six-field records stored before
            register.codes[key] = CodeLetter(tuple(record) + (states.get(key),))
        del register.code_uses, register.letters
        del portal.evolved["0042-code-letter-uses"]
    assert evolve.run_pending(db) == ["0042-code-letter-uses"]
    with db.transaction() as conn:
        register = community_in(conn.root()[ROOT_KEY], "letters-old")["register"]
        assert all(len(r) == len(CodeLetter.fields) for r in register.codes.values())
        assert register.code_uses[codes.code_hash(personal, used)] == CodeUse.make(state="used", when=NOW)
        assert codes.check_letter(register, personal, unused, h1, NOW)
        with pytest.raises(codes.CodeRefused):
            codes.check_letter(register, personal, used, h2, NOW)
        assert codes.check_letter(register, personal, superseded, h3, NOW) is False
        assert register.letters[h3] == codes.code_hash(personal, newest)
        assert codes.check_letter(register, personal, newest, h3, later)
        assert register.letters[h1] == codes.code_hash(personal, unused)
