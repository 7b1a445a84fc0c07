"""The face-verification protocol with an external provider (plain rules, no Pyramid).

1. The portal records a request (a random nonce, the account, the community, the hashed ID, the
   encrypted name, an expiry) and sends the owner's browser to the provider by an HTML form POST
   (so the name never appears in a URL) with: ``request_id``, ``name``, ``id_hash``, ``expires``,
   ``callback_url``, ``return_url`` and ``sig`` = HMAC-SHA256(shared secret, the fields joined by
   "|" in that order).
2. The provider checks the face and POSTs JSON to ``callback_url``: ``request_id``, ``result``
   ("pass" or "fail"), ``timestamp`` (unix seconds) and ``sig`` over those three.  The portal
   accepts it only with a valid signature, for a known, unexpired, unused request, within
   ``CALLBACK_SKEW`` of its own clock, and only once.
3. The provider sends the browser back to ``return_url?request_id=...``, where the owner sees
   the outcome.
"""
import datetime
import hashlib
import hmac
import secrets

REQUEST_LIFETIME = datetime.timedelta(minutes=10)
CALLBACK_SKEW = datetime.timedelta(minutes=5)
REQUEST_FIELDS = ("request_id", "name", "id_hash", "expires", "callback_url", "return_url")
CALLBACK_FIELDS = ("request_id", "result", "timestamp")


class CallbackRefused(Exception):
    def __init__(self, reason, status=400):
        super().__init__(reason)
        self.reason = reason
        self.status = status


def sign(secret, values, fields):
    message = "|".join(str(values[name]) for name in fields).encode("utf-8")
    key = secret.encode("utf-8") if isinstance(secret, str) else secret
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def signature_ok(secret, values, fields):
    try:
        return hmac.compare_digest(sign(secret, values, fields).encode("ascii"),
                                   str(values.get("sig", "")).encode("utf-8"))
    except UnicodeEncodeError:          # a lone surrogate is no signature
        return False


def new_request(store, uid, community_path, id_hash, name_enc, now, matched=True):
    """A pending face check; ``matched`` says whether the details matched the register (a request
    that did not is refused when the provider answers, never told apart before)."""
    nonce = secrets.token_urlsafe(24)
    store[nonce] = {"uid": uid, "community": community_path, "id_hash": id_hash, "name_enc": name_enc,
                    "expires": now + REQUEST_LIFETIME, "state": "pending", "matched": matched}
    return nonce


def outgoing(secret, nonce, name, id_hash, expires, callback_url, return_url):
    values = {"request_id": nonce, "name": name, "id_hash": id_hash, "expires": int(expires.timestamp()),
              "callback_url": callback_url, "return_url": return_url}
    values["sig"] = sign(secret, values, REQUEST_FIELDS)
    return values


def accept_callback(store, secret, body, now):
    """The request a valid callback settles (its state set); CallbackRefused otherwise."""
    if not isinstance(body, dict) or any(name not in body for name in CALLBACK_FIELDS + ("sig",)):
        raise CallbackRefused("malformed")
    if not all(isinstance(body[name], (str, int)) and not isinstance(body[name], bool)
               for name in CALLBACK_FIELDS + ("sig",)):
        raise CallbackRefused("malformed")
    if not signature_ok(secret, body, CALLBACK_FIELDS):
        raise CallbackRefused("bad signature", 403)
    try:
        sent = datetime.datetime.fromtimestamp(int(body["timestamp"]), datetime.timezone.utc)
    except (TypeError, ValueError, OverflowError):
        raise CallbackRefused("malformed") from None
    if abs(sent - now) > CALLBACK_SKEW:
        raise CallbackRefused("stale timestamp", 403)
    record = store.get(str(body["request_id"]))
    if record is None:
        raise CallbackRefused("unknown request", 404)
    if record["state"] != "pending":
        raise CallbackRefused("already settled", 409)
    if record["expires"] < now:
        store[body["request_id"]] = dict(record, state="expired")
        raise CallbackRefused("expired request", 410)
    if body["result"] not in ("pass", "fail"):
        raise CallbackRefused("malformed")
    record = dict(record, state="passed" if body["result"] == "pass" else "failed")
    store[body["request_id"]] = record
    return record


def refuse(store, nonce, reason, bound_elsewhere=False):
    """The provider passed the face but the binding was refused (``reason``, a message id without
    personal data): the request records it, so the owner is told the truth.  ``bound_elsewhere``:
    the face proved the identity, which another account holds (the owner may ask to unbind it)."""
    store[nonce] = dict(store[nonce], state="refused", reason=str(reason), bound_elsewhere=bound_elsewhere)
    return store[nonce]
