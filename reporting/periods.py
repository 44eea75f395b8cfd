"""Calendar quarters and reporting windows, with their own unit tests.

A window is a pair of dates (``start``, ``end``), both included; either may be None for
"since the beginning" or "until today". Whether something falls in a window is decided in
one place, ``Window.lookups``: the pandas masks of reporting.figures and the database
filters of reporting.services read the same conditions."""

import datetime as dt
import operator
import re
from dataclasses import dataclass

import pandas as pd

COMPARISONS = {"gte": operator.ge, "lte": operator.le}
QUARTER = re.compile(r"(?P<year>[0-9]{4})-Q(?P<number>[0-9])")


@dataclass(frozen=True)
class Window:
    start: dt.date | None = None
    end: dt.date | None = None

    def lookups(self, first: str, last: str) -> dict[str, dt.date]:
        """The one rule: a span from ``first`` to ``last`` (both days included) falls in the
        window when it ends on or after the window's start and starts on or before its end.
        A single day is a span of one day. As Django lookups, e.g. for a grant's funding
        period ``{"ends_on__gte": start, "starts_on__lte": end}``."""
        conditions = {}
        if self.start is not None:
            conditions[f"{last}__gte"] = self.start
        if self.end is not None:
            conditions[f"{first}__lte"] = self.end
        return conditions

    def meets(self, firsts: pd.Series, lasts: pd.Series) -> pd.Series:
        """Which spans (``firsts[i]`` to ``lasts[i]``, pandas timestamps) fall in the window."""
        columns = {"first": firsts, "last": lasts}
        mask = pd.Series(True, index=firsts.index)
        for lookup, day in self.lookups("first", "last").items():
            name, _, comparison = lookup.partition("__")
            mask &= COMPARISONS[comparison](columns[name], pd.Timestamp(day))
        return mask

    def mask(self, dates: pd.Series) -> pd.Series:
        """Which dates fall in the window (a missing date never does)."""
        return dates.notna() & self.meets(dates, dates)

    def to_date(self) -> "Window":
        """Everything up to the end of this window."""
        return Window(None, self.end)

    @property
    def days(self) -> int | None:
        if self.start is None or self.end is None:
            return None
        return (self.end - self.start).days + 1

    def previous(self) -> "Window":
        """The period just before, of the same length: the calendar quarter (or year)
        before a calendar quarter (or year), otherwise as many days. Needs both ends."""
        if self.start is None or self.end is None:
            raise ValueError("Only a window with a start and an end has a previous one.")
        quarter = Quarter.of(self.start)
        if (self.start, self.end) == (quarter.start, quarter.end):
            before = quarter.previous()
            return Window(before.start, before.end)
        if (self.start, self.end) == (
            dt.date(self.start.year, 1, 1),
            dt.date(self.start.year, 12, 31),
        ):
            return Window(dt.date(self.start.year - 1, 1, 1), dt.date(self.start.year - 1, 12, 31))
        end = self.start - dt.timedelta(days=1)
        return Window(end - dt.timedelta(days=self.days - 1), end)


EVERYTHING = Window()  # no period: since the fund began


def compared_windows(
    start: dt.date | None, end: dt.date | None, today: dt.date
) -> tuple[Window, Window]:
    """The period a report compares with the one before: the selected period (until today
    when it has no end); without a start, the last quarter finished by its end."""
    end = end or today
    if start is None:
        quarter = last_finished_quarter(end + dt.timedelta(days=1))
        current = Window(quarter.start, quarter.end)
    else:
        current = Window(start, end)
    return current, current.previous()


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int  # 1 to 4

    def __post_init__(self):
        if not 1 <= self.number <= 4:
            raise ValueError(f"A quarter is numbered 1 to 4, not {self.number}.")

    @classmethod
    def of(cls, day: dt.date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, text: str) -> "Quarter":
        """The inverse of ``str``: "2026-Q1"."""
        # ASCII digits only: str.isdigit() also passes "²", and int() reads "٢٠٢٦".
        match = QUARTER.fullmatch(text)
        if match is None:
            raise ValueError(f"Not a quarter: {text!r} (expected e.g. 2026-Q1).")
        return cls(int(match["year"]), int(match["number"]))

    def __str__(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> dt.date:
        return self.next().start - dt.timedelta(days=1)

    def next(self) -> "Quarter":
        return Quarter(self.year + self.number // 4, self.number % 4 + 1)

    def previous(self) -> "Quarter":
        return Quarter(self.year - (self.number == 1), (self.number - 2) % 4 + 1)


def last_finished_quarter(today: dt.date) -> Quarter:
    """The latest quarter that has ended before ``today``."""
    return Quarter.of(today).previous()
