"""CSV and XLSX of the report's tables, with the report's filters.

CSV: UTF-8 with a byte-order mark, comma-separated, numbers without thousands separators
and with a point as the decimal mark (euros with cents, shares as fractions: 0.053), dates
as ISO 8601, for programs. XLSX (openpyxl): typed cells — whole numbers, euros with a euro
number format, shares as percentages, dates as dates in the spreadsheet's own short-date
format — so that German and English spreadsheet programs show them in their own way."""

import csv
import datetime as dt
import io
import re
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from grants.exports import csv_safe
from reporting.tables import COUNT, DATE, EURO, PERCENT, Table

EURO_FORMAT = '#,##0.00 "€"'
COUNT_FORMAT = "#,##0"
PERCENT_FORMAT = "0.0%"
DATE_FORMAT = "mm-dd-yy"  # built-in format 14: shown in the program's short-date format
SHEET_TITLE_MAX = 31


def csv_value(value, kind: str) -> str:
    if value is None:
        return ""
    if kind == PERCENT:
        return "" if value != value else f"{value:.4f}"
    if kind == EURO:
        return f"{Decimal(value):.2f}"
    if kind == DATE and isinstance(value, dt.date):
        return value.isoformat()
    if kind == COUNT:
        return str(int(value))
    return csv_safe(value)


def table_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([csv_safe(column.label) for column in table.columns])
    for _row_id, cells in table.cells():
        writer.writerow([csv_value(value, kind) for value, kind, _number in cells])
    return "\ufeff" + out.getvalue()


def typed(value, kind: str):
    """The value as the spreadsheet should hold it."""
    if value is None:
        return None
    if kind == PERCENT:
        return None if value != value else float(value)
    if kind == EURO:
        return float(value)
    if kind == COUNT:
        return int(value)
    if kind == DATE:
        return value if isinstance(value, dt.date) else None
    return str(value)


def _cell(sheet, value, kind: str) -> WriteOnlyCell:
    value = typed(value, kind)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # text stays text: a grantee's "=…" is never a formula
    cell.number_format = {
        EURO: EURO_FORMAT,
        COUNT: COUNT_FORMAT,
        PERCENT: PERCENT_FORMAT,
        DATE: DATE_FORMAT,
    }.get(kind, "General")
    return cell


def sheet_title(title: str, taken: set[str]) -> str:
    base = " ".join(re.sub(r"[\[\]:*?/\\]", " ", title).split())[:SHEET_TITLE_MAX] or "Table"
    name, number = base, 2
    while name.casefold() in taken:
        suffix = f" ({number})"
        name, number = base[: SHEET_TITLE_MAX - len(suffix)].rstrip() + suffix, number + 1
    taken.add(name.casefold())
    return name


def _write_table(workbook: Workbook, table: Table, taken: set[str]) -> None:
    sheet = workbook.create_sheet(sheet_title(table.title, taken))
    sheet.freeze_panes = "A2"
    widths = [max(len(column.label), 10) for column in table.columns]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, 60)
    header = []
    for column in table.columns:
        cell = WriteOnlyCell(sheet, value=column.label)
        cell.data_type = "s"
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for _row_id, cells in table.cells():
        sheet.append([_cell(sheet, value, kind) for value, kind, _number in cells])


def tables_xlsx(tables: list[Table], *, about: list[tuple[str, str]] | None = None) -> bytes:
    """A workbook with one sheet per table (and an "about" sheet first, if given)."""
    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    if about:
        sheet = workbook.create_sheet(sheet_title(about[0][1], taken))
        for label, value in about[1:]:
            sheet.append([_cell(sheet, label, "text"), _cell(sheet, value, "text")])
    for table in tables:
        _write_table(workbook, table, taken)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
