"""CSV and XLSX writers: typed cells, header rows, text that stays text."""

import datetime as dt
import io
from decimal import Decimal

from django.utils import translation
from openpyxl import load_workbook

from core.spreadsheets import sheet_title
from reporting.exports import table_csv, tables_xlsx
from reporting.tables import COUNT, DATE, EURO, PERCENT, URL, Column, Table


def table():
    return Table(
        key="t",
        title="Money: by call [2026]",
        columns=[
            Column("name", "Name"),
            Column("count", "Count", COUNT),
            Column("euro", "Euro", EURO),
            Column("share", "Share", PERCENT),
            Column("day", "Day", DATE),
            Column("code", "Code", URL),
        ],
        rows=[
            ['=HYPERLINK("https://evil.example")', 3, Decimal("1234.50"), 0.053, dt.date(2026, 1, 2), "https://code.example"],
            ["+49 30 123", 0, Decimal("0.00"), None, None, ""],
        ],
    )  # fmt: skip


def test_csv_for_programs_and_without_formulas():
    assert table_csv(table()) == (
        "\ufeffName,Count,Euro,Share,Day,Code\r\n"
        '"\'=HYPERLINK(""https://evil.example"")",3,1234.50,0.0530,2026-01-02,https://code.example\r\n'
        "'+49 30 123,0,0.00,,,\r\n"
    )


def test_xlsx_cells_have_types_and_formats():
    workbook = load_workbook(
        io.BytesIO(
            tables_xlsx([table()], about=[("About", "About this export"), ("Call", "All calls")])
        )
    )

    assert workbook.sheetnames == ["About this export", "Money by call 2026"]
    about, sheet = workbook.worksheets
    assert [[c.value for c in row] for row in about.iter_rows()] == [["Call", "All calls"]]
    header, first, second = (list(row) for row in sheet.iter_rows())
    assert [c.value for c in header] == ["Name", "Count", "Euro", "Share", "Day", "Code"]
    assert all(c.font.b for c in header)
    assert (first[0].value, first[0].data_type) == ('=HYPERLINK("https://evil.example")', "s")
    assert (first[1].value, first[1].number_format) == (3, "#,##0")
    assert (first[2].value, first[2].number_format) == (1234.5, '"€"#,##0.00')
    assert (first[3].value, first[3].number_format) == (0.053, "0.0%")
    assert first[4].is_date and first[4].value == dt.datetime(2026, 1, 2)
    assert (second[0].value, second[0].data_type) == ("+49 30 123", "s")
    assert second[3].value is None and second[4].value is None


def test_xlsx_euros_have_the_same_format_as_the_staff_export_in_german():
    """One writer for every export: the report's euros look like the application list's."""
    with translation.override("de"):
        workbook = load_workbook(io.BytesIO(tables_xlsx([table()])))

    first = list(workbook.worksheets[0].iter_rows())[1]
    assert (first[2].value, first[2].number_format) == (1234.5, '#,##0.00\\ "€"')


def test_sheet_titles_are_valid_and_unique():
    taken = set()

    assert (
        sheet_title("Delays and their reasons: a very long title indeed", taken)
        == "Delays and their reasons"
    )
    assert (
        sheet_title("Delays and their reasons: a very long title indeed", taken)
        == "Delays and their reasons (2)"
    )
    # Long titles lose their explanation first, then whole words, never half a word.
    assert sheet_title("Targets and results (to the end of the period)", taken) == (
        "Targets and results"
    )
    assert sheet_title("Collaborations by level of government", taken) == (
        "Collaborations by level of…"
    )
    assert sheet_title("Eingegangene und geförderte Anträge nach Thema", taken) == (
        "Eingegangene und geförderte…"
    )
    assert sheet_title("Collaborations by level of government", taken) == (
        "Collaborations by level of… (2)"
    )
    assert sheet_title("A" * 40, taken) == "A" * 30 + "…"
    assert sheet_title("Short: title", taken) == "Short title"
    assert sheet_title("???", taken) == "Table"
