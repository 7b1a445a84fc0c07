"""Signed bearer tokens for the JSON API (webob's SignedSerializer does the signing).

A token names the account's uid and its token version, so changing the password revokes every
token issued before; it expires after ``TOKEN_LIFETIME``.
"""
import datetime
import functools

from webob.cookies import SignedSerializer

from portal import clock

TOKEN_LIFETIME = datetime.timedelta(hours=12)
VERIFIED_CACHE = 4096     # tokens whose signature was checked, kept so a client's next call skips the HMAC


class TokenService:
    def __init__(self, secret):
        self._serializer = SignedSerializer(secret, salt="portal.api-token", hashalg="sha512")
        self._claims = functools.lru_cache(maxsize=VERIFIED_CACHE)(self._read_claims)

    def issue(self, account):
        expires = clock.real_now() + TOKEN_LIFETIME
        payload = {"u": account.uid, "v": account.token_version, "exp": int(expires.timestamp())}
        return self._serializer.dumps(payload).decode("ascii")

    def _read_claims(self, token):
        """(uid, token version, expiry) a genuine token carries, or None for a forged or unreadable one.

        Pure in ``token`` (the expiry and the revocation are checked on every call), so it is cached."""
        try:
            payload = self._serializer.loads(token.encode("ascii"))
        except (ValueError, UnicodeEncodeError):
            return None
        if not isinstance(payload, dict):
            return None
        return payload.get("u"), payload.get("v"), payload.get("exp", 0)

    def verify(self, token, accounts):
        """The account the token names, or None when it is forged, expired or revoked."""
        claims = self._claims(token)
        if claims is None:
            return None
        uid, version, expires = claims
        if not isinstance(expires, (int, float)) or expires < clock.real_now().timestamp():
            return None
        account = accounts.get(uid)
        if account is None or account.token_version != version:
            return None
        return account
