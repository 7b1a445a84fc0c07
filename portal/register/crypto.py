"""Encryption of personal data at rest, and keyed hashes for look-ups (the cryptography library).

One master key (settings or environment) is stretched by HKDF into a Fernet key, which encrypts
names, ID numbers and phones, and an HMAC key, which turns "type:number" into the look-up hash
used to find and group owners without decrypting anything.
"""
import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from portal.register.idnumbers import normalize


def _derive(master, purpose):
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(master)


class PersonalData:
    """Encrypts, decrypts and hashes personal data with keys derived from ``master``."""

    def __init__(self, master):
        if isinstance(master, str):
            master = master.encode("utf-8")
        self._fernet = Fernet(base64.urlsafe_b64encode(_derive(master, b"portal personal data v1")))
        self._hmac_key = _derive(master, b"portal identity lookup v1")

    def encrypt(self, text):
        return self._fernet.encrypt(text.encode("utf-8")) if text else b""

    def decrypt(self, token):
        if not token:
            return ""
        try:
            return self._fernet.decrypt(token).decode("utf-8")
        except InvalidToken:
            raise ValueError("personal data encrypted with another key") from None

    def identity_hash(self, id_type, number):
        """The keyed hash of an identity document: equal for equal documents, nothing else."""
        message = f"{id_type}:{normalize(number)}".encode("utf-8")
        return hmac.new(self._hmac_key, message, hashlib.sha256).hexdigest()
