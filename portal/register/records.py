"""Records kept as values in the register's BTrees (bindings, binding code letters).

A BTree bucket merges two transactions that changed different keys only if it can compare the
old, committed and new value of every key, with ``<``.  Dicts cannot be compared that way, nor can
tuples that hold None in one version and a datetime in another, so buckets of such values conflict
whenever two owners bind at once.  A ``Record`` is an immutable tuple, read like a mapping
(``record["uid"]``), whose order never raises: values of different types order by type name.
"""
import operator


def _orderable(value):
    return (type(value).__name__, value)


def _ordering(name):
    """``Record.__lt__`` and its kin: as tuples, else by the records' orderable keys."""
    as_tuples, as_keys = getattr(tuple, f"__{name}__"), getattr(operator, name)

    def compare(self, other):
        try:
            return as_tuples(self, other)
        except TypeError:
            return as_keys(self._key(), Record._key(other))

    return compare


class Record(tuple):
    __slots__ = ()
    fields = ()

    # No Python ``__new__``: unpickling a record is then tuple's own constructor, which matters
    # when a bucket's merge unpickles three versions of every record it holds inside the
    # storage's commit lock.  Records are made by ``make`` (every field, by name).

    def __getnewargs__(self):
        return (tuple(self),)

    @classmethod
    def make(cls, **values):
        return cls(values[name] for name in cls.fields)

    @classmethod
    def of(cls, mapping):
        """A record from a mapping (as older databases stored them), or the record itself."""
        return mapping if isinstance(mapping, cls) else cls.make(**{n: mapping[n] for n in cls.fields})

    def __getitem__(self, key):
        if isinstance(key, str):
            try:
                key = self.fields.index(key)
            except ValueError:
                raise KeyError(key) from None
        return super().__getitem__(key)

    def get(self, key, default=None):
        return self[key] if key in self.fields else default

    def replace(self, **changes):
        return type(self).make(**dict(zip(self.fields, self), **changes))

    def _key(self):
        return tuple(_orderable(value) for value in self)

    def __eq__(self, other):
        return tuple(self) == tuple(other) if isinstance(other, tuple) else NotImplemented

    def __ne__(self, other):
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    __hash__ = tuple.__hash__

    # Order as tuples where the values compare (as a bucket's merge of concurrent binds needs,
    # for every record it holds: the fast path), by type name where they do not (None beside a
    # datetime), so that an ordering never raises.
    __lt__, __le__, __gt__, __ge__ = (_ordering(name) for name in ("lt", "le", "gt", "ge"))

    def __repr__(self):
        return f"{type(self).__name__}({', '.join(f'{n}={v!r}' for n, v in zip(self.fields, self))})"


class Binding(Record):
    """``register.bindings[id_hash]``: which account, when, and by which verification."""
    __slots__ = ()
    fields = ("uid", "when", "method")


class UnbindRequest(Record):
    """``register.unbind_requests[id_hash]``: an owner who proved the identity from another account
    asks the street office to unbind the account it is bound to.  ``state`` is "pending",
    "unbound" or "declined"; ``decided`` the time street staff acted (None while pending)."""
    __slots__ = ()
    fields = ("uid", "when", "method", "state", "decided")


class CodeLetter(Record):
    """``register.codes[code_hash]``: a binding code letter as it was issued; it never changes
    (whether it was used is ``register.code_uses``)."""
    __slots__ = ()
    fields = ("unit", "id_hash", "issued", "expires", "issued_by")


class CodeUse(Record):
    """``register.code_uses[code_hash]``, once a letter is done with: ``state`` "used" (it bound
    an account) or "superseded" (a newer letter was issued to its owner), ``when`` the time."""
    __slots__ = ()
    fields = ("state", "when")
