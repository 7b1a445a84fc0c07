"""The search index: hypatia's text index fed with character bigrams.

The stock word splitter sees a run of Han characters as one word, so "明苑小区业主大会" could be
found only whole.  Here every run of Han characters becomes its overlapping bigrams (a lone
character stays itself), and Latin words and numbers become lowercase words; a query is split
the same way and every one of its terms must occur.  Objects are indexed by their path; whether
the searcher may see a hit is decided at query time, from the object's ACL.
"""
import random
import re

from BTrees.IOBTree import IOBTree
from BTrees.OIBTree import OIBTree
from hypatia.text import TextIndex
from hypatia.text.lexicon import Lexicon
from persistent import Persistent

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
RUNS = re.compile(f"[{HAN}]+|[A-Za-z0-9]+")


def terms(text, indexing=False):
    """'明苑小区 B2' -> ['明苑', '苑小', '小区', 'b2'].  For indexing, single Han characters are
    added too, so that a one-character query finds them inside longer runs."""
    found = []
    for run in RUNS.findall(text or ""):
        if re.match(f"[{HAN}]", run):
            found.extend([run] if len(run) == 1 else [run[i:i + 2] for i in range(len(run) - 1)])
            if indexing and len(run) > 1:
                found.extend(run)
        else:
            found.append(run.lower())
    return found


class BigramSplitter:
    """A hypatia lexicon pipeline element."""

    def process(self, texts):
        return [term for text in texts for term in terms(text, indexing=True)]

    processGlob = process


def text_of(obj, default):
    """The discriminator: objects are indexed by the text handed over, not read off them."""
    return obj if isinstance(obj, str) else default


class SearchIndex(Persistent):
    def __init__(self):
        self.text = TextIndex(text_of, lexicon=Lexicon(BigramSplitter()))
        self.docids = OIBTree()     # path -> docid
        self.paths = IOBTree()      # docid -> path

    def index(self, path, text):
        docid = self.docids.get(path)
        if docid is None:
            # drawn at random (as the catalog's are): a counter on this object would make every two
            # communities created at once conflict here
            docid = random.randrange(1, 2 ** 31 - 1)
            while docid in self.paths:
                docid = random.randrange(1, 2 ** 31 - 1)
            self.docids[path], self.paths[docid] = docid, path
        self.text.reindex_doc(docid, text)

    def unindex(self, path):
        docid = self.docids.pop(path, None)
        if docid is not None:
            del self.paths[docid]
            self.text.unindex_doc(docid)

    def search(self, query, under="/"):
        """Paths whose text holds every term of ``query``, at or below ``under``."""
        wanted = terms(query)
        if not wanted:
            return []
        found = None
        for term in wanted:
            hits = set(self.text.index.search(term) or ())
            found = hits if found is None else found & hits
            if not found:
                return []
        prefix = under.rstrip("/") + "/"
        return sorted(p for p in (self.paths[d] for d in found) if (p + "/").startswith(prefix))
