"""CSV and XLSX of the report's tables, with the report's filters, written by the one
spreadsheet writer (core.spreadsheets): CSV for programs, typed XLSX cells for people."""

from django.utils.translation import get_language

from core.spreadsheets import Sheet, csv_text, workbook_bytes
from reporting.tables import Table


def _typed_rows(table: Table):
    """(value, kind) pairs per row; key-figure tables have a kind per row."""
    return [[(value, kind) for value, kind, _number in cells] for _row_id, cells in table.cells()]


def _labels(table: Table) -> list[str]:
    return [column.label for column in table.columns]


def table_csv(table: Table) -> str:
    return csv_text(_labels(table), _typed_rows(table))


def tables_xlsx(tables: list[Table], *, about: list[tuple[str, str]] | None = None) -> bytes:
    """A workbook with one sheet per table (and an "about" sheet first, if given)."""
    sheets = [Sheet(title=t.title, labels=_labels(t), rows=_typed_rows(t)) for t in tables]
    return workbook_bytes(sheets, language=get_language() or "de", about=about)
