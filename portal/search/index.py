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
from hypatia.text.okapiindex import OkapiIndex
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


class SpreadLexicon(Lexicon):
    """hypatia's lexicon, its word ids drawn at random instead of counted: two communities made
    at once with new words both took the counter's next id, and so always conflicted."""

    WIDS = 2 ** 28          # what hypatia's word-id encoding holds (``widcode``)

    def _new_wid(self):
        self.word_count.change(1)
        wid = random.randrange(1, self.WIDS)
        while wid in self._words:
            wid = random.randrange(1, self.WIDS)
        return wid


class MergingOkapiIndex(OkapiIndex):
    """hypatia's Okapi index, every word's documents in a tree of their own from the first.

    hypatia keeps a word found in few documents as a dict in the word tree's bucket, and a
    bucket merge cannot compare dicts: any two documents indexed at once whose words shared a
    bucket conflicted ("Holy ConflictError", its source says), so communities created at once
    could run out of retries.  Here the bucket holds a reference to the word's tree, which a merge
    compares, and adding a document to a known word writes that small tree only."""

    def _add_wordinfo(self, wid, f, docid):
        doc2score = self._wordinfo.get(wid)
        if doc2score is None or isinstance(doc2score, dict):
            if doc2score is None:
                self.word_count.change(1)
            doc2score = self.family.IF.BTree(doc2score or {})
            self._wordinfo[wid] = doc2score
        doc2score[docid] = f

    def _mass_add_wordinfo(self, wid2weight, docid):
        for wid, weight in wid2weight.items():
            self._add_wordinfo(wid, weight, docid)


def text_of(obj, default):
    """The discriminator: objects are indexed by the text handed over, not read off them."""
    return obj if isinstance(obj, str) else default


class SearchIndex(Persistent):
    def __init__(self):
        lexicon = SpreadLexicon(BigramSplitter())
        self.text = TextIndex(text_of, lexicon=lexicon, index=MergingOkapiIndex(lexicon))
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
