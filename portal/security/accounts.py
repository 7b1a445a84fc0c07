"""Accounts, kept in ZODB, with argon2-hashed passwords.

An account is known everywhere else (local roles, sessions, tokens, the audit log) by its
``uid``, an opaque random id, never by its login: owners' logins may be phone numbers, and
those must not reach the audit log.
"""
import re
import secrets

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from BTrees.Length import Length
from BTrees.OOBTree import OOBTree
from persistent import Persistent

from portal import clock

LOGIN_RE = re.compile(r"^[a-z][a-z0-9._-]{2,39}$")
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
MIN_PASSWORD = 8
STAFF = "staff"
OWNER = "owner"

_hasher = {"current": PasswordHasher()}


def use_cheap_hashing():
    """Tests only: argon2's cheapest profile, so a suite of logins runs in seconds."""
    _hasher["current"] = PasswordHasher.from_parameters(profiles.CHEAPEST)


def normalize_login(login):
    return (login or "").strip().lower()


def login_for(personal, typed):
    """The stored login for what a person typed: owners sign in with their mobile number, which
    is kept only as a keyed hash; staff logins are kept as they are."""
    typed = normalize_login(typed).replace(" ", "")
    if MOBILE_RE.match(typed):
        return "m-" + personal.identity_hash("account-mobile", typed)[:40]
    return typed


class Account(Persistent):
    def __init__(self, login, title, password, kind=STAFF):
        self.uid = secrets.token_hex(8)
        self.login = normalize_login(login)
        self.title = title
        self.kind = kind
        self.created = clock.now()
        self.token_version = 0
        self.phone_enc = b""          # owners: their mobile number, encrypted
        self.password_hash = None
        self.set_password(password)

    def set_password(self, password):
        """Store a new hash; earlier API tokens stop working."""
        self.password_hash = _hasher["current"].hash(password)
        self.token_version += 1

    def check_password(self, password):
        hasher = _hasher["current"]
        try:
            hasher.verify(self.password_hash, password or "")
        except (VerificationError, InvalidHashError):
            return False
        if hasher.check_needs_rehash(self.password_hash):
            self.password_hash = hasher.hash(password)
        return True


class Accounts(Persistent):
    """All accounts, by uid, with a login index."""

    def __init__(self):
        self._by_uid = OOBTree()
        self._uid_by_login = OOBTree()
        self._count = Length()

    def __len__(self):
        return self._count()

    def add(self, account):
        if account.login in self._uid_by_login:
            raise KeyError(account.login)
        self._by_uid[account.uid] = account
        self._uid_by_login[account.login] = account.uid
        self._count.change(1)
        return account

    def get(self, uid):
        return self._by_uid.get(uid)

    def by_login(self, login):
        uid = self._uid_by_login.get(normalize_login(login))
        return self._by_uid.get(uid) if uid else None

    def login_taken(self, login):
        return normalize_login(login) in self._uid_by_login

    def values(self):
        return list(self._by_uid.values())

    def staff(self):
        return sorted((a for a in self._by_uid.values() if a.kind == STAFF), key=lambda a: a.login)
