"""Uploaded files (scans, attachments, filed documents): checked by their content, not their
name, limited in size, and kept as ZODB blobs."""
import colander
import deform
from ZODB.blob import Blob

from portal.i18n import _

MAX_BYTES = 5 * 1024 * 1024
MISSING_FILE = _("Attach the file.")
SIGNATURES = ((b"%PDF-", "application/pdf"), (b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"))


NOT_A_FILE = _("Attach a file here, not text.")


class FileData(deform.FileData):
    """deform's upload type, refusing what is not an upload (text or a number where a file is
    expected), so that no check further on meets a string: use it for every file field."""

    def deserialize(self, node, value):
        value = super().deserialize(node, value)
        if value in (colander.null, None, ""):
            return colander.null
        if not isinstance(value, dict) or not hasattr(value.get("fp"), "read"):
            raise colander.Invalid(node, NOT_A_FILE)
        return value


def content_type(data):
    for magic, kind in SIGNATURES:
        if data.startswith(magic):
            return kind
    return None


def problem(data, missing=_("Attach the scan of the paper ballot.")):
    """None for an acceptable file, else the message."""
    if not data:
        return missing
    if len(data) > MAX_BYTES:
        return _("The scan is larger than 5 MB; scan it at a lower resolution.")
    if content_type(data) is None:
        return _("The scan must be a PDF, PNG or JPEG file.")
    return None


def stored_file(filename, data, now):
    """A record of an accepted upload (the caller checked it with ``problem``)."""
    return {"filename": filename, "content_type": content_type(data), "size": len(data),
            "blob": store(data), "uploaded": now}


def store(data):
    blob = Blob()
    with blob.open("w") as out:
        out.write(data)
    return blob


def read(blob):
    with blob.open("r") as source:
        return source.read()


def disposition(filename, inline=True):
    """A Content-Disposition header that carries a Chinese file name (RFC 6266 / 5987)."""
    from urllib.parse import quote

    ascii_name = filename.encode("ascii", "replace").decode("ascii").replace("?", "_").replace('"', "")
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
