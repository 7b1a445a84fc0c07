"""BTrees with small buckets, for records looked up one at a time under scattered keys.

A BTree stores its entries in buckets of up to ``max_leaf_size`` entries, and changing one entry
stores its whole bucket again.  Where the keys are hashes or random ids and a transaction writes
a few records far apart (a timed transition queues its ballot's events; reindexing a ballot
changes its catalog facts), each write rewrote a bucket of 30 to 60 records: measured on
portal-tick over 1,000 ballots, 4.7 MB stored for 2,000 new event records of about 100 bytes.
Small buckets keep what a write stores near the size of what changed; the trees are only ever
read by key, so their extra buckets cost no scan.

Small buckets split often, and a split rewrites the node above them; a BTree that changes a key
asks the database to check that every node on its way down is still current (``readCurrent``),
so one transaction's split fails every concurrent insert under the same node with a
ReadConflictError.  Under the stock inner nodes one node holds up to 500 buckets (all of a
catalog of a few thousand documents, a fifth of a city's), so a document filed under it failed
the inserts of every clerk filing at the same moment anywhere under it.  Small inner nodes keep a
split's change to the few buckets under one node, and the root changes only when an inner node
splits (tests/test_scattered_trees.py builds the case).  A tree of a few hundred entries is one
node over its buckets either way: measured at 1,172 documents, concurrent creations re-ran as
often with either size.  The classes are stored by name: never rename.
"""
from BTrees.LOBTree import LOBTree
from BTrees.OOBTree import OOBTree


class ScatteredOOBTree(OOBTree):
    max_leaf_size = 8
    max_internal_size = 16


class ScatteredLOBTree(LOBTree):
    max_leaf_size = 12
    max_internal_size = 16


def rebucketed(tree, kind):
    """``tree``'s entries in a tree of class ``kind`` (``tree`` itself when it is one already):
    for the evolve steps that give stored trees small buckets."""
    if type(tree) is kind:
        return tree
    found = kind()
    found.update(tree.items())
    return found
