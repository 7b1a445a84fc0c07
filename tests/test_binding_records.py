"""Records in the register's buckets merge when two transactions change different keys, and older
databases are brought to the bound counters, the records and the staff index by evolve steps."""
import datetime

import pytest
import transaction
from ZODB.POSException import ConflictError

from portal import clock, evolve
from portal.binding import service
from portal.security import localroles
from portal.bootstrap import ROOT_KEY
from BTrees.Length import Length
from BTrees.OOBTree import OOBTree

from portal.register.bindings import Bindings
from portal.register.models import GrowingIndex
from portal.register.setup import OLD_COUNTERS
from portal.register.records import Binding, CodeLetter, Record
from portal.security.accounts import OWNER, STAFF, Account, Accounts
from tests.binding_load_helpers import recount, two_connections

NOW = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.timezone.utc)


class Letter(Record):
    """A code letter record as stored before step 0042 (its use inside it): values of three
    types (None, a time, a word) in one field."""
    __slots__ = ()
    fields = ("unit", "id_hash", "issued", "expires", "issued_by", "used")


def letter(n, used=None):
    return Letter.make(unit=f"u{n}", id_hash=f"h{n}", issued=NOW, expires=NOW, issued_by="s", used=used)


def test_a_record_reads_like_a_mapping_and_survives_pickling():
    import pickle

    record = Binding.make(uid="a1", when=NOW, method="code")
    assert record["uid"] == "a1" and record["method"] == "code" and record.get("nothing") is None
    with pytest.raises(KeyError):
        record["nothing"]
    again = pickle.loads(pickle.dumps(record, 3))
    assert type(again) is Binding and again == record and again["when"] == NOW
    assert letter(1).replace(used="superseded")["used"] == "superseded"
    assert Binding.of({"uid": "a1", "when": NOW, "method": "code"}) == record


def test_records_of_different_kinds_of_value_order_without_raising():
    unused, used, superseded = letter(1), letter(1, used=NOW), letter(1, used="superseded")
    ordered = sorted([used, superseded, unused])
    assert len(set(ordered)) == 3 and unused != used
    assert (unused < used) != (used < unused)


def test_records_whose_values_compare_order_as_tuples():
    """The fast path a bucket's merge takes for every record it holds."""
    from portal.register.records import Binding

    early = Binding.make(uid="u1", when=NOW, method="code")
    late = Binding.make(uid="u1", when=NOW + datetime.timedelta(seconds=1), method="code")
    other = Binding.make(uid="u2", when=NOW, method="face")
    assert sorted([other, late, early]) == [early, late, other]
    assert early <= early and late >= early and not (early > late) and early == tuple(early)


@pytest.mark.parametrize("first,second,expected", [
    (lambda t: t.__setitem__("k1", letter(1, used=NOW)), lambda t: t.__setitem__("k3", letter(3, "superseded")),
     {"k1": letter(1, used=NOW), "k3": letter(3, "superseded"), "k0": letter(0)}),
    (lambda t: t.__setitem__("a", letter(8)), lambda t: t.__setitem__("z", letter(9)),
     {"a": letter(8), "z": letter(9), "k5": letter(5)}),
    (lambda t: t.__setitem__("k2", letter(2, used=NOW)), lambda t: t.__delitem__("k4"),
     {"k2": letter(2, used=NOW), "k4": None}),
])
def test_two_connections_changing_different_keys_of_one_bucket_merge(db, first, second, expected):
    with db.transaction() as conn:
        conn.root()["letters"] = OOBTree({f"k{n}": letter(n) for n in range(6)})
    with two_connections(db) as (managers, connections):
        trees = [c.root()["letters"] for c in connections]
        first(trees[0])
        second(trees[1])
        managers[0].commit()
        managers[1].commit()              # a dict or a None/datetime tuple here would conflict
    with db.transaction() as conn:
        merged = conn.root()["letters"]
        assert {key: merged.get(key) for key in expected} == expected
        assert all(isinstance(v, Letter) for v in merged.values())


