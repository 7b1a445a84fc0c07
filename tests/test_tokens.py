"""Bearer tokens: a signature checked once is remembered, while expiry and revocation are still
decided on every call."""
import datetime

from portal import clock
from portal.security import tokens as tokens_module
from portal.security.tokens import TOKEN_LIFETIME, TokenService


class Account:
    def __init__(self, uid, token_version=0):
        self.uid, self.token_version = uid, token_version


class Accounts(dict):
    pass


def test_a_remembered_token_still_expires_and_is_still_revoked(monkeypatch):
    service, account = TokenService("secret"), Account("u1")
    accounts = Accounts(u1=account)
    token = service.issue(account)
    assert service.verify(token, accounts) is account
    assert service.verify(token, accounts) is account          # now from the remembered claims
    assert service._claims.cache_info().hits >= 1
    later = clock.real_now() + TOKEN_LIFETIME + datetime.timedelta(seconds=1)
    monkeypatch.setattr(tokens_module.clock, "real_now", lambda: later)
    assert service.verify(token, accounts) is None              # expired though remembered
    monkeypatch.undo()
    account.token_version += 1                                  # signed out: every token revoked
    assert service.verify(token, accounts) is None


def test_forged_and_foreign_tokens_are_refused_every_time():
    service, other, account = TokenService("secret"), TokenService("another secret"), Account("u1")
    accounts = Accounts(u1=account)
    token = service.issue(account)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for _ in range(2):
        assert service.verify(forged, accounts) is None
        assert service.verify(other.issue(account), accounts) is None
        assert service.verify("not a token", accounts) is None
        assert service.verify("令牌", accounts) is None
    assert service.verify(token, Accounts()) is None            # the account is gone


def test_the_remembered_claims_are_bounded():
    service = TokenService("secret")
    for n in range(tokens_module.VERIFIED_CACHE + 10):
        service.verify(service.issue(Account(f"u{n}")), Accounts())
    assert service._claims.cache_info().currsize == tokens_module.VERIFIED_CACHE
