"""An append-only audit log, tamper-evident by a hash chain, whose appends never conflict.

Each entry records who (an account uid, never a name or login), what (an action id), where (a
path in the tree), when, and a few non-personal details; it carries the hash of the entry before
it and its own hash over all of that.  ``verify`` recomputes the chain and names the first entry
that does not fit.

New entries go to a small *tail* object.  When two transactions append at once, the tail's
conflict resolution keeps the entries already committed and chains the newcomer's after them
(renumbered, re-hashed), so concurrent appends never fail.  Once the tail holds ``SEAL_AT``
entries, they are moved into the permanent BTree and the per-subtree index, from which staff read
their part of the tree by a range scan, however large the log.

Sealing is not done by the appending transaction: every transaction appending at that moment
would seal, and all but one would have to run again.  The transaction that fills the tail seals it
just after it commits, in a transaction of its own (one at a time per process), and an append that
meets a seal merges with it: the sealed entries left the tail, the appended ones stay, chained
after them.  Two seals at once (two processes) cannot merge; the loser gives up, and the next
filled tail is sealed by the next append.  Outside a database (no connection), ``append`` seals
at once.
"""
import datetime
import hashlib
import json
import logging
import threading

import transaction

from BTrees.LOBTree import LOBTree, LOTreeSet
from BTrees.OOBTree import OOBTree
from persistent import Persistent
from ZODB.POSException import ConflictError

GENESIS = "0" * 64
FORBIDDEN_DETAIL_KEYS = {"name", "id_number", "phone", "password", "login", "owner_name"}
SEAL_AT = 64
SEALING = threading.Lock()          # one seal at a time in this process
_SEAL_PLANNED = "portal.audit.seal-planned"       # transaction data: this transaction will seal after it commits

log = logging.getLogger(__name__)


def entry_hash(entry):
    """The SHA-256 of an entry's content and its predecessor's hash (canonical JSON)."""
    body = {k: entry[k] for k in ("seq", "when", "actor", "action", "path", "detail", "prev")}
    data = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def chained(entry, seq, prev):
    """``entry`` placed at ``seq`` after the entry whose hash is ``prev``."""
    entry = dict(entry, seq=seq, prev=prev)
    entry["hash"] = entry_hash(entry)
    return entry


def subtree_key(path):
    """Paths are stored with a trailing slash so '/tianhe/' never matches '/tianhe2/'."""
    return path if path.endswith("/") else path + "/"


def scopes(path):
    """'/a/b/' -> ['/', '/a/', '/a/b/']: every subtree an entry at ``path`` belongs to."""
    parts = [p for p in subtree_key(path).split("/") if p]
    return ["/"] + ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]


def made(entry):
    return datetime.datetime.fromisoformat(entry["when"])


def within(entry, since, until):
    when = made(entry) if since is not None or until is not None else None
    return not ((since is not None and when < since) or (until is not None and when >= until))


