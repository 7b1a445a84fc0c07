"""An append-only audit log, tamper-evident by a hash chain, whose appends never conflict.

Each entry records who (an account uid, never a name or login), what (an action id), where (a
path in the tree), when, and a few non-personal details; it carries the hash of the entry before
it and its own hash over all of that.  ``verify`` recomputes the chain and names the first entry
that does not fit.

New entries go to a small *tail* object.  When two transactions append at once, the tail's
conflict resolution keeps the entries already committed and chains the newcomer's after them
(renumbered, re-hashed), so concurrent appends never fail.  Once the tail holds ``SEAL_AT``
entries, the appending transaction moves them into the permanent BTree and the per-subtree
index, from which staff read their part of the tree by a range scan, however large the log.
"""
import hashlib
import json

from BTrees.LOBTree import LOBTree, LOTreeSet
from BTrees.OOBTree import OOBTree
from persistent import Persistent
from ZODB.POSException import ConflictError

GENESIS = "0" * 64
FORBIDDEN_DETAIL_KEYS = {"name", "id_number", "phone", "password", "login", "owner_name"}
SEAL_AT = 64


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


class AuditTail(Persistent):
    """The newest, not yet sealed entries: ``first`` is the seq of ``entries[0]``."""

    def __init__(self, first=1, prev=GENESIS):
        self.first = first
        self.prev = prev          # the hash of the entry before entries[0]
        self.entries = []

    @property
    def last_hash(self):
        return self.entries[-1]["hash"] if self.entries else self.prev

    @property
    def next_seq(self):
        return self.first + len(self.entries)

    def _p_resolveConflict(self, old, committed, new):
        """Keep what was committed; chain the entries this transaction added after it."""
        if new["first"] != old["first"]:
            raise ConflictError("this transaction sealed the tail; run it again")
        added = new["entries"][len(old["entries"]):]
        if new["entries"][: len(old["entries"])] != old["entries"]:
            raise ConflictError("the tail was not appended to")
        resolved = dict(committed)
        entries = list(committed["entries"])
        prev = entries[-1]["hash"] if entries else committed["prev"]
        seq = committed["first"] + len(entries)
        for entry in added:
            entry = chained(entry, seq, prev)
            entries.append(entry)
            prev, seq = entry["hash"], seq + 1
        resolved["entries"] = entries
        return resolved


class AuditLog(Persistent):
    def __init__(self):
        self._entries = LOBTree()
        self._by_scope = OOBTree()
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
        tail.entries = tail.entries + [entry]
        if len(tail.entries) >= SEAL_AT:
            self.seal()
        return entry

    def seal(self):
        """Move the tail's entries into the permanent BTree and the subtree index."""
        tail = self._tail
        for entry in tail.entries:
            self._entries[entry["seq"]] = entry
            for scope in scopes(entry["path"]):
                seqs = self._by_scope.get(scope)
                if seqs is None:
                    seqs = self._by_scope[scope] = LOTreeSet()
                seqs.add(entry["seq"])
        tail.prev, tail.first, tail.entries = tail.last_hash, tail.next_seq, []

    def get(self, seq):
        if seq >= self._tail.first:
            index = seq - self._tail.first
            return self._tail.entries[index] if index < len(self._tail.entries) else None
        return self._entries.get(seq)

    def entries(self):
        """Every entry, oldest first."""
        yield from self._entries.values()
        yield from self._tail.entries

    def under(self, path, limit=100):
        """The newest ``limit`` entries at or below ``path``, newest first."""
        prefix = subtree_key(path)
        found = [e for e in reversed(self._tail.entries) if e["path"].startswith(prefix)][:limit]
        seqs = self._by_scope.get(prefix)
        while seqs and len(found) < limit:
            try:
                seq = seqs.maxKey(found[-1]["seq"] - 1) if found else seqs.maxKey()
            except ValueError:
                break
            found.append(self._entries[seq])
        return found

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
