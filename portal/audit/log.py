"""An append-only audit log, tamper-evident by a hash chain.

Each entry records who (an account uid, never a name or login), what (an action id), where (a
path in the tree), when, and a few non-personal details; it carries the hash of the entry before
it and its own hash over all of that.  ``verify`` recomputes the chain and names the first entry
that does not fit.  Entries are indexed by path so staff read their part of the tree by a range
scan, however large the city's log grows.
"""
import hashlib
import json

from BTrees.LOBTree import LOBTree, LOTreeSet
from BTrees.OOBTree import OOBTree
from persistent import Persistent

GENESIS = "0" * 64
FORBIDDEN_DETAIL_KEYS = {"name", "id_number", "phone", "password", "login", "owner_name"}


def entry_hash(entry):
    """The SHA-256 of an entry's content and its predecessor's hash (canonical JSON)."""
    body = {k: entry[k] for k in ("seq", "when", "actor", "action", "path", "detail", "prev")}
    data = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def subtree_key(path):
    """Paths are stored with a trailing slash so '/tianhe/' never matches '/tianhe2/'."""
    return path if path.endswith("/") else path + "/"


def scopes(path):
    """'/a/b/' -> ['/', '/a/', '/a/b/']: every subtree an entry at ``path`` belongs to."""
    parts = [p for p in subtree_key(path).split("/") if p]
    return ["/"] + ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]


class AuditLog(Persistent):
    def __init__(self):
        self._entries = LOBTree()
        self._by_scope = OOBTree()
        self._next = 1
        self._last_hash = GENESIS

    def __len__(self):
        return self._next - 1

    def append(self, when, actor, action, path, detail=None):
        detail = {str(k): str(v) for k, v in (detail or {}).items()}
        leaked = FORBIDDEN_DETAIL_KEYS.intersection(detail)
        if leaked:
            raise ValueError(f"personal data may not be audited: {sorted(leaked)}")
        entry = {
            "seq": self._next,
            "when": when.isoformat(),
            "actor": actor or "",
            "action": action,
            "path": subtree_key(path),
            "detail": detail,
            "prev": self._last_hash,
        }
        entry["hash"] = entry_hash(entry)
        self._entries[entry["seq"]] = entry
        for scope in scopes(entry["path"]):
            seqs = self._by_scope.get(scope)
            if seqs is None:
                seqs = self._by_scope[scope] = LOTreeSet()
            seqs.add(entry["seq"])
        self._next += 1
        self._last_hash = entry["hash"]
        return entry

    def get(self, seq):
        return self._entries.get(seq)

    def entries(self, start=1):
        return self._entries.values(start)

    def under(self, path, limit=100):
        """The newest ``limit`` entries at or below ``path``, newest first."""
        seqs = self._by_scope.get(subtree_key(path))
        found = []
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
        for seq, entry in self._entries.items():
            count += 1
            if seq != count or entry["prev"] != prev or entry_hash(entry) != entry["hash"]:
                return False, count, seq
            prev = entry["hash"]
        if prev != self._last_hash or count != len(self):
            return False, count, count + 1
        return True, count, None