def encoded(entry):
    """An entry as the tail keeps it: its JSON text."""
    return json.dumps(entry, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _lines_of(state):
    """A stored tail state's entries as JSON lines (tails stored before held them as dicts)."""
    if "lines" in state:
        return tuple(state["lines"])
    return tuple(encoded(entry) for entry in state.get("entries", ()))


class AuditTail(Persistent):
    """The newest, not yet sealed entries: ``first`` is the seq of the first.

    Each entry is kept as its JSON text (``lines``): a commit pickles one string per entry rather
    than every key and value of every entry, and so does the merge of two appends; read as dicts
    through ``entries``."""

    def __init__(self, first=1, prev=GENESIS):
        self.first = first
        self.prev = prev          # the hash of the entry before the first
        self.lines = ()

    def __setstate__(self, state):
        state = dict(state)
        state["lines"] = _lines_of(state)
        state.pop("entries", None)
        super().__setstate__(state)

    @property
    def entries(self):
        return [json.loads(line) for line in self.lines]

    @entries.setter
    def entries(self, entries):
        self.lines = tuple(encoded(entry) for entry in entries)

    def entry(self, index):
        return json.loads(self.lines[index])

    def add(self, entry):
        self.lines = self.lines + (encoded(entry),)

    def __len__(self):
        return len(self.lines)

    @property
    def last_hash(self):
        return self.entry(-1)["hash"] if self.lines else self.prev

    @property
    def next_seq(self):
        return self.first + len(self.lines)

    def _p_resolveConflict(self, old, committed, new):
        """Keep what was committed; chain the entries this transaction added after it.

        Either side may have sealed (moved every entry it found into the BTree, ``first`` moving
        past them), never both: the other side's additions stay, in order, chained after them."""
        old_lines, committed_lines, new_lines = _lines_of(old), _lines_of(committed), _lines_of(new)
        committed, new = _without_entries(committed), _without_entries(new)
        if new["first"] != old["first"] and committed["first"] != old["first"]:
            raise ConflictError("both transactions sealed the tail")
        if new["first"] != old["first"]:        # this transaction sealed: committed's appends stay
            if new["first"] != old["first"] + len(old_lines) or committed_lines[:len(old_lines)] != old_lines:
                raise ConflictError("the tail was sealed and changed otherwise")
            base = dict(committed, first=new["first"], prev=new["prev"])
            return _chain_after(base, committed_lines[len(old_lines):], new_lines)
        if new_lines[:len(old_lines)] != old_lines:
            raise ConflictError("the tail was not appended to")
        return _chain_after(dict(committed), committed_lines, new_lines[len(old_lines):])


def _without_entries(state):
    return {key: value for key, value in state.items() if key != "entries"}


def _chain_after(resolved, lines, added):
    """The tail state ``resolved`` holding ``lines``, with the entries (JSON lines) ``added``
    chained after them."""
    lines = list(lines)
    prev = json.loads(lines[-1])["hash"] if lines else resolved["prev"]
    seq = resolved["first"] + len(lines)
    for line in added:
        entry = chained(json.loads(line), seq, prev)
        lines.append(encoded(entry))
        prev, seq = entry["hash"], seq + 1
    resolved["lines"] = tuple(lines)
    return resolved


class AuditLog(Persistent):
    _by_action = None           # (scope, action) -> seqs; logs made before it get it from evolve 0033

    def __init__(self):
        self._entries = LOBTree()
        self._by_scope = OOBTree()
        self._by_action = OOBTree()
        self._tail = AuditTail()

    def __len__(self):
        return self._tail.next_seq - 1

    def append(self, when, actor, action, path, detail=None):
        detail = {str(k): str(v) for k, v in (detail or {}).items()}
        leaked = FORBIDDEN_DETAIL_KEYS.intersection(detail)
        if leaked:
            raise ValueError(f"personal data may not be audited: {sorted(leaked)}")
        tail = self._tail
        entry = chained(
            {"when": when.isoformat(), "actor": actor or "", "action": action,
             "path": subtree_key(path), "detail": detail},
            tail.next_seq, tail.last_hash,
        )
        tail.add(entry)
        if len(tail) >= SEAL_AT:
            self._seal_soon()
        return entry

    def _seal_soon(self):
        """Seal now when the log is not stored; else once this transaction has committed."""
        jar = self._p_jar
        if jar is None or self._p_oid is None:
            self.seal()
            return
        txn = jar.transaction_manager.get()
        try:
            txn.data(_SEAL_PLANNED)
        except KeyError:
            txn.set_data(_SEAL_PLANNED, True)
            txn.addAfterCommitHook(seal_after_commit, (jar.db(), self._p_oid))

    def seal(self):
        """Move the tail's entries into the permanent BTree and the subtree index."""
        tail = self._tail
        for entry in tail.entries:
            self._entries[entry["seq"]] = entry
            self.index(entry)
        tail.prev, tail.first, tail.lines = tail.last_hash, tail.next_seq, ()

    def index(self, entry):
        """File a sealed entry under every subtree it belongs to, with and without its action."""
        for scope in scopes(entry["path"]):
            for index, key in ((self._by_scope, scope), (self._by_action, (scope, entry["action"]))):
                seqs = index.get(key)
                if seqs is None:
                    seqs = index[key] = LOTreeSet()
                seqs.add(entry["seq"])

    def find(self, path, limit=100, action=None, since=None, until=None):
        """The newest ``limit`` entries at or below ``path``, newest first: of ``action`` only when
        given, made at or after ``since`` and before ``until`` (aware datetimes) when given.  Reads
        the entries it returns and a binary search for ``until``, never the rest of the log."""
        prefix = subtree_key(path)

        def fits(entry):
            return (entry["path"].startswith(prefix) and action in (None, entry["action"])
                    and within(entry, since, until))

        found = [e for e in reversed(self._tail.entries) if fits(e)][:limit]
        seqs = self._by_action.get((prefix, action)) if action else self._by_scope.get(prefix)
        cursor = self._last_before(until) if until is not None else None
        if found:
            cursor = found[-1]["seq"] - 1 if cursor is None else min(cursor, found[-1]["seq"] - 1)
        while seqs and len(found) < limit:
            try:
                seq = seqs.maxKey(cursor) if cursor is not None else seqs.maxKey()
            except ValueError:
                break
            entry = self._entries[seq]
            if since is not None and made(entry) < since:
                break
            found.append(entry)
            cursor = seq - 1
        return found

    def _last_before(self, until):
        """The highest sealed seq whose entry was made before ``until`` (0 if none): entries are
        numbered in the order they were made."""
        low, high = 0, self._tail.first - 1
        while low < high:
            middle = (low + high + 1) // 2
            seq = self._entries.maxKey(middle)
            if made(self._entries[seq]) < until:
                low = middle
            else:
                high = middle - 1
        return low

    def get(self, seq):
        if seq >= self._tail.first:
            index = seq - self._tail.first
            return self._tail.entry(index) if index < len(self._tail) else None
        return self._entries.get(seq)

    def entries(self):
        """Every entry, oldest first."""
        yield from self._entries.values()
        yield from self._tail.entries

    def under(self, path, limit=100):
        """The newest ``limit`` entries at or below ``path``, newest first."""
        return self.find(path, limit)

    def verify(self):
        """(ok, number of entries checked, seq of the first bad entry or None)."""
        prev = GENESIS
        count = 0
        for entry in self.entries():
            count += 1
            if entry["seq"] != count or entry["prev"] != prev or entry_hash(entry) != entry["hash"]:
                return False, count, count
            prev = entry["hash"]
        if count != len(self) or prev != self._tail.last_hash:
            return False, count, count + 1
        return True, count, None


def seal_after_commit(committed, db, oid):
    """After-commit hook: seal the log ``oid`` in a transaction of its own (see the module's
    docstring).  Never raises: an unsealed tail only waits for the next append."""
    if not committed or not SEALING.acquire(blocking=False):
        return
    try:
        tm = transaction.TransactionManager(explicit=True)
        conn = db.open(tm)
        try:
            tm.begin()
            audit_log = conn.get(oid)
            if len(audit_log._tail) >= SEAL_AT:
                audit_log.seal()
                tm.get().note("audit log: sealed the tail")
                tm.commit()
            else:
                tm.abort()
        except ConflictError:
            tm.abort()
            log.info("audit log: another seal came first; the next append seals")
        except Exception as error:       # the request has committed already: never fail it
            tm.abort()
            log.warning("audit log: sealing failed (%s); the next append seals", type(error).__name__)
        finally:
            conn.close()
    finally:
        SEALING.release()
