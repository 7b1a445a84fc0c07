"""The desks' figures as plain functions (no Pyramid): when a point of the series is recorded,
how figures add up, how a number is written, and the geometry of a line chart drawn as SVG.

A point of the coverage series is one month ("2026-03") of one node (the city "/" or a
district), holding the figures as the last recording of that month found them.
"""
import datetime
from dataclasses import dataclass

RECORD_EVERY = datetime.timedelta(hours=1)   # the periodic job records at most this often
FIGURES = ("communities", "with_register", "bound_owners", "ballots_held")
HELD_PHASES = ("voting", "counting", "disclosed")   # voting opened (withdrawn and cancelled ones never did)


@dataclass(frozen=True)
class Point:
    """One month's figures of one node; ``demo`` marks a point the demo data back-filled."""
    month: str
    recorded_at: str            # ISO, UTC
    communities: int
    with_register: int
    bound_owners: int
    ballots_held: int
    demo: bool = False

    def figures(self):
        return {name: getattr(self, name) for name in FIGURES}


def month_of(local_date):
    """The series key of a local date: '2026-03'."""
    return f"{local_date.year:04d}-{local_date.month:02d}"


def due(last_recorded, now, every=RECORD_EVERY):
    """Is a new recording due?  Yes when nothing was recorded, or ``every`` has passed since the
    last recording (an earlier time than the last one, a clock set back, records again)."""
    return last_recorded is None or not (last_recorded <= now < last_recorded + every)


def total(figure_dicts):
    """The sum, figure by figure, of several nodes' figures (the city of its districts)."""
    out = dict.fromkeys(FIGURES, 0)
    for figures in figure_dicts:
        for name in FIGURES:
            out[name] += figures[name]
    return out


def thousands(number):
    """2443 -> '2,443' (as the seed's figures are written)."""
    return f"{number:,}"


def nice_top(value):
    """The smallest 1, 2 or 5 x 10^n at or above ``value`` (at least 1): the top of an axis."""
    top = 1
    while True:
        for step in (1, 2, 5):
            if step * top >= value:
                return step * top
        top *= 10


def axis_top(value, least=5):
    """The top of a count's axis: room above the largest value (a tenth), and at least ``least``,
    so that every tick is a whole number."""
    return max(least, nice_top(value + max(1, value // 10)))


def ticks(top):
    """Evenly spaced axis values from 0 to ``top`` (1, 2 or 5 x 10^n): five steps for 1 and 5,
    four for 2, so that from 5 up every value is whole."""
    count = 4 if str(top).startswith("2") else 5
    return [top * n // count if top * n % count == 0 else top * n / count for n in range(count + 1)]


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int                   # the plot area: x from left to right, y from top to bottom
    right: int
    top: int
    bottom: int
    top_value: int
    x_ticks: list               # [(x, month label)]
    y_ticks: list               # [(y, value label)]
    points: list                # [(x, y, label, value text)]
    path: str                   # the SVG path of the line


def line_chart(series, width=640, height=220, left=64, right=40, top=24, bottom_margin=36):
    """The geometry of a line chart of ``series`` [(month, value)], oldest first: axes with
    thousands-separated values and month labels, one dot per month, one line through them."""
    bottom = height - bottom_margin
    top_value = axis_top(max((value for _month, value in series), default=0))
    inner = width - left - right
    step = inner / max(1, len(series) - 1)

    def x_at(index):
        return round(left + (index * step if len(series) > 1 else inner / 2))

    def y_at(value):
        return round(bottom - value * (bottom - top) / top_value)

    points = [(x_at(n), y_at(value), month, thousands(value)) for n, (month, value) in enumerate(series)]
    every = max(1, -(-len(series) // 8))            # at most about eight month labels
    x_ticks = [(x, month) for n, (x, _y, month, _v) in enumerate(points) if n % every == 0]
    y_ticks = [(y_at(value), thousands(value) if isinstance(value, int) else str(value)) for value in ticks(top_value)]
    path = " ".join(("M" if n == 0 else "L") + f"{x},{y}" for n, (x, y, _m, _v) in enumerate(points))
    return Chart(width, height, left, width - right, top, bottom, top_value, x_ticks, y_ticks, points, path)
