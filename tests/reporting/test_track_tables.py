"""The progress report counts applications, funded projects and money per track, one table
per call, with the tracks named in the report's language and in the call's order; in the
tagged PDF each track is one row with its cells side by side."""

from collections import defaultdict
from decimal import Decimal
from io import BytesIO

import pdfplumber
import pytest
from django.utils import timezone

from grants.models import Application, CallTrack, Grant
from grants.states import ApplicationState as S
from reporting import data as report_data
from reporting.filters import ReportFilter
from reporting.pdf import render_pdf, report_html
from reporting.report import build_report
from tests.factories import ApplicationFactory, CallFactory, make_grant
from tests.reporting.layout import blocks_of, layout_problems

pytestmark = pytest.mark.django_db


def submitted(call, track, requested, state=S.SUBMITTED):
    application = ApplicationFactory(call=call, track=track)
    Application.objects.filter(pk=application.pk).update(
        state=state, submitted_at=timezone.now(), requested_amount=Decimal(requested)
    )
    application.refresh_from_db()
    return application


@pytest.fixture
def calls():
    """Round 1: two team applications (one funded with 44,887.50 €), one individual one
    approved and not signed yet, one in a track removed since. Round 2: one application."""
    # Their round numbers set: the factory's sequence wraps from 99 to 1, and the report
    # orders calls by year and round.
    first = CallFactory(slug="round-1", round_number=1, title_en="Round one", title_de="Runde eins")
    second = CallFactory(
        slug="round-2", round_number=2, title_en="Round two", title_de="Runde zwei"
    )
    make_grant(submitted(first, "team_10", "90000.00"))
    submitted(first, "team_10", "60000.00")
    submitted(first, "individual_6", "40000.00", state=S.APPROVED)
    gone = submitted(first, "team_6", "50000.00").track
    CallTrack.objects.filter(pk=gone.pk).update(removed_at=timezone.now())
    submitted(second, "individual_10", "70000.00")
    return first, second


def report(language="en", selection=None):
    data = report_data.load()
    return build_report(
        data,
        selection or ReportFilter(),
        language=language,
        today=timezone.localdate(),
        made_at=timezone.now(),
        fund_name=data.fund_name,
    )


HEADER = ["Track", "Applications received", "Approved for funding",
          "Funded (agreement signed)", "Requested", "Committed"]  # fmt: skip


def test_one_table_per_call_counts_per_track_in_the_calls_order(calls):
    built = report()

    first, second = built.track_tables
    assert first.key == "by_track_round-1"
    assert first.title == "Round one: applications and money by track"
    assert [column.label for column in first.columns] == HEADER
    assert first.rows == [
        ["Individual, 6 months", 1, 1, 0, Decimal("40000.00"), Decimal("0.00")],
        ["Individual, 10 months", 0, 0, 0, Decimal("0.00"), Decimal("0.00")],
        ["Team, 6 months", 1, 0, 0, Decimal("50000.00"), Decimal("0.00")],
        ["Team, 10 months", 2, 1, 1, Decimal("150000.00"), Decimal("44887.50")],
    ]
    assert second.title == "Round two: applications and money by track"
    assert [row[:2] for row in second.rows] == [
        ["Individual, 6 months", 0],
        ["Individual, 10 months", 1],
        ["Team, 6 months", 0],
        ["Team, 10 months", 0],
    ]
    assert built.tables["by_track_round-1"] is first


def test_a_removed_track_without_applications_is_left_out(calls):
    first_call, _second_call = calls
    CallTrack.objects.filter(call=first_call, key="individual_10").update(removed_at=timezone.now())

    first = report().track_tables[0]

    assert [row[0] for row in first.rows] == [
        "Individual, 6 months",
        "Team, 6 months",
        "Team, 10 months",
    ]


def test_the_tracks_are_named_in_german(calls):
    first = report("de").track_tables[0]

    assert first.title == "Runde eins: Anträge und Mittel nach Förderlinie"
    assert [row[0] for row in first.rows] == [
        "Einzelperson, 6 Monate",
        "Einzelperson, 10 Monate",
        "Team, 6 Monate",
        "Team, 10 Monate",
    ]


def test_the_selection_applies(calls):
    assert [t.key for t in report(selection=ReportFilter(call="round-2")).track_tables] == [
        "by_track_round-2"
    ]
    tomorrow = timezone.localdate() + timezone.timedelta(days=1)
    assert report(selection=ReportFilter(date_from=tomorrow)).track_tables == []
    assert len(report(selection=ReportFilter(date_to=timezone.localdate())).track_tables) == 2


def test_an_application_without_a_track_is_in_no_tracks_row(calls):
    """From before its call had tracks: counted for the call, in no track's row."""
    first_call, _second_call = calls
    submitted(first_call, None, "10000.00")

    first = report().track_tables[0]

    assert [row[:2] for row in first.rows] == [
        ["Individual, 6 months", 1],
        ["Individual, 10 months", 0],
        ["Team, 6 months", 1],
        ["Team, 10 months", 2],
    ]


def test_a_call_with_only_milestones_in_the_period_has_no_table_and_a_later_call_has_one():
    older = CallFactory(slug="round-1", round_number=1, title_en="Round one")
    newer = CallFactory(slug="round-2", round_number=2, title_en="Round two")
    grant = make_grant(submitted(older, "team_10", "90000.00"))  # milestones due from now on
    long_ago = timezone.now() - timezone.timedelta(days=100)
    Application.objects.filter(pk=grant.application_id).update(submitted_at=long_ago)
    Grant.objects.filter(pk=grant.pk).update(offered_at=long_ago, accepted_at=long_ago)
    submitted(newer, "team_10", "60000.00")
    last_month = timezone.localdate() - timezone.timedelta(days=30)

    tables = report(selection=ReportFilter(date_from=last_month)).track_tables

    assert [table.key for table in tables] == ["by_track_round-2"]
    assert [table.key for table in report().track_tables] == [
        "by_track_round-1", "by_track_round-2",
    ]  # fmt: skip


def table_rows(content: bytes) -> dict[str, list]:
    """First cell's text → the cells of the first row that starts with it, as (x0, first
    baseline, lines of text)."""
    cells = defaultdict(list)
    with pdfplumber.open(BytesIO(content)) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            for block in blocks_of(page, number):
                if block.table is not None:
                    cells[(number, block.table, block.row)].append(
                        (block.x0, block.first_baseline, block.line_texts())
                    )
    rows = {}
    for row in cells.values():
        rows.setdefault(row[0][2][0], row)
    return rows


@pytest.mark.parametrize(
    ("language", "name", "expected"),
    [
        ("en", "Team, 10 months", ["2", "1", "1", "€150,000.00", "€44,887.50"]),
        ("de", "Team, 10 Monate", ["2", "1", "1", "150.000,00 €", "44.887,50 €"]),
    ],
)
def test_in_the_tagged_pdf_each_track_is_one_row_of_cells_side_by_side(
    calls, language, name, expected
):
    built = report(language)
    html = report_html(built)
    content = render_pdf(html).content

    row = table_rows(content)[name]  # round one's (round two's has nothing in this track)

    assert [lines for _x, _y, lines in row] == [[name]] + [[value] for value in expected]
    assert [x for x, _y, _lines in row] == sorted(x for x, _y, _lines in row)
    assert max(y for _x, y, _l in row) - min(y for _x, y, _l in row) < 1.0
    assert not layout_problems(content, html).problems
