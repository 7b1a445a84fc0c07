"""The one clock every rule asks for "now".

All times are aware datetimes in UTC; rules that reason about calendar days convert to
Asia/Shanghai with ``local()``.  Tests (and, later, demos) move the clock with ``set_now``.
"""
import datetime
import zoneinfo

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
UTC = datetime.timezone.utc

_fixed = {"now": None, "offset": datetime.timedelta(0)}


def now():
    """The current time, aware, in UTC (moved by a demo offset, or fixed by tests)."""
    fixed = _fixed["now"]
    if fixed is not None:
        return fixed
    return datetime.datetime.now(UTC) + _fixed["offset"]


def real_now():
    """Wall-clock time, never moved by the demo offset: for token lifetimes and throttling,
    which must not be cheated by a demo clock (tests may still fix it)."""
    fixed = _fixed["now"]
    return fixed if fixed is not None else datetime.datetime.now(UTC)


def set_offset(offset):
    """Run the portal's clock ``offset`` ahead of real time (demos and training only)."""
    _fixed["offset"] = offset or datetime.timedelta(0)


def set_now(value):
    """Fix the clock at ``value`` (an aware datetime), or release it with ``None``."""
    if value is not None and value.tzinfo is None:
        raise ValueError("the clock takes aware datetimes only")
    _fixed["now"] = value.astimezone(UTC) if value is not None else None


def advance(**delta):
    """Move a fixed clock forward (tests)."""
    set_now(now() + datetime.timedelta(**delta))


def local(value):
    """``value`` shown in Asia/Shanghai."""
    return value.astimezone(SHANGHAI)
