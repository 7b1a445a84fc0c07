"""Concurrent requests on a real FileStorage: none surfaces a ConflictError, nothing is lost.

Every creation writes the same audit chain and the same street, so the requests really do
conflict; pyramid_retry must run them again until each lands exactly once.
"""
import threading

import pytest
from pyramid_retry import IBeforeRetry

from portal.bootstrap import ROOT_KEY
from tests.conftest import browser, token_for

THREADS = 8
EACH = 6


@pytest.fixture
def retries(app):
    seen = []
    app.registry.registerHandler(lambda event: seen.append(1), (IBeforeRetry,))
    return seen


def test_concurrent_creations_all_land_once(app, db, retries):
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


def test_the_retry_backoff_grows_and_is_capped():
    from portal.retry import CAP_SECONDS, backoff

    assert backoff(0, draw=lambda: 0.5) == 0.005
    assert backoff(3, draw=lambda: 0.5) == 0.04
    assert backoff(20, draw=lambda: 0.99) <= CAP_SECONDS * 1.5
    assert backoff(1, draw=lambda: 0.0) < backoff(1, draw=lambda: 0.99)
