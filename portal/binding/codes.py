"""One-time codes: the binding code letter street staff hand out, and the code that confirms a
mobile number.  Only keyed hashes of codes are stored; the code itself is shown once.

A letter is three entries, written when it is issued: the letter (``register.codes``, never
changed), its use (``register.code_uses``, seeded ``UNUSED``) and its owner's newest letter
(``register.letters``, id hash -> code hash).  Using a letter then changes one small value in a
seeded tree: owners binding at once merge, and no bind rewrites a bucket of letter records.
Issuing a letter supersedes the owner's previous one by the newest-letter index, without reading
the register's other letters.
"""
import datetime
import secrets

from portal.i18n import _
from portal.register.records import CodeLetter, CodeUse

UNUSED = ()             # the use of a letter not yet used: false, and ordered before every CodeUse

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"     # no 0/O, 1/I: read aloud and typed by the elderly
LETTER_LIFETIME = datetime.timedelta(days=30)
PHONE_CODE_LIFETIME = datetime.timedelta(minutes=10)
PHONE_CODE_TRIES = 5


class CodeRefused(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def new_letter_code():
    raw = "".join(secrets.choice(ALPHABET) for _ in range(12))
    return "-".join(raw[i:i + 4] for i in range(0, 12, 4))


def normalize(code):
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def code_hash(personal, code):
    return personal.identity_hash("binding-code", normalize(code))


def issue_letter(register, unit, owner, personal, now, issuer_uid):
    """A new code for ``owner`` of ``unit``; the person's earlier letter lapses if unused."""
    previous = register.letters.get(owner.id_hash)
    if previous is not None and not register.code_uses.get(previous):
        register.code_uses[previous] = CodeUse.make(state="superseded", when=now)
    code = new_letter_code()
    key = code_hash(personal, code)
    register.codes[key] = CodeLetter.make(
        unit=unit.__name__, id_hash=owner.id_hash, issued=now, expires=now + LETTER_LIFETIME,
        issued_by=issuer_uid)
    register.code_uses[key] = UNUSED
    register.letters[owner.id_hash] = key
    return code


def use_of(register, key):
    """The ``CodeUse`` of the letter ``key``, or None while it is unused."""
    return register.code_uses.get(key) or None


def check_letter(register, personal, code, id_hash, now):
    """Is the code a usable letter for the identity ``id_hash``?  False for a code this register
    never issued (or one superseded by a newer letter), answered like details that do not match,
    so that the answer never tells whether the name and ID number were right; CodeRefused says why
    a real code cannot be used (only the holder of the letter learns that).  Uses nothing."""
    key = code_hash(personal, code)
    record, use = register.codes.get(key), use_of(register, key)
    if record is None or (use is not None and use["state"] == "superseded"):
        return False
    if use is not None:
        raise CodeRefused(_("This binding code has already been used. Ask the street office for a new one."))
    if record["expires"] < now:
        raise CodeRefused(_("This binding code has expired. Ask the street office for a new one."))
    return record["id_hash"] == id_hash


def redeem_letter(register, personal, code, id_hash, now):
    """Use the code for the identity ``id_hash`` (see ``check_letter`` for the answers)."""
    if not check_letter(register, personal, code, id_hash, now):
        return False
    register.code_uses[code_hash(personal, code)] = CodeUse.make(state="used", when=now)
    return True


def new_phone_code():
    return "%06d" % secrets.randbelow(1_000_000)


def store_phone_code(store, personal, phone, code, now, purpose="phone"):
    """Keep the code's hash for ``phone``; ``purpose`` keeps a sign-up code and a password-reset
    code apart ("phone" for sign-up, "reset"), so neither is accepted for the other."""
    store[personal.identity_hash(purpose, phone)] = {
        "code": personal.identity_hash("phone-code", code), "expires": now + PHONE_CODE_LIFETIME, "tries": 0}


def check_phone_code(store, personal, phone, code, now, purpose="phone"):
    """True once for the right code within its lifetime and tries; consumed when right."""
    key = personal.identity_hash(purpose, phone)
    record = store.get(key)
    if record is None or record["expires"] < now or record["tries"] >= PHONE_CODE_TRIES:
        raise CodeRefused(_("The code has expired. Ask for a new one."))
    if record["code"] != personal.identity_hash("phone-code", (code or "").strip()):
        store[key] = dict(record, tries=record["tries"] + 1)
        raise CodeRefused(_("The code is wrong."))
    del store[key]
    return True
