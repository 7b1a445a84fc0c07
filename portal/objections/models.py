"""An objection and the container that numbers a ballot's objections."""
from BTrees.IOBTree import IOBTree
from BTrees.Length import Length
from persistent import Persistent

from portal.objections.rules import FILED


class Objection(Persistent):
    """One owner's objection.  ``filer`` is the account's opaque uid, shown to nobody but the
    filer; answers and the decision carry the role that gave them, never a name."""

    attachment = None            # {"filename", "content_type", "size", "blob", "uploaded"}
    decision = None              # {"decision", "reason", "correction", "when"}
    status = FILED

    def __init__(self, number, matter, text, filer, filed_at):
        self.number = number
        self.matter = matter       # a matter id, or None for the ballot as a whole
        self.text = text
        self.filer = filer
        self.filed_at = filed_at
        self.answers = ()          # ({"role", "text", "when"}, ...)


class Objections(Persistent):
    """A ballot's objections by number (1, 2, ...); numbers are never reused."""

    def __init__(self):
        self._items = IOBTree()
        self._count = Length()

    def add(self, matter, text, filer, filed_at):
        number = self._count() + 1
        while number in self._items:          # two filed at once: the later one takes the next
            number += 1
        self._count.change(1)
        objection = Objection(number, matter, text, filer, filed_at)
        self._items[number] = objection
        return objection

    def get(self, number):
        return self._items.get(number)

    def values(self):
        return list(self._items.values())

    def __len__(self):
        return self._count()


class ObjectionAnswered:
    """Sent (with ``portal.events.notify``) after an answer or a decision on ``objection``."""

    def __init__(self, ballot, objection, when):
        self.object = ballot
        self.objection = objection
        self.when = when
