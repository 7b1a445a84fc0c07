"""Encryption of personal data at rest, and keyed hashes for look-ups (the cryptography library).

Two secrets, each stretched by HKDF:

- the **encryption key** makes the Fernet key that encrypts names, ID numbers and phones.  It can be
  rotated: the new key encrypts, retired keys still decrypt (``MultiFernet``) until
  ``portal-rotate-id-key`` has re-encrypted everything under the new one;
- the **look-up key** makes the HMAC key that turns "type:number" into the look-up hash used to
  find and group owners without decrypting anything.  Unless set on its own it is the encryption
  key, as in databases made before rotation existed; when the encryption key is rotated the old
  key stays on as the look-up key, since every stored hash was made with it.

Fingerprints (a keyed hash of a fixed text, revealing nothing of the key) let the portal check at
start-up that it was given the keys its database was made with.
"""
import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from portal.register.idnumbers import normalize

ENCRYPTION = b"portal personal data v1"
LOOKUP = b"portal identity lookup v1"


def _bytes(secret):
    return secret.encode("utf-8") if isinstance(secret, str) else secret


def _derive(master, purpose):
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(_bytes(master))


def fingerprint(key):
    return hmac.new(key, b"portal key fingerprint", hashlib.sha256).hexdigest()[:16]


class PersonalData:
    """Encrypts, decrypts and hashes personal data.

    ``master`` encrypts; ``retired`` (older encryption keys) only decrypt; ``lookup`` keys the
    look-up hashes (default: ``master``)."""

    def __init__(self, master, retired=(), lookup=None):
        keys = [_derive(key, ENCRYPTION) for key in (master, *retired)]
        self._fernets = [Fernet(base64.urlsafe_b64encode(key)) for key in keys]
        self._fernet = MultiFernet(self._fernets)
        self._hmac_key = _derive(lookup if lookup is not None else master, LOOKUP)
        self.encryption_fingerprints = [fingerprint(key) for key in keys]    # the current one first
        self.lookup_fingerprint = fingerprint(self._hmac_key)

    def encrypt(self, text):
        return self._fernet.encrypt(text.encode("utf-8")) if text else b""

    def decrypt(self, token):
        if not token:
            return ""
        try:
            return self._fernet.decrypt(token).decode("utf-8")
        except InvalidToken:
            raise ValueError("personal data encrypted with another key") from None

    def is_current(self, token):
        """Is ``token`` empty or readable with the current encryption key alone?"""
        if not token:
            return True
        try:
            self._fernets[0].decrypt(token)
            return True
        except InvalidToken:
            return False

    def rotate(self, token):
        """``token`` encrypted under the current key (unchanged when it already is)."""
        if self.is_current(token):
            return token
        try:
            return self._fernet.rotate(token)
        except InvalidToken:
            raise ValueError("personal data encrypted with a key that is not configured") from None

    def identity_hash(self, id_type, number):
        """The keyed hash of an identity document: equal for equal documents, nothing else."""
        message = f"{id_type}:{normalize(number)}".encode("utf-8")
        return hmac.new(self._hmac_key, message, hashlib.sha256).hexdigest()
