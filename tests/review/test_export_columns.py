"""The staff export of a call's applications (CSV and XLSX) carries the review's columns once
the call has their data: the raw mean score (rounded half up, as the ranking page shows
it), the rank in the ranking stored for the current input (the selection record's, once the
call is decided), and the decision with the awarded amount. Labels and values in the
reader's language; a fixed number of queries however many applications."""

import csv
import io
from decimal import Decimal

import pytest
from django.db.models import F
from django.urls import reverse
from openpyxl import load_workbook

from grants.models import Application
from grants.services.calls import transition_call
from grants.states import ApplicationState as S
from grants.states import CallState
from review.models import Review, Score
from review.ranking import ranking_row
from review.services.decisions import decide_application
from review.states import Decision
from tests.factories import set_state
from tests.grants.staff.helpers import sign_in_with_mfa
from tests.review.helpers import assign, budget_call, in_review, make_juror, make_jury, scored

pytestmark = pytest.mark.django_db

REVIEW_COLUMNS = ["Raw mean", "Rank", "Decision", "Awarded amount (€)"]
GERMAN_COLUMNS = ["Rohmittelwert", "Rang", "Entscheidung", "Bewilligter Betrag (€)"]


@pytest.fixture
def staff_client(client, staff):
    return sign_in_with_mfa(client, staff)


@pytest.fixture
def in_review_call(ranked):
    call, jury, apps = ranked
    set_state(call, CallState.IN_REVIEW)
    return call, jury, apps


def decide(staff, application, decision, amount=None):
    return decide_application(
        application=application,
        actor=staff,
        decision=decision,
        expected_state=S.REVIEWED,
        awarded_amount=amount,
    )


def csv_table(client, call, language="en"):
    response = client.get(
        reverse("staff_application_export", kwargs={"slug": call.slug}),
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8").removeprefix("\ufeff")
    header, *rows = list(csv.reader(io.StringIO(text)))
    return header, {row[0]: row for row in rows}


def xlsx_sheet(client, call, language="en"):
    response = client.get(
        reverse("staff_application_export_xlsx", kwargs={"slug": call.slug}),
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content)).worksheets[0]


def review_cells(header, row, labels=REVIEW_COLUMNS):
    start = header.index(labels[0])
    assert header[start:] == labels[: len(header) - start]
    return row[start:]


def test_no_review_columns_without_a_jury_or_before_a_review_counts(staff_client):
    call = budget_call(state=CallState.IN_REVIEW)
    in_review(call, reference="CTF-2026-1-0001")
    header, rows = csv_table(staff_client, call)
    assert not set(REVIEW_COLUMNS) & set(header)
    assert len(rows) == 1

    jury = make_jury(call)
    assign(make_juror(jury), Application.objects.get(call=call))  # a draft review only
    header, rows = csv_table(staff_client, call)
    assert not set(REVIEW_COLUMNS) & set(header)
    assert len(rows) == 1


def test_scores_and_ranks_appear_once_reviews_count_decisions_once_taken(
    staff_client, staff, in_review_call
):
    call, jury, apps = in_review_call
    unreviewed = Application.objects.get(call=call, state=S.REJECTED)

    header, rows = csv_table(staff_client, call)

    assert header[-2:] == ["Raw mean", "Rank"]
    cells = {reference[-1]: review_cells(header, row) for reference, row in rows.items()}
    assert cells == {
        "A": ["9.00", "1"],
        "B": ["8.00", "2"],
        "C": ["7.00", "4"],
        "D": ["7.33", "3"],
        "E": ["6.33", "5"],
        "F": ["2.00", "6"],
        unreviewed.reference[-1]: ["", ""],
    }

    decide(staff, apps["A"], Decision.APPROVE, Decimal("25000.50"))
    decide(staff, apps["F"], Decision.REJECT)
    decide(staff, apps["E"], Decision.WAITLIST)
    header, rows = csv_table(staff_client, call)

    assert header[-4:] == REVIEW_COLUMNS
    cells = {reference[-1]: review_cells(header, row) for reference, row in rows.items()}
    assert cells == {
        "A": ["9.00", "1", "Approved", "25000.50"],
        "B": ["8.00", "2", "", ""],
        "C": ["7.00", "4", "", ""],
        "D": ["7.33", "3", "", ""],
        "E": ["6.33", "5", "Waitlisted", ""],
        "F": ["2.00", "6", "Rejected", ""],
        unreviewed.reference[-1]: ["", "", "", ""],
    }


