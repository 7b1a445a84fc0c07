"""Checking a login and password, throttled per account and address (a lock), per account from
anywhere (a delay) and per address (a lock): see ``portal.security.throttle``."""
from portal.security.accounts import Account, login_for, normalize_login
from portal.security.throttle import LOGIN_ACCOUNT, LOGIN_ADDRESS, LOGIN_ANYWHERE

_dummy = {}


def _dummy_account():
    """Checked against when the login is unknown, so timing does not tell who exists."""
    if "account" not in _dummy:
        _dummy["account"] = Account("nobody", "", "not-a-password-anyone-has")
    return _dummy["account"]


class LoginResult:
    def __init__(self, account=None, blocked_until=None):
        self.account = account
        self.blocked_until = blocked_until


def attempt_login(portal, secret, login, password, address, now, personal=None):
    if personal is not None:
        login = login_for(personal, login)
    throttle, name, address = portal.throttle, normalize_login(login), address or "-"
    keys = [
        (throttle.key(secret, LOGIN_ACCOUNT, f"{name}\n{address}"), LOGIN_ACCOUNT),
        (throttle.key(secret, LOGIN_ANYWHERE, name), LOGIN_ANYWHERE),
        (throttle.key(secret, LOGIN_ADDRESS, address), LOGIN_ADDRESS),
    ]
    blocks = [throttle.blocked_until(key, rule, now) for key, rule in keys]
    blocks = [until for until in blocks if until is not None]
    if blocks:
        return LoginResult(blocked_until=max(blocks))
    account = portal.accounts.by_login(login)
    if account is None:
        _dummy_account().check_password(password)
    elif account.check_password(password):
        throttle.clear(keys[0][0])          # this address's count; the account-wide one stays
        return LoginResult(account=account)
    for key, rule in keys:
        throttle.record_failure(key, rule, now)
    return LoginResult()
