"""What the fuzz tests share: the bounded number of examples (``FUZZ_EXAMPLES=500`` for the long
run), the roles each request is sent as, a corpus of bad values, and the checks every answer must
pass (never a 5xx; a 4xx carries a message and wrote nothing)."""
import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

LONG_RUN = "FUZZ_EXAMPLES" in os.environ
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
ROLES = (None, "owner1", "organizer", "street", "district", "admin")

# Values a field should never take: wrong types, null, huge and empty strings, deep nesting,
# control characters, extreme numbers and dates, arrays for scalars.
BAD_VALUES = (
    None, True, False, 0, -1, 1.5, 10 ** 30, -(10 ** 30), 1e308, "", " ", "x" * 100_000, "\x00",
    "\r\n", "\x1b[31m", "\ud7ff\ufffd", "<b>&amp;", "<font color=red>x</font>", "' OR 1=1 --", "=cmd|'/c calc'!A1",
    "9999-12-31", "0000-00-00", "1900-01-01T00:00:00", "-1", "1e400", "NaN", "true", "no", "off", [], [1, 2],
    {}, {"a": {"b": {"c": []}}}, [[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]],
)
# Whole bodies no JSON decoder should choke on.
BAD_BODIES = (
    b"", b"null", b"[]", b'"x"', b"\xff\xfe\x00", b'{"a": "\xff"}', b"[" * 50_000, b'{"a": 1e400}',
    b'{"a": NaN}', b'{"a": Infinity}', b'{"a": ' + b"9" * 5000 + b"}", b"{" * 30 + b"}" * 30,
)

bad_values = st.one_of(st.sampled_from(BAD_VALUES), st.text(max_size=50), st.integers(), st.floats(),
                       st.lists(st.text(max_size=5), max_size=3))
bad_bodies = st.sampled_from(BAD_BODIES)


def fuzz_settings():
    return settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=not LONG_RUN,
                    suppress_health_check=list(HealthCheck), print_blob=True)


def message_of(res):
    """The refusal's message: the JSON ``message``, or a page's notice or form error summary."""
    if res.content_type == "application/json":
        return res.json.get("message", "") if isinstance(res.json, dict) else ""
    text = res.text
    for marker in ('class="notice', 'class="error', "errorMsg", 'role="alert"', "alert-danger"):
        if marker in text:
            return marker
    return ""


def check_answer(res, db, before, what, writes_ok=()):
    """Never a 5xx; a 4xx carries a message and left the storage as it was."""
    assert res.status_int < 500, f"{what}: {res.status}\n{res.text[:800]}"
    if 400 <= res.status_int < 500 and res.status_int != 405:
        assert message_of(res), f"{what}: {res.status} without a message\n{res.text[:800]}"
        code = res.json.get("error") if res.content_type == "application/json" and isinstance(res.json, dict) else None
        if (res.status_int, code) not in writes_ok:
            assert db.lastTransaction() == before, f"{what}: {res.status} wrote to the database"
