"""Signed bearer tokens for the JSON API (webob's SignedSerializer does the signing).

A token names the account's uid and its token version, so changing the password revokes every
token issued before; it expires after ``TOKEN_LIFETIME``.
"""
import datetime

from webob.cookies import SignedSerializer

from portal import clock

TOKEN_LIFETIME = datetime.timedelta(hours=12)


class TokenService:
    def __init__(self, secret):
        self._serializer = SignedSerializer(secret, salt="portal.api-token", hashalg="sha512")

    def issue(self, account):
        expires = clock.real_now() + TOKEN_LIFETIME
        payload = {"u": account.uid, "v": account.token_version, "exp": int(expires.timestamp())}
        return self._serializer.dumps(payload).decode("ascii")

    def verify(self, token, accounts):
        """The account the token names, or None when it is forged, expired or revoked."""
        try:
            payload = self._serializer.loads(token.encode("ascii"))
        except (ValueError, UnicodeEncodeError):
            return None
        if not isinstance(payload, dict) or payload.get("exp", 0) < clock.real_now().timestamp():
            return None
        account = accounts.get(payload.get("u"))
        if account is None or account.token_version != payload.get("v"):
            return None
        return account
