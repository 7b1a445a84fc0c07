"""Objects indexed for search at once merge (``SearchIndex``): random word ids, and every word's
documents in a tree of their own.  With hypatia's defaults, counted ids gave two new words the
same id, and rare words' documents sat in dicts that a bucket merge cannot compare, so two
communities created at once conflicted and one could run out of retries."""
import transaction
import ZODB
import ZODB.FileStorage

from portal.search.index import SearchIndex


def test_texts_indexed_at_once_merge_even_sharing_rare_words(tmp_path):
    db = ZODB.DB(ZODB.FileStorage.FileStorage(str(tmp_path / "Data.fs")))
    try:
        with db.transaction() as conn:
            conn.root()["index"] = SearchIndex()
            conn.root()["index"].index("/a/old", "明苑小区 天河路")
        first, second = transaction.TransactionManager(), transaction.TransactionManager()
        one, two = db.open(first), db.open(second)
        one.root()["index"].index("/a/new-1", "并发一号 石牌街 天河路")      # shares a rare word
        two.root()["index"].index("/a/new-2", "同时二次 岗顶村 天河路")
        first.commit()
        second.commit()                                   # merges instead of raising ConflictError
        one.close()
        two.close()
        with db.transaction() as conn:
            index = conn.root()["index"]
            assert index.search("并发") == ["/a/new-1"] and index.search("岗顶") == ["/a/new-2"]
            assert index.search("天河") == ["/a/new-1", "/a/new-2", "/a/old"]
            index.unindex("/a/new-1")
            assert index.search("天河") == ["/a/new-2", "/a/old"] and index.search("并发") == []
    finally:
        db.close()


def test_an_older_search_index_is_made_again_with_the_merging_one(db, portal_in):
    """Evolve 0037: an index of hypatia's defaults is rebuilt from the tree, and finds the same."""
    from hypatia.text import TextIndex
    from hypatia.text.lexicon import Lexicon

    from portal import evolve
    from portal.search.index import BigramSplitter, MergingOkapiIndex, text_of
    from portal.search.indexing import rebuild

    with portal_in(commit=True) as portal:
        before = portal.search_index.search("明苑")
        old = SearchIndex()
        old.text = TextIndex(text_of, lexicon=Lexicon(BigramSplitter()))
        portal.search_index = old
        rebuild(portal)
        del portal.evolved["0037-search-index-that-merges"]
    assert evolve.run_pending(db) == ["0037-search-index-that-merges"]
    with portal_in() as portal:
        assert isinstance(portal.search_index.text.index, MergingOkapiIndex)
        assert portal.search_index.search("明苑") == before != []
