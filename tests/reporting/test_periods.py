import datetime as dt

import pytest

from reporting.periods import Quarter, in_window, last_finished_quarter, overlaps


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


def test_windows_include_both_ends_and_may_be_open():
    start, end = dt.date(2026, 1, 1), dt.date(2026, 3, 31)

    assert in_window(start, start, end) and in_window(end, start, end)
    assert not in_window(dt.date(2026, 4, 1), start, end)
    assert in_window(dt.date(1999, 1, 1), None, end)
    assert not in_window(None, None, None)
    assert overlaps(dt.date(2025, 12, 1), dt.date(2026, 1, 1), start, end)
    assert not overlaps(dt.date(2026, 4, 1), None, start, end)
    assert overlaps(dt.date(2020, 1, 1), None, start, None)
