"""A write that conflicts on every attempt is answered 503 with Retry-After, in words, and saves
nothing; a write that conflicts on some attempts only is run again and lands (pyramid_retry)."""
import pytest
from pyramid.events import ContextFound
from ZODB.POSException import ConflictError, ReadConflictError

from portal.bootstrap import ROOT_KEY
from tests.conftest import browser, sign_in, token_for

STREET = "/tianhe/shipai"


class ConflictsAtCommit:
    """A data manager whose vote fails as it does when another commit came first."""

    transaction_manager = None

    def abort(self, txn):
        pass

    tpc_begin = commit = tpc_finish = tpc_abort = abort

    def tpc_vote(self, txn):
        raise ConflictError("a concurrent commit came first")

    def sortKey(self):
        return "~conflicts-at-commit"


def conflicting(app, attempts_failing, where="commit"):
    """Make requests to STREET fail on their first ``attempts_failing`` attempts; the attempts seen."""
    seen = []

    def fail(event):
        request = event.request
        if request.path != STREET:
            return
        attempt = request.environ.get("retry.attempt", 0)
        seen.append(attempt)
        if attempt < attempts_failing:
            if where == "commit":
                request.tm.get().join(ConflictsAtCommit())
            else:
                raise ReadConflictError("read a changed object")
    app.registry.registerHandler(fail, (ContextFound,))
    return seen


def create(app, name):
    client = browser(app)
    headers = {"Authorization": "Bearer " + token_for(client, "street"), "Accept": "application/json"}
    return client.post_json(STREET, {"@type": "Community", "id": name, "title": "忙时小区", "address": "x"},
                            headers=headers, status="*")


def created(db, name):
    with db.transaction() as conn:
        return name in conn.root()[ROOT_KEY]["tianhe"]["shipai"]


def test_a_creation_that_conflicts_at_every_commit_is_answered_busy(app, db):
    attempts = int(app.registry.settings["retry.attempts"])
    seen = conflicting(app, attempts_failing=attempts)
    res = create(app, "busy-1")
    assert res.status_int == 503
    assert res.headers["Retry-After"] == "5"
    assert res.json["error"] == "busy"
    assert "没有任何更改" in res.json["message"]
    assert "返回上一页" not in res.json["message"]          # an app has no page to go back to
    assert seen == list(range(attempts))               # every attempt was made before answering
    assert not created(db, "busy-1")


@pytest.mark.parametrize("where", ["view", "commit"])
def test_a_page_that_conflicts_on_every_attempt_gets_a_busy_page_in_words(app, where):
    attempts = int(app.registry.settings["retry.attempts"])
    conflicting(app, attempts_failing=attempts, where=where)
    client = browser(app)
    sign_in(client, "street")                          # signed in: the page draws the account's menu
    res = client.get(STREET, status="*")
    assert res.status_int == 503
    assert res.headers["Retry-After"] == "5"
    assert res.content_type == "text/html"
    assert "请稍候重试" in res.text and "没有任何更改" in res.text
    assert "返回上一页" in res.text                          # the form is kept by the browser's back


def test_a_creation_that_conflicts_only_at_first_is_run_again_and_lands(app, db):
    seen = conflicting(app, attempts_failing=2)
    res = create(app, "busy-2")
    assert res.status_int == 201
    assert seen == [0, 1, 2]
    assert created(db, "busy-2")