def test_the_mean_is_rounded_half_up_never_cut(staff_client, staff):
    """Two jurors' totals of 6.6667 and 7 average to 6.8333…: 6.83; and 6.6666… is 6.67."""
    call = budget_call(state=CallState.IN_REVIEW)
    jury = make_jury(call, criteria=(("Relevanz", "Relevance", 100, "0-10", False),))
    jurors = [make_juror(jury) for _ in range(3)]
    application = in_review(call, state=S.REVIEWED, reference="CTF-2026-1-0777")
    for juror, score in zip(jurors, (7, 7, 6), strict=True):
        scored(assign(juror, application), [score])

    header, rows = csv_table(staff_client, call)

    assert review_cells(header, rows["CTF-2026-1-0777"]) == ["6.67", "1"]
    sheet = xlsx_sheet(staff_client, call)
    labels = [cell.value for cell in sheet[1]]
    mean = sheet.cell(row=2, column=labels.index("Raw mean") + 1)
    assert mean.value == 6.67 and mean.number_format == "0.00"


def test_german_xlsx_has_typed_cells_and_labels(staff_client, staff, in_review_call):
    call, _jury, apps = in_review_call
    decide(staff, apps["A"], Decision.APPROVE, Decimal("25000.50"))
    decide(staff, apps["F"], Decision.REJECT)

    sheet = xlsx_sheet(staff_client, call, language="de")

    labels = [cell.value for cell in sheet[1]]
    assert labels[-4:] == GERMAN_COLUMNS
    by_reference = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    first = by_reference[apps["A"].reference][-4:]
    assert [cell.value for cell in first] == [9, 1, "Bewilligt", 25000.5]
    assert first[0].number_format == "0.00" and first[0].data_type == "n"
    assert first[1].number_format == "#,##0" and first[1].data_type == "n"
    assert first[3].number_format == '#,##0.00\\ "€"'
    assert [cell.value for cell in by_reference[apps["F"].reference][-4:]] == [
        2,
        6,
        "Abgelehnt",
        None,
    ]
    assert [cell.value for cell in by_reference[apps["D"].reference][-4:]] == [
        7.33,
        3,
        None,
        None,
    ]


def test_a_decided_call_exports_the_ranking_its_record_keeps(staff_client, staff, in_review_call):
    call, _jury, apps = in_review_call
    decide(staff, apps["A"], Decision.APPROVE)
    transition_call(
        call=call, actor=staff, transition_name="decide", expected_state=CallState.IN_REVIEW
    )
    # After the decision, F's reviews are changed (a correction): the live figures move,
    # the decided call's ranking does not.
    reviews = Review.objects.filter(assignment__application=apps["F"])
    Score.objects.filter(review__in=reviews, value__isnull=False).update(value=10)
    reviews.update(version=F("version") + 1)  # a new version of the input
    assert ranking_row(call.jury, staff, apps["F"])["raw"] == 10

    header, rows = csv_table(staff_client, call)

    assert review_cells(header, rows[apps["F"].reference]) == ["2.00", "6", "", ""]
    assert review_cells(header, rows[apps["A"].reference]) == [
        "9.00",
        "1",
        "Approved",
        "30000.00",
    ]


def _scored_call(count):
    call = budget_call(state=CallState.IN_REVIEW, slug=f"round-{count}")
    jury = make_jury(call)
    jurors = [make_juror(jury) for _ in range(2)]
    for number in range(count):
        application = in_review(call, state=S.REVIEWED)
        for juror in jurors:
            scored(assign(juror, application), [5 + number, 6, None])
    return call


@pytest.mark.parametrize("export", [csv_table, xlsx_sheet])
def test_queries_do_not_grow_with_the_rows(staff_client, django_assert_num_queries, export):
    """Session, user, groups, authenticators, the call, its topics, the rows, their
    answers, the questions; the review's criteria, selection record, input version and
    stored ranking."""
    for count in (1, 3):
        call = _scored_call(count)
        export(staff_client, call)  # the first export stores the call's ranking
        with django_assert_num_queries(13):
            export(staff_client, call)
