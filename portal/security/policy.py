"""The Pyramid 2 security policy: who is asking, and what they may do here.

Identity comes from the signed session cookie (pages) or a bearer token (the JSON API).  The
principals at a context are the account's local roles on that node and every node above it;
the context's ACL (computed from its permission map) decides, and denies whatever it does not
grant.
"""
from pyramid.authorization import ACLHelper, Authenticated, Everyone

from portal.security.localroles import effective_roles
from portal.security.roles import principal_for

SESSION_UID = "uid"
SESSION_VERSION = "v"
IDENTITY = "_portal_identity"     # where a request keeps its account once looked up


def forget_identity(request):
    """Drop the account a request looked up (after sign-in, sign-out, or an ended session)."""
    request.__dict__.pop(IDENTITY, None)


def bearer_token(request):
    """The token of an ``Authorization: Bearer`` header, or None."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


class PortalSecurityPolicy:
    def __init__(self, tokens):
        self.tokens = tokens
        self.acl = ACLHelper()

    def identity(self, request):
        """The account making the request, looked up once per request.

        Kept on the request object, never in ``request.environ``: pyramid_retry runs each attempt
        with a new request over a copy of the environ, and an account loaded by an attempt that
        was aborted belongs to that attempt's closed connection."""
        cache = request.__dict__
        if IDENTITY not in cache:
            cache[IDENTITY] = self._identity(request)
        return cache[IDENTITY]

    def _identity(self, request):
        accounts = request.portal.accounts
        token = bearer_token(request)
        if token is not None:
            return self.tokens.verify(token, accounts)
        session = request.session
        uid = session.get(SESSION_UID)
        if uid is None:
            return None
        account = accounts.get(uid)
        if account is None or account.token_version != session.get(SESSION_VERSION):
            return None
        return account

    def authenticated_userid(self, request):
        account = request.identity
        return account.uid if account is not None else None

    def principals(self, request, context):
        principals = [Everyone]
        account = request.identity
        if account is not None:
            principals.append(Authenticated)
            principals.append("uid:" + account.uid)
            principals.extend(principal_for(r) for r in sorted(effective_roles(context, account.uid, account)))
        return principals

    def permits(self, request, context, permission):
        return self.acl.permits(context, self.principals(request, context), permission)

    def remember(self, request, userid, **kw):
        forget_identity(request)
        account = request.portal.accounts.get(userid)
        request.session.invalidate()
        request.session[SESSION_UID] = userid
        request.session[SESSION_VERSION] = account.token_version
        return []

    def forget(self, request, **kw):
        forget_identity(request)
        request.session.invalidate()
        return []
