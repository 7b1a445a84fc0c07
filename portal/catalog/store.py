"""The catalog kept on the portal: hypatia indexes and the map between paths and document ids."""
import random

import BTrees

from BTrees.Length import Length
from hypatia.catalog import Catalog
from hypatia.field import FieldIndex
from hypatia.keyword import KeywordIndex
from persistent import Persistent

from portal.catalog import facts
from portal.trees import ScatteredLOBTree


class DocumentMap(Persistent):
    """path <-> docid, both ways.  Ids are drawn at random (as Substance D does), so two clerks
    adding objects at once do not both take "the next" id."""

    family = BTrees.family64

    def __init__(self):
        family = self.family
        self.docid_of = family.OI.BTree()
        self.path_of = family.IO.BTree()
        self.count = Length()

    def add(self, path):
        docid = self.docid_of.get(path)
        if docid is not None:
            return docid
        while True:
            docid = random.randrange(1, 2 ** 62)
            if docid not in self.path_of:
                break
        self.docid_of[path] = docid
        self.path_of[docid] = path
        self.count.change(1)
        return docid

    def remove(self, docid):
        path = self.path_of.pop(docid, None)
        if path is not None:
            del self.docid_of[path]
            self.count.change(-1)

    def __len__(self):
        return self.count()


class PortalCatalog(Catalog):
    """A hypatia catalog with its document map, and the values each document's indexes hold
    (``facts``: docid -> ((index name, value), ...)), so that reindexing a document reads and
    writes only the indexes whose value changed (``indexing.reindex``)."""

    facts = None        # a catalog made before evolve 0040 has none until the step runs

    def __init__(self):
        super().__init__()
        self.documents = DocumentMap()
        self.facts = ScatteredLOBTree()
        for name, discriminator in facts.FIELDS.items():
            self[name] = FieldIndex(discriminator)
        for name, discriminator in facts.KEYWORDS.items():
            self[name] = KeywordIndex(discriminator)

    def clear(self):
        self.reset()
        self.documents = DocumentMap()
        self.facts = ScatteredLOBTree()


def add_missing_indexes(catalog):
    """Give a catalog made before them the indexes ``facts`` names now; the names added (the
    caller reindexes)."""
    added = []
    for names, kind in ((facts.FIELDS, FieldIndex), (facts.KEYWORDS, KeywordIndex)):
        for name, discriminator in names.items():
            if name not in catalog:
                catalog[name] = kind(discriminator)
                added.append(name)
    return added


def new_catalog():
    return PortalCatalog()
