"""One typed spreadsheet writer for every export: CSV for programs and XLSX for people.

CSV: UTF-8 with a byte-order mark, comma-separated, numbers without thousands separators
and with a point as the decimal mark (euros with cents, shares as fractions: 0.053), dates
and times as ISO 8601 (times in the fund's time zone). XLSX (openpyxl, write-only): typed
cells — whole numbers, euros with a euro number format of the reader's language, shares as
percentages, dates and times as the spreadsheet's own dates — so that German and English
spreadsheet programs show them in their own way. Text stays text: a cell that starts like a
formula ("=…", "+…") is never run, in either format.
"""

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

TEXT = "text"
COUNT = "count"
EURO = "euro"
PERCENT = "percent"
DATE = "date"
DATETIME = "datetime"
URL = "url"
# A figure with two decimals (a mean score), rounded half up, never cut: 7.345 is 7.35.
FIGURE = "figure"

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
SHEET_TITLE_MAX = 31

# Number formats per language. The separators in "#,##0.00" are placeholders that the
# program shows in the reader's own way; the [$-…] codes fix the month names; "mm-dd-yy" is
# built-in format 14, shown in the program's own short-date format.
_XLSX_FORMATS = {
    "de": {
        EURO: '#,##0.00\\ "€"',
        COUNT: "#,##0",
        FIGURE: "0.00",
        PERCENT: "0.0%",
        DATE: "mm-dd-yy",
        DATETIME: "[$-407]d. mmmm yyyy, hh:mm",
    },
    "en": {
        EURO: '"€"#,##0.00',
        COUNT: "#,##0",
        FIGURE: "0.00",
        PERCENT: "0.0%",
        DATE: "mm-dd-yy",
        DATETIME: "[$-809]d mmmm yyyy, hh:mm",
    },
}


def xlsx_format(kind: str, language: str) -> str:
    formats = _XLSX_FORMATS["de" if (language or "de").startswith("de") else "en"]
    return formats.get(kind, "General")


def _local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE))


def rounded_figure(value) -> Decimal:
    """A figure rounded half up to two decimals, from its shortest text (a float such as
    7.345 is not cut to 7.34 by its binary error); −0.00 becomes 0.00."""
    rounded = Decimal(str(value)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return rounded if rounded else abs(rounded)


def csv_safe(value) -> str:
    """Spreadsheets run cells that start like a formula; a leading quote makes them text."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def csv_value(value, kind: str = TEXT) -> str:
    """A value as a program reads it."""
    if value is None:
        return ""
    if kind == PERCENT:
        return "" if value != value else f"{value:.4f}"
    if kind == EURO:
        return f"{Decimal(value):.2f}"
    if kind == FIGURE:
        return str(rounded_figure(value))
    if kind == COUNT:
        return str(int(value))
    if kind == DATETIME and isinstance(value, dt.datetime):
        return _local(value).isoformat(timespec="seconds")
    if kind == DATE and isinstance(value, dt.date):
        return value.isoformat()
    return csv_safe(value)


class _Echo:
    def write(self, value):
        return value


def with_kinds(rows, kinds):
    """Typed rows ((value, kind) pairs) from plain rows whose columns share one kind each."""
    for row in rows:
        yield list(zip(row, kinds, strict=True))


def csv_lines(labels, typed_rows):
    """CSV text line by line (for streaming): a byte-order mark and the header first. A
    typed row is a sequence of (value, kind) pairs."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([csv_safe(label) for label in labels])
    for row in typed_rows:
        yield writer.writerow([csv_value(value, kind) for value, kind in row])


def csv_text(labels, typed_rows) -> str:
    return "".join(csv_lines(labels, typed_rows))


def _typed(value, kind: str):
    """The value as the spreadsheet should hold it."""
    if value is None:
        return None
    if kind == PERCENT:
        return None if value != value else float(value)
    if kind == EURO:
        return float(value)
    if kind == FIGURE:
        return float(rounded_figure(value))
    if kind == COUNT:
        return int(value)
    if kind == DATETIME:
        return _local(value).replace(tzinfo=None) if isinstance(value, dt.datetime) else None
    if kind == DATE:
        return value if isinstance(value, dt.date) else None
    return str(value)


def xlsx_cell(sheet, value, kind: str, language: str) -> WriteOnlyCell:
    value = _typed(value, kind)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # text stays text: "=…" is never a formula
    cell.number_format = xlsx_format(kind, language)
    return cell


def sheet_title(title: str, taken: set[str]) -> str:
    """A sheet name Excel accepts (31 characters, no []:*?/\\), unique in the workbook. A
    long title loses its explanation (after a colon, in brackets) first, then its last
    words, with an ellipsis: never cut mid-word."""
    base = _short_title(title) or "Table"
    name, number = base, 2
    while name.casefold() in taken:
        suffix = f" ({number})"
        name, number = _shortened(base, SHEET_TITLE_MAX - len(suffix)) + suffix, number + 1
    taken.add(name.casefold())
    return name


def _short_title(title: str) -> str:
    clean = " ".join(re.sub(r"[\[\]*?/\\]", " ", title).split())
    if len(clean) > SHEET_TITLE_MAX:
        clean = " ".join(re.sub(r"\([^)]*\)", " ", clean.split(":")[0]).split())
    return _shortened(clean.replace(":", " "), SHEET_TITLE_MAX)


def _shortened(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return cut.rstrip(" ,;-") + "…"


@dataclass
class Sheet:
    """One table to write: labels and typed rows (sequences of (value, kind) pairs)."""

    title: str
    labels: list[str]
    rows: object  # any iterable of typed rows
    widths: list[int] | None = None
    filters: bool = False  # an auto-filter on the header row


def write_sheet(workbook: Workbook, sheet: Sheet, *, language: str, taken: set[str]):
    target = workbook.create_sheet(sheet_title(sheet.title, taken))
    target.freeze_panes = "A2"
    widths = sheet.widths or [min(max(len(label), 10) + 2, 60) for label in sheet.labels]
    for index, width in enumerate(widths, start=1):
        target.column_dimensions[get_column_letter(index)].width = width
    header = []
    for label in sheet.labels:
        cell = WriteOnlyCell(target, value=str(label))
        cell.data_type = "s"
        cell.font = Font(bold=True)
        header.append(cell)
    target.append(header)
    count = 0
    for row in sheet.rows:
        target.append([xlsx_cell(target, value, kind, language) for value, kind in row])
        count += 1
    if sheet.filters:
        target.auto_filter.ref = f"A1:{get_column_letter(len(sheet.labels))}{count + 1}"
    return target


def workbook_bytes(
    sheets: list[Sheet],
    *,
    language: str,
    title: str = "",
    about: list[tuple[str, str]] | None = None,
) -> bytes:
    """An .xlsx file with one sheet per table, and an "about" sheet first if given (its
    first pair names the sheet; the others are label/value lines)."""
    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    if about:
        sheet = workbook.create_sheet(sheet_title(about[0][1], taken))
        for label, value in about[1:]:
            sheet.append(
                [xlsx_cell(sheet, label, TEXT, language), xlsx_cell(sheet, value, TEXT, language)]
            )
    for sheet in sheets:
        write_sheet(workbook, sheet, language=language, taken=taken)
    workbook.properties.title = title[:200]
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
