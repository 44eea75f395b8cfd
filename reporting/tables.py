"""The tables of a report: typed columns and typed cell values, shown the same way on the
dashboard and in the PDF, and written as typed cells to CSV and XLSX."""

import base64
import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext

from core import formats

TEXT = "text"
COUNT = "count"
EURO = "euro"
PERCENT = "percent"
DATE = "date"
URL = "url"
REFERENCE = "reference"  # a funding reference: text that never breaks across lines
CHANGE = "change"  # a Change: the difference to the previous period
NUMERIC_KINDS = (COUNT, EURO, PERCENT, CHANGE)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = TEXT

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC_KINDS


@dataclass
class Table:
    """Rows of typed values: str, int (counts), Decimal (euros), float (a share, 0 to 1)
    or None (no value), dt.date. With ``row_kinds`` (key figures: one figure a row) the
    numbers of each row have that row's kind."""

    key: str
    title: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    row_kinds: list[str] | None = None
    empty_text: str = ""
    # Projects tables: the grant of each row (the dashboard links it to its project page).
    row_ids: list[int] | None = None

    omitted: int = 0  # rows left out of a shortened copy (see ``first``)

    def first(self, count: int) -> "Table":
        """A copy with the first ``count`` rows (the PDF's long lists; exports keep all)."""
        if len(self.rows) <= count:
            return self
        return replace(
            self,
            rows=self.rows[:count],
            row_ids=self.row_ids[:count] if self.row_ids is not None else None,
            row_kinds=self.row_kinds[:count] if self.row_kinds is not None else None,
            omitted=len(self.rows) - count,
        )

    def kind_of(self, row_index: int, column: Column) -> str:
        if self.row_kinds is not None and column.kind == COUNT:
            return self.row_kinds[row_index]
        return column.kind

    def cells(self):
        """Rows for the templates: (row id or None, [(value, kind, is number), …])."""
        for index, row in enumerate(self.rows):
            kinds = [self.kind_of(index, column) for column in self.columns]
            yield (
                self.row_ids[index] if self.row_ids is not None else None,
                [
                    (value, kind, kind in NUMERIC_KINDS)
                    for value, kind in zip(row, kinds, strict=True)
                ],
            )


WORD_JOINER = "\u2060"
ARROWS = {
    "up": "M6 1 L11 10 L1 10 Z",
    "down": "M1 2 L11 2 L6 11 Z",
    "same": "M1 4 H11 V5.5 H1 Z M1 7 H11 V8.5 H1 Z",
}


@dataclass(frozen=True)
class Change:
    """How a figure changed against the previous period: its difference, written as the
    figure is (a count or euros), and its direction as an arrow with a text alternative."""

    difference: object  # int (a count) or Decimal (euros)
    kind: str  # COUNT or EURO

    @property
    def direction(self) -> str:
        return "up" if self.difference > 0 else "down" if self.difference < 0 else "same"

    @property
    def direction_label(self) -> str:
        return {
            "up": gettext("Up"),
            "down": gettext("Down"),
            "same": gettext("Unchanged"),
        }[self.direction]

    @property
    def arrow_uri(self) -> str:
        svg = (
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 12 12" width="12" height="12">'
            f'<path d="{ARROWS[self.direction]}" fill="#1b1f24"/></svg>'
        )
        return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")

    def __str__(self) -> str:
        if self.difference == 0:
            return "±0"
        sign = "+" if self.difference > 0 else formats.MINUS
        # A word joiner keeps the sign with "€", which a line could otherwise break after.
        return sign + WORD_JOINER + format_cell(abs(self.difference), self.kind)


def euros_from_cents(value) -> Decimal:
    return (Decimal(int(value)) / 100).quantize(Decimal("0.01"))


def format_count(value) -> str:
    return floatformat(value, "g") if value is not None else "–"


def format_percent(value) -> str:
    """A share (0.375) as the language writes a percentage, one decimal: 37.5% / 37,5 %."""
    if value is None or value != value:  # None or NaN
        return "–"
    return formats.percent(round(value * 100, 1))


def format_cell(value, kind: str) -> str:
    """A cell as text in the active language (the page and the PDF; exports keep types)."""
    if value is None or value == "":
        return "–"
    if kind == EURO:
        return formats.euro(value)
    if kind == COUNT:
        return format_count(value)
    if kind == PERCENT:
        return format_percent(value)
    if kind == CHANGE:
        return str(value)
    if kind == DATE:
        return date_filter(value, "SHORT_DATE_FORMAT") if isinstance(value, dt.date) else "–"
    return str(value)
