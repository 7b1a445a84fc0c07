"""Before pyramid_retry runs a conflicted request again, wait a short, random, growing while.

Requests that conflicted did so because they ran at the same moment; re-running them at once
makes them meet again.  A jittered exponential backoff (a few milliseconds, doubling per
attempt, capped) spreads them out, so a burst of writers to one folder settles in few attempts.
"""
import random
import time

from pyramid.events import subscriber
from pyramid_retry import IBeforeRetry

BASE_SECONDS = 0.005
CAP_SECONDS = 0.25


def backoff(attempt, draw=random.random):
    """Seconds to wait before attempt ``attempt + 1`` (``attempt`` counts from 0)."""
    return min(CAP_SECONDS, BASE_SECONDS * (2 ** attempt)) * (0.5 + draw())


@subscriber(IBeforeRetry)
def wait_before_retry(event):
    time.sleep(backoff(event.environ.get("retry.attempt", 0)))