def test_the_same_key_changed_twice_still_conflicts(db):
    with db.transaction() as conn:
        conn.root()["letters"] = OOBTree({f"k{n}": letter(n) for n in range(6)})
    with two_connections(db) as (managers, connections):
        trees = [c.root()["letters"] for c in connections]
        trees[0]["k1"] = letter(1, used=NOW)
        trees[1]["k1"] = letter(1, used="superseded")
        managers[0].commit()
        with pytest.raises(ConflictError):
            managers[1].commit()
        managers[1].abort()


def forget_identities(portal):
    """Accounts as they were before they held the reverse index of their bindings."""
    for account in portal.accounts.values():
        account.__dict__.pop("identities", None)
        account._p_changed = True


def make_old(register, community):
    """Give a register the shape binding left before the counters: a stored summary with bound
    figures, dict records, no reverse index and no counters."""
    register._p_activate()
    old_summary = dict(register.figures, bound_units=999, bound_owners=999)
    for name in ("figures", "code_uses", "letters"):
        delattr(register, name)
    register.__dict__["summary"] = old_summary
    register._p_changed = True
    register.bindings = OOBTree({key: dict(zip(r.fields, r)) for key, r in register.bindings.items()})
    community.local_roles = OOBTree(community.local_roles)
    for key, record in list(register.codes.items()):
        register.codes[key] = dict(zip(record.fields, record))
    community.register_summary = dict(community.register_summary, bound_units=999, bound_owners=999)
    return old_summary


STEPS = ("0010-register-bound-counters", "0011-staff-index", "0038-bindings-seeded-and-on-accounts",
         "0041-bound-tally", "0042-code-letter-uses")


def test_an_older_database_gets_the_counters_records_and_staff_index(app, db):
    with db.transaction() as conn:
        portal = conn.root()[ROOT_KEY]
        community = portal["tianhe"]["shipai"]["mingyuan"]
        register = community["register"]
        bindings_before = {h: r["uid"] for h, r in register.bindings.items()}
        assert bindings_before
        old = make_old(register, community)
        forget_identities(portal)
        del portal.accounts._staff
        for name in STEPS:
            del portal.evolved[name]
    with db.transaction() as conn:
        register = conn.root()[ROOT_KEY]["tianhe"]["shipai"]["mingyuan"]["register"]
        assert register.figures is None and register.summary == {}
    assert evolve.run_pending(db) == list(STEPS)
    with db.transaction() as conn:
        portal = conn.root()[ROOT_KEY]
        community = portal["tianhe"]["shipai"]["mingyuan"]
        register = community["register"]
        assert "summary" not in register.__dict__
        expected = recount(community)
        assert register.bound_counts() == expected["counters"]
        assert register.summary["bound_owners"] == expected["bound_owners"] == 3
        assert {k: register.summary[k] for k in ("units", "owners", "area", "gaps")} == {
            k: old[k] for k in ("units", "owners", "area", "gaps")}
        assert "bound_owners" not in community.register_summary
        assert all(isinstance(r, Binding) for r in register.bindings.values())
        assert isinstance(register.bindings, Bindings) and isinstance(community.local_roles, GrowingIndex)
        assert {h: r["uid"] for h, r in register.bindings.items()} == bindings_before
        owner1 = portal.accounts.by_login("owner1")
        assert owner1.uid not in community.local_roles          # owners by binding, not by a grant
        assert "owner" in localroles.effective_roles(community["ballots"], owner1.uid, owner1)
        assert all(isinstance(r, CodeLetter) for r in register.codes.values())
        for id_hash, uid in bindings_before.items():
            assert id_hash in service.bound_identities(register, uid)
        assert [a.login for a in portal.accounts.staff()] == sorted(
            a.login for a in portal.accounts.values() if a.kind == STAFF)
        account = portal.accounts.by_login("owner1")
        assert service.unbind(community, account, clock.now()) >= 1
        assert register.bound_counts() == recount(community)["counters"]


