"""Session lifetimes and signing out on the server.

The session cookie is signed, not stored, so a copy of it lives as long as the account's token
version: signing out moves the version on (as a password change does), which ends every session
and bearer token of the account at once.  A session also ends ``SESSION_LIFETIME`` after it began,
however active (the cookie's own timeout only ends an idle one); tokens carry their expiry.
"""
import datetime
import time

from pyramid.events import ContextFound, subscriber
from pyramid.security import remember

from portal import clock
from portal.security import SESSION_COOKIE
from portal.security.policy import SESSION_UID, bearer_token, forget_identity

SESSION_LIFETIME = datetime.timedelta(hours=12)
SINCE = "since"


def wall_now():
    """The machine's own time, as the cookie's signature timeout reads it: no clock a demo or a
    test sets can keep a session alive or end it early."""
    return datetime.datetime.fromtimestamp(time.time(), clock.UTC)


def start(request, account):
    """Sign ``account`` in on this session; returns the headers to send."""
    headers = remember(request, account.uid)
    request.session[SINCE] = int(wall_now().timestamp())
    return headers


def end_all(account):
    """Every session cookie and bearer token of ``account`` stops working."""
    if account is not None:
        account.token_version += 1


def expired(since, now):
    """Did a session begun at ``since`` (unix seconds) outlive its lifetime at ``now``?"""
    return since is None or now - datetime.datetime.fromtimestamp(since, clock.UTC) >= SESSION_LIFETIME


@subscriber(ContextFound)
def end_old_sessions(event):
    request = event.request
    if SESSION_COOKIE not in request.cookies or bearer_token(request) is not None:
        return
    session = request.session
    if SESSION_UID not in session:
        return
    since = session.get(SINCE)
    if not isinstance(since, int) or expired(since, wall_now()):
        session.invalidate()
        forget_identity(request)
