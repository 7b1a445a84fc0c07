"""The audit log: chained, tamper-evident, readable by subtree, free of personal data."""
import datetime
import subprocess
import sys

import pytest
import transaction

from portal.audit import log as audit_module
from portal.audit.log import AuditLog, entry_hash, scopes
from portal.bootstrap import ROOT_KEY
from tests.conftest import ini_file

T0 = datetime.datetime(2026, 11, 1, 8, 0, tzinfo=datetime.timezone.utc)


def forge(log, seq, **changes):
    """Replace entry ``seq`` wherever it is kept (sealed BTree or tail)."""
    forged = dict(log.get(seq), **changes)
    if seq in log._entries:
        log._entries[seq] = forged
    else:
        entries = list(log._tail.entries)
        entries[seq - log._tail.first] = forged
        log._tail.entries = entries
    return forged


@pytest.fixture(params=["tail", "sealed", "both"])
def seal_at(request, monkeypatch):
    """Run the log tests with entries in the tail, sealed into the BTree, and split."""
    monkeypatch.setattr(audit_module, "SEAL_AT", {"tail": 1000, "sealed": 1, "both": 3}[request.param])


def filled():
    log = AuditLog()
    log.append(T0, "u1", "content.create", "/tianhe")
    log.append(T0, "u2", "content.create", "/tianhe/shipai")
    log.append(T0, "u2", "content.edit", "/tianhe/shipai/mingyuan", {"fields": "address"})
    log.append(T0, "u3", "content.create", "/tianhe2")
    log.append(T0, "u1", "content.create", "/haizhu")
    return log


def test_an_intact_chain_verifies(seal_at):
    log = filled()
    assert log.verify() == (True, 5, None)
    assert len(log) == 5


def test_each_entry_carries_the_hash_of_the_one_before():
    log = filled()
    assert log.get(2)["prev"] == log.get(1)["hash"]
    assert log.get(1)["prev"] == "0" * 64


@pytest.mark.parametrize("field, value", [
    ("action", "content.delete"), ("actor", "someone-else"), ("path", "/haizhu/"),
    ("when", "2020-01-01T00:00:00+00:00"), ("detail", {"fields": "title"}),
])
def test_changing_any_field_of_an_entry_is_detected(seal_at, field, value):
    log = filled()
    forge(log, 3, **{field: value})
    assert log.verify() == (False, 3, 3)


def test_recomputing_the_forged_entry_hash_still_breaks_the_next_link(seal_at):
    log = filled()
    forged = forge(log, 2, action="content.delete")
    forge(log, 2, hash=entry_hash(forged))
    assert log.verify() == (False, 3, 3)


def test_removing_an_entry_is_detected(seal_at):
    log = filled()
    if 2 in log._entries:
        del log._entries[2]
    else:
        log._tail.entries = [e for e in log._tail.entries if e["seq"] != 2]
    ok, _count, _bad = log.verify()
    assert not ok


def test_entries_are_read_by_subtree_newest_first(seal_at):
    log = filled()
    assert [e["seq"] for e in log.under("/tianhe")] == [3, 2, 1]   # not /tianhe2
    assert [e["seq"] for e in log.under("/tianhe/shipai/mingyuan")] == [3]
    assert [e["seq"] for e in log.under("/")] == [5, 4, 3, 2, 1]
    assert [e["seq"] for e in log.under("/", limit=2)] == [5, 4]
    assert log.under("/nowhere") == []


def test_scopes_of_a_path():
    assert scopes("/a/b") == ["/", "/a/", "/a/b/"]
    assert scopes("/") == ["/"]


@pytest.mark.parametrize("key", ["name", "id_number", "phone", "login", "password"])
def test_personal_data_cannot_be_audited(key):
    with pytest.raises(ValueError):
        AuditLog().append(T0, "u1", "x", "/", {key: "anything"})


