"""Named counts in one persistent object whose concurrent changes merge (no Pyramid here).

A ``BTrees.Length`` merges concurrent changes by adding them up, one count per object.  A bind
changes four counts (the bound identities, units, buyers and developer units), and with one
Length each, every bind stored, and every other connection reloaded, four objects, and a commit
beside another bind resolved four conflicts.  A ``Tally`` keeps the counts together: one object
to store, reload and resolve.  Concurrent changes add up as Length's do: what each transaction
added to the counts it started from.
"""
from persistent import Persistent


class Tally(Persistent):

    def __init__(self, **counts):
        self.counts = dict(counts)

    def __getitem__(self, name):
        return self.counts[name]

    def add(self, **changes):
        """Add ``changes`` (name -> a number, maybe negative) to the counts."""
        if any(changes.values()):
            self.counts = {name: value + changes.get(name, 0) for name, value in self.counts.items()}

    def set(self, **values):
        """Set counts to ``values`` (a recount); the others stay."""
        if any(self.counts[name] != value for name, value in values.items()):
            self.counts = dict(self.counts, **values)

    def _p_resolveConflict(self, old, committed, new):
        before, theirs, ours = old["counts"], committed["counts"], new["counts"]
        return dict(committed, counts={
            name: theirs.get(name, 0) + ours.get(name, 0) - before.get(name, 0)
            for name in {**theirs, **ours}})
