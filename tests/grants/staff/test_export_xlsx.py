"""The XLSX export: typed cells (text, euros, whole hours, Berlin date and time) that a
German or English spreadsheet shows in its own way; formulas stay text; the same filters as
the list; a fixed number of queries."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from grants.models import Answer, Application, Question
from tests.grants.staff.helpers import bulk_submit
from tests.grants.staff.test_export import call, rows  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
EXPORT_QUERIES = 10  # as the CSV (test_export.py)


def export(client, call, language="en", **params):  # noqa: F811
    response = client.get(
        reverse("staff_application_export_xlsx", kwargs={"slug": call.slug}),
        params,
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return response, sheet


def test_cells_are_typed(staff_client, call, rows):  # noqa: F811
    response, sheet = export(staff_client, call)

    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].endswith('.xlsx"')
    assert sheet.title == "Applications"
    assert [cell.value for cell in sheet[1]] == [
        "Reference",
        "Title",
        "State",
        "Track",
        "Topic",
        "Applicant name",
        "Applicant e-mail",
        "Requested amount (€)",
        "Hours",
        "Submitted at",
    ]
    assert all(cell.font.bold for cell in sheet[1])
    first = list(sheet[2])
    assert [cell.value for cell in first] == [
        "CTF-2026-1-0001",
        '=HYPERLINK("http://evil.example","click")',
        "Submitted",
        "Team, 6 months",
        "Civic Tech",
        "+49 30 1234",
        "plus@example.org",
        90000,
        1805,
        dt.datetime(2026, 3, 1, 10, 30),  # Berlin time
    ]
    # A title that looks like a formula is text, never a formula the spreadsheet runs.
    assert first[1].data_type == "s"
    assert first[7].data_type == "n" and first[7].number_format == '"€"#,##0.00'
    assert first[8].data_type == "n"
    assert first[9].is_date and first[9].number_format == "[$-809]d mmmm yyyy, hh:mm"
    assert sheet.max_row == 4  # the draft is not exported
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:J4"


def test_german_headers_and_formats(staff_client, call, rows):  # noqa: F811
    _, sheet = export(staff_client, call, language="de")

    assert sheet.title == "Anträge"
    assert sheet["A1"].value == "Antragsnummer"
    assert sheet["C3"].value == "Förderfähig"
    assert sheet["H3"].value == 44887.5
    assert sheet["H3"].number_format == '#,##0.00\\ "€"'
    assert sheet["J3"].number_format == "[$-407]d. mmmm yyyy, hh:mm"
    assert sheet["J3"].value == dt.datetime(2026, 7, 14, 23, 59, 59)


def test_the_filters_of_the_list_apply(staff_client, call, rows):  # noqa: F811
    _, sheet = export(staff_client, call, state="submitted", sort="-amount")

    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == [
        "CTF-2026-1-0001",
        "CTF-2026-1-0003",
    ]


def test_queries_do_not_grow(staff_client, call, django_assert_num_queries):  # noqa: F811
    bulk_submit(call, 1)
    with django_assert_num_queries(EXPORT_QUERIES):
        _, sheet = export(staff_client, call)
    assert sheet.max_row == 2
    bulk_submit(call, 120, start=2)
    with django_assert_num_queries(EXPORT_QUERIES):
        _, sheet = export(staff_client, call)
    assert sheet.max_row == 122


def test_the_columns_keep_their_widths(staff_client, call, rows):  # noqa: F811
    _response, sheet = export(staff_client, call)

    assert [sheet.column_dimensions[letter].width for letter in "ABCDEFGHIJ"] == [
        18, 40, 16, 22, 16, 24, 30, 16, 8, 24,
    ]  # fmt: skip


def test_answers_are_typed_and_an_unmet_condition_leaves_its_cell_empty(
    staff_client,
    call,  # noqa: F811
    rows,  # noqa: F811
):
    def question(key, kind, position, **extra):
        return Question.objects.create(
            call=call, purpose="proposal", key=key, kind=kind, position=position,
            label_de=key, label_en=key.capitalize(), **extra,
        )  # fmt: skip

    partner = question("partner", "yes_no", 1)
    named = question("who", "text", 2, condition_question=partner, condition_value="yes")
    people = question("people", "number", 3)
    budget = question("budget", "amount", 4)
    first = Application.objects.get(reference="CTF-2026-1-0001")
    Answer.objects.create(application=first, question=partner, boolean=False)
    Answer.objects.create(application=first, question=named, text="Left over from a yes")
    Answer.objects.create(application=first, question=people, number=12)
    Answer.objects.create(application=first, question=budget, number=Decimal("1500.50"))

    _response, sheet = export(staff_client, call)

    assert [cell.value for cell in sheet[1]][10:] == ["Partner", "Who", "People", "Budget"]
    cells = list(sheet[2])[10:]
    assert [cell.value for cell in cells] == ["No", None, 12, 1500.5]
    assert [cell.data_type for cell in cells] == ["s", "n", "n", "n"]
    assert cells[3].number_format == '"€"#,##0.00'
    assert [sheet.column_dimensions[letter].width for letter in "KLMN"] == [30, 30, 30, 30]