def test_the_console_script_verifies_and_detects_tampering(app, db, tmp_path, as_role):
    as_role("admin")  # writes a login entry
    ini = ini_file(tmp_path)
    with db.transaction() as conn:
        assert len(conn.root()[ROOT_KEY].audit_log) >= 1
    db.close()  # the script opens the same FileStorage
    script = [sys.executable, "-m", "portal.scripts.audit", str(ini), "verify"]
    done = subprocess.run(script, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "intact" in done.stdout

    from ZODB import DB
    from ZODB.FileStorage import FileStorage

    forged_db = DB(FileStorage(str(tmp_path / "Data.fs"), blob_dir=str(tmp_path / "blobs")))
    with forged_db.transaction() as conn:
        forge(conn.root()[ROOT_KEY].audit_log, 1, actor="nobody")
    forged_db.close()
    done = subprocess.run(script, capture_output=True, text=True)
    assert done.returncode == 1
    assert "BROKEN at entry 1" in done.stdout
    transaction.abort()


def test_concurrent_appends_resolve_into_one_chain(db):
    """Two transactions append at once on a FileStorage: both commit, the chain holds."""
    import transaction as txn

    tm1, tm2 = txn.TransactionManager(), txn.TransactionManager()
    c1, c2 = db.open(tm1), db.open(tm2)
    with tm1, tm2:
        log1 = c1.root()[ROOT_KEY].audit_log
        log2 = c2.root()[ROOT_KEY].audit_log
        before = len(log1)
        log1.append(T0, "u1", "first", "/tianhe")
        log2.append(T0, "u2", "second", "/haizhu")
        log2.append(T0, "u2", "third", "/haizhu")
        tm1.commit()
        tm2.commit()          # conflicts with tm1's append and is resolved
    c1.close()
    c2.close()
    with db.transaction() as conn:
        log = conn.root()[ROOT_KEY].audit_log
        assert len(log) == before + 3
        assert log.verify() == (True, before + 3, None)
        assert [e["action"] for e in log.under("/", limit=3)] == ["third", "second", "first"]


def test_sealing_while_another_appends_loses_nothing_and_runs_nothing_again(db, monkeypatch):
    """The transaction that fills the tail seals it after it commits, in a transaction of its own,
    so an append at the same moment merges instead of conflicting (it used to be run again)."""
    import transaction as txn

    monkeypatch.setattr(audit_module, "SEAL_AT", 2)
    tm1, tm2 = txn.TransactionManager(), txn.TransactionManager()
    c1, c2 = db.open(tm1), db.open(tm2)
    tm1.begin()
    tm2.begin()
    before = len(c1.root()[ROOT_KEY].audit_log)
    c1.root()[ROOT_KEY].audit_log.append(T0, "u1", "a", "/")
    c1.root()[ROOT_KEY].audit_log.append(T0, "u1", "b", "/")   # fills the tail: sealed after commit
    assert len(c1.root()[ROOT_KEY].audit_log._tail.entries) >= 2   # not sealed inside the transaction
    c2.root()[ROOT_KEY].audit_log.append(T0, "u2", "c", "/")
    tm2.commit()
    tm1.commit()                                                 # merges with c2's append
    c1.close()
    c2.close()
    with db.transaction() as conn:
        audit_log = conn.root()[ROOT_KEY].audit_log
        assert audit_log.verify() == (True, before + 3, None)
        assert audit_log._tail.entries == [] and audit_log._tail.first == before + 4   # sealed, all three
        assert [e["action"] for e in audit_log.under("/", limit=3)] == ["b", "a", "c"]


def test_a_seal_and_an_append_at_once_merge_either_way(db, monkeypatch):
    """The sealing transaction commits before or after an append made at the same moment: both
    land, in one chain, the appended entry after the sealed ones."""
    import transaction as txn

    monkeypatch.setattr(audit_module, "SEAL_AT", 1000)
    with db.transaction() as conn:
        for n in range(3):
            conn.root()[ROOT_KEY].audit_log.append(T0, "u1", f"old{n}", "/tianhe")
    for seal_first in (True, False):
        tm1, tm2 = txn.TransactionManager(), txn.TransactionManager()
        c1, c2 = db.open(tm1), db.open(tm2)
        tm1.begin()
        tm2.begin()
        c1.root()[ROOT_KEY].audit_log.seal()
        c2.root()[ROOT_KEY].audit_log.append(T0, "u2", f"new-{seal_first}", "/haizhu")
        for tm in (tm1, tm2) if seal_first else (tm2, tm1):
            tm.commit()
        c1.close()
        c2.close()
        with db.transaction() as conn:
            audit_log = conn.root()[ROOT_KEY].audit_log
            count = len(audit_log)
            assert audit_log.verify() == (True, count, None)
            assert [e["action"] for e in audit_log._tail.entries] == [f"new-{seal_first}"]
            assert audit_log.get(count)["action"] == f"new-{seal_first}"
            assert audit_log.under("/haizhu", limit=1)[0]["action"] == f"new-{seal_first}"


def test_two_seals_at_once_cannot_both_land(db):
    from ZODB.POSException import ConflictError
    import transaction as txn

    with db.transaction() as conn:
        conn.root()[ROOT_KEY].audit_log.append(T0, "u1", "x", "/")
    tm1, tm2 = txn.TransactionManager(), txn.TransactionManager()
    c1, c2 = db.open(tm1), db.open(tm2)
    tm1.begin()
    tm2.begin()
    c1.root()[ROOT_KEY].audit_log.seal()
    c2.root()[ROOT_KEY].audit_log.seal()
    tm1.commit()
    with pytest.raises(ConflictError):
        tm2.commit()
    tm2.abort()
    c1.close()
    c2.close()
    with db.transaction() as conn:
        assert conn.root()[ROOT_KEY].audit_log.verify()[0]


def test_a_failed_seal_after_commit_leaves_the_tail_for_the_next_append(db, monkeypatch):
    monkeypatch.setattr(audit_module, "SEAL_AT", 2)
    with audit_module.SEALING:                  # another thread of this process is sealing
        with db.transaction() as conn:
            conn.root()[ROOT_KEY].audit_log.append(T0, "u1", "a", "/")
            conn.root()[ROOT_KEY].audit_log.append(T0, "u1", "b", "/")
    with db.transaction() as conn:
        assert len(conn.root()[ROOT_KEY].audit_log._tail.entries) >= 2      # not sealed yet
    with db.transaction() as conn:
        conn.root()[ROOT_KEY].audit_log.append(T0, "u1", "c", "/")
    with db.transaction() as conn:
        audit_log = conn.root()[ROOT_KEY].audit_log
        assert audit_log._tail.entries == [] and audit_log.verify()[0]


def test_a_tail_stored_with_entries_as_dicts_reads_and_merges_as_one_of_lines():
    """Tails stored before entries were kept as JSON lines held a list of dicts: such a state
    loads, and a merge of two appends onto it (old, committed, new in that shape) chains both."""
    log = AuditLog()
    for n in range(3):
        log.append(T0, "u1", f"old-{n}", "/tianhe/")
    dicts = log._tail.entries
    stored = {"first": 1, "prev": audit_module.GENESIS, "entries": dicts}
    tail = audit_module.AuditTail()
    tail.__setstate__(stored)
    assert tail.entries == dicts and len(tail) == 3 and "entries" not in tail.__dict__
    assert tail.last_hash == dicts[-1]["hash"] and tail.next_seq == 4

    def appended(action):
        entry = audit_module.chained({"when": T0.isoformat(), "actor": "u2", "action": action,
                                      "path": "/tianhe/", "detail": {}}, 4, dicts[-1]["hash"])
        return {"first": 1, "prev": audit_module.GENESIS, "entries": dicts + [entry]}

    resolved = tail._p_resolveConflict(stored, appended("committed"), appended("new"))
    merged = audit_module.AuditTail()
    merged.__setstate__(resolved)
    assert [e["action"] for e in merged.entries] == ["old-0", "old-1", "old-2", "committed", "new"]
    assert [e["seq"] for e in merged.entries] == [1, 2, 3, 4, 5]
    log._tail = merged
    assert log.verify() == (True, 5, None)