def test_the_staff_index_follows_added_and_removed_accounts():
    accounts = Accounts()
    zed = accounts.add(Account("zed", "Z", "password-1"))
    owner = accounts.add(Account("m-owner", "O", "password-2", kind=OWNER))
    amy = accounts.add(Account("amy", "A", "password-3"))
    assert [a.login for a in accounts.staff()] == ["amy", "zed"]
    accounts.remove(zed.uid)
    assert [a.login for a in accounts.staff()] == ["amy"] and accounts.get(zed.uid) is None
    assert not accounts.login_taken("zed") and len(accounts) == 2
    accounts.remove(owner.uid)
    assert [a.login for a in accounts.staff()] == ["amy"] and len(accounts) == 1
    accounts.add(Account("zed", "Z again", "password-4"))
    assert [a.title for a in accounts.staff()] == ["A", "Z again"]
    assert accounts.remove(amy.uid) is amy


def test_listing_staff_reads_no_owner_account(db):
    with db.transaction() as conn:
        accounts = conn.root()[ROOT_KEY].accounts
        for n in range(300):
            accounts.add(Account(f"m-many{n:03d}", "O", "password-x", kind=OWNER))
        staff = sorted(a.login for a in accounts.values() if a.kind == STAFF)
    tm = transaction.TransactionManager()
    conn = db.open(tm)
    try:
        conn.cacheMinimize()
        with tm:
            accounts = conn.root()[ROOT_KEY].accounts
            conn.getTransferCounts(clear=True)
            listed = [a.login for a in accounts.staff()]
            loads, _stores = conn.getTransferCounts()
    finally:
        conn.close()
    assert listed == staff
    assert loads <= len(staff) + 12, loads          # the index and the staff accounts, not 300 owners


ERA_STEPS = ("0038-bindings-seeded-and-on-accounts", "0041-bound-tally")


def test_a_database_with_growing_bindings_gets_seeded_ones_and_the_index_on_accounts(app, db):
    """Between steps 0010 and 0038, bindings were a GrowingIndex with a reverse index beside them
    on the register: 0038 seeds every identity and moves the reverse index onto the accounts."""
    with db.transaction() as conn:
        portal = conn.root()[ROOT_KEY]
        community = portal["tianhe"]["shipai"]["mingyuan"]
        register = community["register"]
        before = {h: r["uid"] for h, r in register.bindings.items()}
        by_uid = {}
        for id_hash, uid in before.items():
            by_uid[uid] = tuple(sorted(by_uid.get(uid, ()) + (id_hash,)))
        counted = register.bound_counts()
        register.bindings = GrowingIndex(dict(register.bindings.items()))
        register.bindings_by_uid = GrowingIndex(by_uid)
        for name, value in zip(OLD_COUNTERS, counted):        # the counters were Lengths on the register
            setattr(register, name, Length(value))
        forget_identities(portal)
        for name in ERA_STEPS:
            del portal.evolved[name]
    assert evolve.run_pending(db) == list(ERA_STEPS)
    with db.transaction() as conn:
        portal = conn.root()[ROOT_KEY]
        community = portal["tianhe"]["shipai"]["mingyuan"]
        register = community["register"]
        assert isinstance(register.bindings, Bindings) and "bindings_by_uid" not in register.__dict__
        assert {h: r["uid"] for h, r in register.bindings.items()} == before and len(register.bindings) == len(before)
        assert set(register.bindings._tree.keys()) == set(register.identity_index.keys())
        for uid, hashes in by_uid.items():
            assert service.bound_identities(register, uid) == list(hashes)
            assert portal.accounts.get(uid).identities == tuple(("/tianhe/shipai/mingyuan", h) for h in hashes)
        assert register.bound_counts() == counted == recount(community)["counters"]
        account = portal.accounts.get(sorted(by_uid)[0])
        assert service.unbind(community, account, clock.now()) == len(by_uid[account.uid])
        assert not service.bound_identities(register, account.uid) and not account.communities
        assert register.bound_counts() == recount(community)["counters"]
    assert evolve.run_pending(db) == []


def test_a_new_community_keeps_its_bindings_seeded(app, db):
    from tests.binding_load_helpers import add_community, community_in

    add_community(db, app.registry.personal_data, "fresh", 10)
    with db.transaction() as conn:
        community = community_in(conn.root()[ROOT_KEY], "fresh")
        register = community["register"]
        assert isinstance(register.bindings, Bindings) and len(register.bindings) == 0
        assert set(register.bindings._tree.keys()) == set(register.identity_index.keys())
