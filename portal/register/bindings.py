"""``register.bindings``: which account holds each bound identity of a register (no Pyramid here).

Read as a mapping of the bound identities only (id hash -> ``records.Binding``), but stored as an
OOBTree in which every identity of the register has its key from the moment it is indexed
(``seed``), holding ``UNBOUND`` until an account binds it.  Binding or unbinding then changes one
value in one bucket and never adds or removes a key: buckets never split or merge under binding,
the tree above them is never written, and two owners binding at once whose keys share a bucket
always merge (BTrees resolves concurrent changes to different keys' values).

One ``Tally``, which merges concurrent changes too, counts the bound identities and holds the
register's bound counters (``register.bound``: units, buyers, developer units), which binding
moves by what each identity adds.
"""
from BTrees.OOBTree import OOBTree
from persistent import Persistent

from portal.register.bound import BoundCounts
from portal.register.tally import Tally

# An unbound identity's value: false, one byte in a pickle, and ordered before every record (a
# bucket's merge compares the old, committed and new value of each key with ``<``).
UNBOUND = ()


def new_counts(identities=0, counted=BoundCounts()):
    return Tally(identities=identities, **counted._asdict())


class Bindings(Persistent):

    def __init__(self, bound=()):
        self._tree = OOBTree()
        self.counts = new_counts()
        for id_hash, record in dict(bound).items():
            self[id_hash] = record

    def seed(self, id_hashes):
        """Give every identity in ``id_hashes`` its key, and drop the unbound keys of identities
        no longer in the register (an edit of the register; never a bind)."""
        wanted = set(id_hashes)
        tree = self._tree
        stale = [key for key, record in tree.items() if not record and key not in wanted]
        for key in stale:
            del tree[key]
        for key in sorted(wanted):
            if key not in tree:
                tree[key] = UNBOUND

    def get(self, id_hash, default=None):
        record = self._tree.get(id_hash)
        return record if record else default

    def lookup_objects(self):
        """The persistent objects ``get`` reads (for ``catalog.prefetch``)."""
        return (self._tree,)

    def __getitem__(self, id_hash):
        record = self.get(id_hash)
        if record is None:
            raise KeyError(id_hash)
        return record

    def __contains__(self, id_hash):
        return self.get(id_hash) is not None

    def __setitem__(self, id_hash, record):
        if not record:
            raise ValueError("a binding record cannot be empty")
        if id_hash not in self:
            self.counts.add(identities=1)
        self._tree[id_hash] = record

    def __delitem__(self, id_hash):
        if id_hash not in self:
            raise KeyError(id_hash)
        self._tree[id_hash] = UNBOUND
        self.counts.add(identities=-1)

    def __len__(self):
        return self.counts["identities"]

    def bound_counts(self):
        return BoundCounts(*(self.counts[name] for name in BoundCounts._fields))

    def count_binding(self, change, sign=1):
        """Add (``sign`` 1) or take away (-1) a ``BoundCounts`` change."""
        self.counts.add(**{name: sign * delta for name, delta in change._asdict().items()})

    def set_bound_counts(self, counted):
        """Set the counters to a recount (after an edit of the register)."""
        self.counts.set(**counted._asdict())

    def items(self):
        return ((key, record) for key, record in self._tree.items() if record)

    def keys(self):
        return (key for key, _record in self.items())

    def values(self):
        return (record for _key, record in self.items())

    __iter__ = keys
