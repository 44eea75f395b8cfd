"""Calendar quarters and reporting windows: plain Python on dates, with its own unit tests.

A window is a pair of dates (``start``, ``end``), both included; either may be None for
"since the beginning" or "until today"."""

import datetime as dt
import re
from dataclasses import dataclass

QUARTER = re.compile(r"(?P<year>[0-9]{4})-Q(?P<number>[0-9])")


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


def in_window(day: dt.date | None, start: dt.date | None, end: dt.date | None) -> bool:
    if day is None:
        return False
    return (start is None or start <= day) and (end is None or day <= end)


def overlaps(
    first: dt.date, last: dt.date | None, start: dt.date | None, end: dt.date | None
) -> bool:
    """Whether the span first..last (last None: open-ended) meets the window."""
    return (end is None or first <= end) and (start is None or last is None or last >= start)
