"""Concurrent requests on a real FileStorage: none surfaces a ConflictError, nothing is lost.

Every creation writes the same audit chain and the same street, so the requests really do
conflict; pyramid_retry must run them again until each lands exactly once.  The first request
of every thread waits, once it has changed the tree, until all of them have (a rendezvous in an
ObjectAdded subscriber, first attempts only), so at least one commit must fail with a
ConflictError whatever the scheduling; the test counts the retries and what caused them.
"""
import threading

import pytest
from pyramid.events import NewRequest
from pyramid.threadlocal import get_current_request
from pyramid_retry import IBeforeRetry
from ZODB.POSException import ConflictError

from portal.bootstrap import ROOT_KEY
from portal.content.models import Community
from portal.events import ObjectAdded
from tests.conftest import browser, token_for

THREADS = 8
EACH = 6


@pytest.fixture
def retries(app):
    """The exception behind every retry pyramid_retry made."""
    seen = []
    app.registry.registerHandler(lambda event: seen.append(event.exception), (IBeforeRetry,))
    return seen


@pytest.fixture
def attempts(app):
    """(path, attempt number) of every request the application began, retries included."""
    seen = []
    app.registry.registerHandler(
        lambda event: seen.append((event.request.path, event.request.environ.get("retry.attempt"))), (NewRequest,))
    return seen


@pytest.fixture
def rendezvous(app):
    """Hold each thread's first creation, on its first attempt, until all THREADS have made theirs."""
    barrier = threading.Barrier(THREADS)
    met = []

    def hold(event, obj):
        request = get_current_request()
        if obj.__name__.endswith("-0") and request.environ.get("retry.attempt") == 0:
            try:
                barrier.wait(timeout=30)
                met.append(obj.__name__)
            except threading.BrokenBarrierError:
                pass
    app.registry.registerHandler(hold, (ObjectAdded, Community))
    return met


def test_concurrent_creations_all_land_once(app, db, retries, attempts, rendezvous):
    token = token_for(browser(app), "street")
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    statuses = []
    barrier = threading.Barrier(THREADS)

    def work(n):
        client = browser(app)
        barrier.wait()
        for i in range(EACH):
            res = client.post_json("/tianhe/shipai", {"@type": "Community", "id": f"c-{n}-{i}",
                                                      "title": f"并发{n}-{i}", "address": "x"},
                                   headers=headers, status="*")
            statuses.append(res.status_int)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [201] * (THREADS * EACH)
    with db.transaction() as conn:
        portal = conn.root()[ROOT_KEY]
        street = portal["tianhe"]["shipai"]
        created = [name for name in street if name.startswith("c-")]
        assert len(created) == THREADS * EACH == len(street) - 2
        assert portal.audit_log.verify()[0]
        creates = [e for e in portal.audit_log.under("/tianhe/shipai", limit=1000)
                   if e["action"] == "content.create"]
        assert len(creates) == THREADS * EACH
    print(f"retries needed: {len(retries)} for {THREADS * EACH} conflicting requests")
    assert len(rendezvous) == THREADS          # all first creations were in flight together
    # of the THREADS commits held together, only one can win: the others must conflict and retry
    assert len(retries) >= THREADS - 1, f"only {len(retries)} retries: the requests did not conflict"
    assert all(isinstance(exc, ConflictError) for exc in retries), {type(exc).__name__ for exc in retries}
    creations = [(path, n) for path, n in attempts if path == "/tianhe/shipai"]
    assert len(creations) == THREADS * EACH + len(retries)     # every retry a new attempt, no more
    assert sum(1 for _path, n in creations if n == 0) == THREADS * EACH
    assert max(n for _path, n in creations) < int(app.registry.settings["retry.attempts"])


def test_the_retry_backoff_grows_and_is_capped():
    from portal.retry import CAP_SECONDS, backoff

    assert backoff(0, draw=lambda: 0.5) == 0.005
    assert backoff(3, draw=lambda: 0.5) == 0.04
    assert backoff(20, draw=lambda: 0.99) <= CAP_SECONDS * 1.5
    assert backoff(1, draw=lambda: 0.0) < backoff(1, draw=lambda: 0.99)
