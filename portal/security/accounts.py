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

from portal import clock, evolve

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
    # Accounts stored before these existed read the class's value until they are set.
    communities = ()              # owners: paths of the communities they are bound in
    identities = ()               # owners: (community path, id hash) of each identity bound
    phone_hash = ""               # owners: a keyed hash of their mobile number
    biometric_consents = ()

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
    """All accounts, by uid, with a login index and an index of the staff accounts by login."""

    _staff = None                 # login -> uid of staff accounts (evolve step 0011 for older ones)

    def __init__(self):
        self._by_uid = OOBTree()
        self._uid_by_login = OOBTree()
        self._count = Length()
        self.index_staff()

    def index_staff(self):
        """Build the staff index from every account (a new store, or an older database)."""
        self._staff = OOBTree({a.login: a.uid for a in self._by_uid.values() if a.kind == STAFF})

    def __len__(self):
        return self._count()

    def add(self, account):
        if account.login in self._uid_by_login:
            raise KeyError(account.login)
        self._by_uid[account.uid] = account
        self._uid_by_login[account.login] = account.uid
        if account.kind == STAFF:
            self._staff[account.login] = account.uid
        self._count.change(1)
        return account

    def remove(self, uid):
        """Take the account ``uid`` out of every index; the account removed."""
        account = self._by_uid.pop(uid)
        del self._uid_by_login[account.login]
        if self._staff.get(account.login) == uid:
            del self._staff[account.login]
        self._count.change(-1)
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
        """The staff accounts in login order, read from their index (owners are not looked at)."""
        return [self._by_uid[uid] for uid in self._staff.values()]


@evolve.step("0011-staff-index")
def index_staff(portal):
    """Account stores from before the staff index get it, built once from every account."""
    if portal.accounts._staff is None:
        portal.accounts.index_staff()
