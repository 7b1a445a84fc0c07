"""Checking an uploaded scan by its content, not its name, and keeping it as a ZODB blob."""
from ZODB.blob import Blob

from portal.i18n import _

MAX_BYTES = 5 * 1024 * 1024
SIGNATURES = ((b"%PDF-", "application/pdf"), (b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"))


def content_type(data):
    for magic, kind in SIGNATURES:
        if data.startswith(magic):
            return kind
    return None


def problem(data):
    """None for an acceptable scan, else the message."""
    if not data:
        return _("Attach the scan of the paper ballot.")
    if len(data) > MAX_BYTES:
        return _("The scan is larger than 5 MB; scan it at a lower resolution.")
    if content_type(data) is None:
        return _("The scan must be a PDF, PNG or JPEG file.")
    return None


def store(data):
    blob = Blob()
    with blob.open("w") as out:
        out.write(data)
    return blob


def read(blob):
    with blob.open("r") as source:
        return source.read()
