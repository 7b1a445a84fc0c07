"""The desks' figures as plain functions: when a recording is due, sums, numbers as the seed writes
them, and the geometry of the charts (issue 20)."""
import datetime

from portal.desks import figures

T0 = datetime.datetime(2026, 3, 10, 2, tzinfo=datetime.timezone.utc)


def test_a_recording_is_due_first_then_once_an_hour():
    assert figures.due(None, T0)
    assert not figures.due(T0, T0)
    assert not figures.due(T0, T0 + figures.RECORD_EVERY - datetime.timedelta(seconds=1))
    assert figures.due(T0, T0 + figures.RECORD_EVERY)                         # the boundary records
    assert figures.due(T0, T0 - datetime.timedelta(minutes=1))                # a clock set back records again


def test_months_and_sums():
    assert figures.month_of(datetime.date(2026, 3, 31)) == "2026-03"
    assert figures.month_of(datetime.date(987, 12, 1)) == "0987-12"
    one = dict(communities=3, with_register=1, bound_owners=3, ballots_held=0)
    two = dict(communities=1, with_register=1, bound_owners=0, ballots_held=2)
    assert figures.total([one, two]) == dict(communities=4, with_register=2, bound_owners=3, ballots_held=2)
    assert figures.total([]) == dict.fromkeys(figures.FIGURES, 0)


def test_numbers_are_written_as_the_seed_writes_them():
    assert figures.thousands(2443) == "2,443" and figures.thousands(160) == "160"
    assert figures.thousands(1_000_000) == "1,000,000" and figures.thousands(0) == "0"


def test_the_top_of_an_axis_is_a_round_number_at_or_above_the_largest_value():
    assert [figures.nice_top(v) for v in (0, 1, 2, 3, 6, 10, 11, 2443, 5000, 5001)] == [
        1, 1, 2, 5, 10, 10, 20, 5000, 5000, 10000]
    assert figures.ticks(5000) == [0, 1000, 2000, 3000, 4000, 5000]
    assert figures.ticks(20) == [0, 5, 10, 15, 20] and figures.ticks(10) == [0, 2, 4, 6, 8, 10]
    assert figures.ticks(2) == [0, 0.5, 1, 1.5, 2]


def test_a_count_axis_leaves_room_above_and_has_whole_ticks():
    assert [figures.axis_top(v) for v in (0, 2, 5, 9, 10, 19, 2443, 4600)] == [5, 5, 10, 10, 20, 20, 5000, 10000]


def test_a_line_chart_has_axes_months_and_labels():
    series = [("2018-12", 160), ("2019-12", 1560), ("2020-12", 2443)]
    chart = figures.line_chart(series, width=640, height=220)
    assert chart.top_value == 5000
    assert [label for _x, label in chart.y_ticks] == ["0", "1,000", "2,000", "3,000", "4,000", "5,000"]
    assert [label for _x, label in chart.x_ticks] == ["2018-12", "2019-12", "2020-12"]
    xs = [p[0] for p in chart.points]
    assert xs[0] == chart.left and xs[-1] == 640 - 40 and xs == sorted(xs)       # left to right, inside
    ys = [p[1] for p in chart.points]
    assert ys[0] > ys[1] > ys[2] >= 24 and ys[0] <= chart.bottom              # higher values higher up
    assert [p[3] for p in chart.points] == ["160", "1,560", "2,443"]
    assert chart.path.startswith(f"M{xs[0]},{ys[0]} L")


def test_one_point_sits_in_the_middle_and_many_months_thin_their_labels():
    single = figures.line_chart([("2026-03", 0)])
    assert single.points[0][0] == single.left + (640 - single.left - 40) // 2 and single.points[0][1] == single.bottom
    many = figures.line_chart([(f"2025-{m:02d}", m) for m in range(1, 13)] + [("2026-01", 13)])
    assert len(many.x_ticks) <= 8 and many.x_ticks[0][1] == "2025-01"
