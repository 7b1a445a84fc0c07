"""The BTree folder every container of the tree is built on.

Children live in an ``OOBTree`` keyed by slug and are counted by a ``BTrees.Length``, so a
street with a thousand communities costs a request no more than a street with three, and two
clerks adding children at once resolve instead of conflicting on the count.
"""
from BTrees.Length import Length
from BTrees.OOBTree import OOBTree
from persistent import Persistent

from portal.events import ObjectAdded, ObjectWillBeRemoved, notify
from portal.security.acl import ACLMixin


class Folder(Persistent):
    """An ordered-by-name container of persistent children."""

    __name__ = None
    __parent__ = None
    type_name = "Folder"
    title = ""

    def __init__(self, title=""):
        self.title = title
        self._children = OOBTree()
        self._count = Length()
        self.local_roles = OOBTree()

    def __getitem__(self, name):
        return self._children[name]

    def get(self, name, default=None):
        return self._children.get(name, default)

    def lookup_objects(self):
        """The persistent objects ``get`` reads (for ``catalog.prefetch``)."""
        return (self._children,)

    def __contains__(self, name):
        return name in self._children

    def __len__(self):
        return self._count()

    def __iter__(self):
        return iter(self._children.keys())

    def keys(self, start=None, limit=None):
        return self._slice(self._children.keys(start), limit)

    def values(self, start=None, limit=None):
        return self._slice(self._children.values(start), limit)

    def items(self, start=None, limit=None):
        return self._slice(self._children.items(start), limit)

    @staticmethod
    def _slice(seq, limit):
        if limit is None:
            return list(seq)
        out = []
        for item in seq:
            if len(out) >= limit:
                break
            out.append(item)
        return out

    def add(self, name, child):
        """Put ``child`` in under ``name``; the name must be free.  Sends ``ObjectAdded``."""
        if name in self._children:
            raise KeyError(name)
        child.__name__ = name
        child.__parent__ = self
        self._children[name] = child
        self._count.change(1)
        notify(ObjectAdded(child, self, name))
        return child

    def remove(self, name):
        notify(ObjectWillBeRemoved(self._children[name], self, name))
        child = self._children.pop(name)
        self._count.change(-1)
        child.__parent__ = None
        return child


class NumberedFolder(ACLMixin, Folder):
    """A folder that names its children itself: ``<prefix>1``, ``<prefix>2``, ... (ballots,
    documents).  Its permission map is fixed by the class."""

    prefix = "n"
    permissions = {}

    def __init__(self):
        super().__init__(self.title)
        self._next = 1

    def new_id(self):
        child_id = f"{self.prefix}{self._next}"
        self._next += 1
        return child_id

    def permission_roles(self):
        return self.permissions


def root_of(node):
    """The top of the tree ``node`` is in (the portal)."""
    while node.__parent__ is not None:
        node = node.__parent__
    return node


def communities_under(node):
    """Every community at or below ``node``, walking the tree (evolve steps and maintenance
    scripts only: pages and lists read the catalog)."""
    if node.type_name == "Community":
        yield node
        return
    for child in node.values():
        yield from communities_under(child)
