import datetime as dt

import pandas as pd
import pytest

from reporting.periods import Quarter, Window, compared_windows, last_finished_quarter


@pytest.mark.parametrize(
    ("day", "quarter", "start", "end"),
    [
        (dt.date(2026, 1, 1), "2026-Q1", dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
        (dt.date(2026, 5, 31), "2026-Q2", dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
        (dt.date(2024, 9, 30), "2024-Q3", dt.date(2024, 7, 1), dt.date(2024, 9, 30)),
        (dt.date(2026, 12, 31), "2026-Q4", dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
    ],
)
def test_the_quarter_of_a_day_and_its_first_and_last_day(day, quarter, start, end):
    found = Quarter.of(day)

    assert (str(found), found.start, found.end) == (quarter, start, end)
    assert Quarter.parse(quarter) == found


def test_next_and_previous_cross_the_year():
    assert Quarter(2026, 4).next() == Quarter(2027, 1)
    assert Quarter(2026, 1).previous() == Quarter(2025, 4)
    assert Quarter(2026, 2).previous().next() == Quarter(2026, 2)


@pytest.mark.parametrize(
    ("today", "quarter"),
    [
        (dt.date(2026, 4, 1), "2026-Q1"),
        (dt.date(2026, 6, 30), "2026-Q1"),
        (dt.date(2026, 1, 1), "2025-Q4"),
    ],
)
def test_the_last_finished_quarter(today, quarter):
    assert str(last_finished_quarter(today)) == quarter


@pytest.mark.parametrize(
    "text", ["2026-Q5", "2026Q1", "Q1-2026", "", "2026-Q0", "2026-Q²", "٢٠٢٦-Q١", "12026-Q1"]
)
def test_bad_quarters_are_refused(text):
    with pytest.raises(ValueError):
        Quarter.parse(text)


Q1 = Window(dt.date(2026, 1, 1), dt.date(2026, 3, 31))


def days(*texts):
    return pd.Series([pd.Timestamp(t) if t else pd.NaT for t in texts], dtype="datetime64[s]")


def test_a_window_is_a_pair_of_database_lookups_on_the_span():
    assert Q1.lookups("starts_on", "ends_on") == {
        "ends_on__gte": dt.date(2026, 1, 1),
        "starts_on__lte": dt.date(2026, 3, 31),
    }
    assert Window(None, dt.date(2026, 3, 31)).lookups("a", "b") == {"a__lte": dt.date(2026, 3, 31)}
    assert Window(dt.date(2026, 1, 1)).lookups("a", "b") == {"b__gte": dt.date(2026, 1, 1)}
    assert Window().lookups("a", "b") == {}


def test_days_count_on_both_ends_of_the_window_and_not_a_day_beyond():
    mask = Q1.mask(days("2025-12-31", "2026-01-01", "2026-03-31", "2026-04-01", None))

    assert mask.tolist() == [False, True, True, False, False]


def test_open_windows_count_everything_on_their_open_side_but_never_a_missing_date():
    dates = days("1999-01-01", "2026-03-31", "2026-04-01", "2099-12-31", None)

    assert Window(None, dt.date(2026, 3, 31)).mask(dates).tolist() == [
        True,
        True,
        False,
        False,
        False,
    ]
    assert Window(dt.date(2026, 4, 1)).mask(dates).tolist() == [False, False, True, True, False]
    assert Window().mask(dates).tolist() == [True, True, True, True, False]


def test_a_span_meets_the_window_when_it_ends_on_or_after_its_start_and_starts_on_or_before_its_end():
    firsts = days("2025-06-01", "2025-06-01", "2026-03-31", "2026-04-01", "2025-01-01")
    lasts = days("2025-12-31", "2026-01-01", "2026-09-30", "2026-09-30", "2027-01-01")

    assert Q1.meets(firsts, lasts).tolist() == [False, True, True, False, True]
    assert Window(None, dt.date(2026, 3, 31)).meets(firsts, lasts).tolist() == [
        True, True, True, False, True,
    ]  # fmt: skip
    assert Window(dt.date(2026, 1, 1)).meets(firsts, lasts).tolist() == [
        False, True, True, True, True,
    ]  # fmt: skip


def test_to_date_keeps_the_end_and_opens_the_start():
    assert Q1.to_date() == Window(None, dt.date(2026, 3, 31))
    assert Window(dt.date(2026, 1, 1)).to_date() == Window()


@pytest.mark.parametrize(
    ("start", "end", "previous"),
    [
        ("2026-01-01", "2026-03-31", ("2025-10-01", "2025-12-31")),  # a quarter: the one before
        ("2026-04-01", "2026-06-30", ("2026-01-01", "2026-03-31")),
        ("2026-01-01", "2026-12-31", ("2025-01-01", "2025-12-31")),  # a year: the one before
        ("2026-03-10", "2026-03-19", ("2026-02-28", "2026-03-09")),  # ten days: ten days
        ("2026-03-01", "2026-03-01", ("2026-02-28", "2026-02-28")),  # one day
        ("2026-01-01", "2026-03-30", ("2025-10-04", "2025-12-31")),  # not a quarter: 89 days
    ],
)
def test_the_previous_period_has_the_same_length(start, end, previous):
    window = Window(dt.date.fromisoformat(start), dt.date.fromisoformat(end))

    before = window.previous()

    assert (before.start.isoformat(), before.end.isoformat()) == previous
    assert before.end + dt.timedelta(days=1) == window.start


def test_an_open_window_has_no_previous_one_and_no_length():
    assert Window(None, dt.date(2026, 3, 31)).days is None
    assert Window(dt.date(2026, 1, 1)).days is None
    assert Q1.days == 90
    with pytest.raises(ValueError):
        Window(dt.date(2026, 1, 1)).previous()
    with pytest.raises(ValueError):
        Window(None, dt.date(2026, 1, 1)).previous()


@pytest.mark.parametrize(
    ("start", "end", "current", "previous"),
    [
        # No period: the last quarter finished by today (15 June 2026) and the one before.
        (None, None, ("2026-01-01", "2026-03-31"), ("2025-10-01", "2025-12-31")),
        # Until the last day of a quarter: that quarter.
        (None, "2026-03-31", ("2026-01-01", "2026-03-31"), ("2025-10-01", "2025-12-31")),
        (None, "2026-03-30", ("2025-10-01", "2025-12-31"), ("2025-07-01", "2025-09-30")),
        # Since a day: until today, against as many days before.
        ("2026-06-06", None, ("2026-06-06", "2026-06-15"), ("2026-05-27", "2026-06-05")),
        ("2026-04-01", "2026-06-30", ("2026-04-01", "2026-06-30"), ("2026-01-01", "2026-03-31")),
    ],
)
def test_what_a_report_compares(start, end, current, previous):
    def day(text):
        return dt.date.fromisoformat(text) if text else None

    now, before = compared_windows(day(start), day(end), dt.date(2026, 6, 15))

    assert (now.start, now.end) == (day(current[0]), day(current[1]))
    assert (before.start, before.end) == (day(previous[0]), day(previous[1]))


def test_quarters_and_windows_are_values_that_order_and_never_change():
    import dataclasses

    assert sorted([Quarter(2026, 2), Quarter(2025, 4), Quarter(2026, 1)]) == [
        Quarter(2025, 4), Quarter(2026, 1), Quarter(2026, 2),
    ]  # fmt: skip
    assert Quarter(2026, 1) < Quarter(2026, 2)
    assert len({Q1, Window(dt.date(2026, 1, 1), dt.date(2026, 3, 31))}) == 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        Q1.start = dt.date(2020, 1, 1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        Quarter(2026, 1).year = 2020


@pytest.mark.parametrize("text", ["abcd-Q1", "2026-Qx", "-Q1", "2026-Q"])
def test_a_quarter_needs_digits_on_both_sides(text):
    with pytest.raises(ValueError, match="Not a quarter"):
        Quarter.parse(text)
