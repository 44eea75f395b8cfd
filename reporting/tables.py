"""The tables of a report: typed columns and typed cell values, shown the same way on the
dashboard and in the PDF, and written as typed cells to CSV and XLSX."""

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import floatformat

from core import formats

TEXT = "text"
COUNT = "count"
EURO = "euro"
PERCENT = "percent"
DATE = "date"
URL = "url"
REFERENCE = "reference"  # a funding reference: text that never breaks across lines
NUMERIC_KINDS = (COUNT, EURO, PERCENT)


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
    if kind == DATE:
        return date_filter(value, "SHORT_DATE_FORMAT") if isinstance(value, dt.date) else "–"
    return str(value)
