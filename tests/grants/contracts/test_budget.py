"""Budget years, the monthly forecast and drawdown requests (Mittelabruf): the figures
against hand-built data, the request recorded with its files' SHA-256 and never twice for a
milestone, hostile periods, who sees which page and file, fixed query counts."""

import datetime as dt
import hashlib
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.roles import Role
from core.errors import WorkflowError
from core.storage import private_storage
from grants.contracts.budget import MilestoneRow, budget_years, drawdown_lines, monthly_forecast
from grants.contracts.services.drawdowns import make_drawdown
from grants.models import Drawdown, DrawdownLine, Milestone, Payment
from tests.accounts.helpers import make_role_user, sign_in
from tests.factories import make_grant, make_user
from tests.reporting.helpers import pdf_text
from workflow.models import TransitionLog

D = Decimal
day = dt.date


def row(pk, due_on, amount, state="planned", drawn=False, reference="01CTF26001"):
    return MilestoneRow(pk, reference, pk, due_on, D(amount), state, drawn)


HAND_BUILT = [
    row(1, day(2025, 11, 30), "10000.00", "paid"),
    row(2, day(2025, 12, 31), "15000.00", "accepted"),  # released, not yet paid
    row(3, day(2026, 1, 15), "20000.00"),
    row(4, day(2026, 3, 1), "5000.00", "cancelled"),
    row(5, day(2026, 3, 31), "7500.00", "report_submitted"),
    row(6, day(2027, 2, 28), "9000.00"),
]


def test_budget_years_from_hand_built_data():
    years = budget_years(
        HAND_BUILT,
        [(day(2025, 12, 5), D("10000.00")), (day(2026, 1, 10), D("15000.00"))],
        [(day(2025, 12, 31), D("25000.00"))],
    )

    assert [(y.year, y.committed, y.paid, y.open, y.drawn) for y in years] == [
        (2025, D("25000.00"), D("10000.00"), D("15000.00"), D("25000.00")),
        (2026, D("27500.00"), D("15000.00"), D("12500.00"), D("0.00")),  # cancelled left out
        (2027, D("9000.00"), D("0.00"), D("9000.00"), D("0.00")),
    ]


def test_the_monthly_forecast_from_hand_built_data():
    overdue, months = monthly_forecast(HAND_BUILT, today=day(2026, 1, 20), months=3)

    # Due before January and unpaid: milestone 2 only (1 is paid).
    assert (overdue.amount, overdue.milestones) == (D("15000.00"), 1)
    assert [(m.month, m.amount, m.milestones) for m in months] == [
        (day(2026, 1, 1), D("20000.00"), 1),
        (day(2026, 2, 1), D("0.00"), 0),
        (day(2026, 3, 1), D("7500.00"), 1),  # the cancelled one left out
    ]


@pytest.mark.parametrize(
    ("period_end", "expected"),
    [(day(2026, 1, 14), [1, 2]), (day(2026, 1, 15), [1, 2, 3]), (day(2026, 1, 16), [1, 2, 3])],
)
def test_a_drawdown_asks_for_what_falls_due_by_the_end_of_its_period(period_end, expected):
    assert [line.pk for line in drawdown_lines(HAND_BUILT, period_end=period_end)] == expected


def test_a_drawdown_never_asks_again_for_a_milestone_already_requested():
    drawn = [row(1, day(2026, 1, 1), "1.00", drawn=True), row(2, day(2026, 1, 2), "2.00")]
    assert [line.pk for line in drawdown_lines(drawn, period_end=day(2026, 12, 31))] == [2]


# Through the service and the pages ---------------------------------------------------------


@pytest.fixture
def grants(db, staff):
    start = day(2026, 1, 1)
    first = make_grant(starts_on=start, amounts=("10000.00", "20000.00", "14887.50"))
    second = make_grant(starts_on=start, amounts=("5000.00", "5000.00"))
    unsigned = make_grant(state="approved", starts_on=start, amounts=("7000.00",))
    return first, second, unsigned


def dates(grant):
    return [m.due_on for m in grant.milestones.all()]


@pytest.mark.django_db
def test_a_drawdown_is_recorded_with_its_files_and_never_twice(grants, staff):
    first, second, _unsigned = grants
    end = max(dates(first)[0], dates(second)[0])

    drawdown = make_drawdown(
        actor=staff, period_start=day(2026, 1, 1), period_end=end, language="en"
    )

    expected = [m for m in Milestone.objects.filter(grant__in=[first, second]) if m.due_on <= end]
    assert expected  # the period covers at least the first milestones
    assert drawdown.amount == sum(m.amount for m in expected)
    assert set(DrawdownLine.objects.values_list("milestone_id", flat=True)) == {
        m.pk for m in expected
    }
    assert (drawdown.created_by, drawdown.number, drawdown.language) == (staff, 1, "en")
    for name, digest in (
        (drawdown.pdf_name, drawdown.pdf_sha256),
        (drawdown.xlsx_name, drawdown.xlsx_sha256),
    ):
        with private_storage().open(name, "rb") as handle:
            assert hashlib.sha256(handle.read()).hexdigest() == digest
    with private_storage().open(drawdown.pdf_name, "rb") as handle:
        content = handle.read()
    reader = PdfReader(io.BytesIO(content))
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert b"pdfuaid:part" in reader.trailer["/Root"]["/Metadata"].get_data()
    text = pdf_text(content)
    assert f"Drawdown request (Mittelabruf) {drawdown.reference}" in text
    assert first.funding_reference in text
    assert first.application.owner.full_name not in text  # no personal data
    assert staff.full_name not in text
    with private_storage().open(drawdown.xlsx_name, "rb") as handle:
        workbook = load_workbook(io.BytesIO(handle.read()))
    sheet = workbook.worksheets[1]
    # Columns wide enough for a funding reference, a number, a date and an amount.
    assert [sheet.column_dimensions[column].width for column in "ABCD"] == [22, 12, 14, 16]
    amounts = [r[3] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert D(str(round(sum(amounts), 2))) == drawdown.amount
    entry = TransitionLog.objects.get(action="grants.drawdown.requested")
    assert entry.data["pdf_sha256"] == drawdown.pdf_sha256

    # The same period again: everything in it has been requested.
    with pytest.raises(WorkflowError, match="Nothing falls due"):
        make_drawdown(actor=staff, period_start=day(2026, 1, 1), period_end=end, language="de")
    assert Drawdown.objects.count() == 1
    # A later period takes only what is left.
    later = make_drawdown(
        actor=staff, period_start=end, period_end=day(2026, 12, 31), language="de"
    )
    assert later.number == 2
    assert later.amount == D("54887.50") - drawdown.amount  # the unsigned grant is not in it


@pytest.mark.django_db
@pytest.mark.parametrize(("offset", "carried"), [(-1, False), (0, False), (1, True)])
def test_what_fell_due_before_the_period_is_shown_apart(grants, staff, offset, carried):
    # The earliest milestone (both grants' first, due the same day) falls due the day
    # after the period starts, on its first day, or the day before it.
    first, second, _unsigned = grants
    due = dates(first)[0]
    assert dates(second)[0] == due
    start = due + dt.timedelta(days=offset)
    end = due + dt.timedelta(days=1)

    drawdown = make_drawdown(actor=staff, period_start=start, period_end=end, language="en")

    with private_storage().open(drawdown.pdf_name, "rb") as handle:
        text = " ".join(pdf_text(handle.read()).split())
    assert drawdown.amount == D("15000.00")
    assert ("Of which due before the period €15,000.00" in text) is carried
    assert ("Of which due before the period" in text) is carried


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "end", "made"),
    [
        (day(2026, 1, 1), day(2027, 1, 1), True),  # 366 days counting both ends: a year
        (day(2099, 12, 31), day(2099, 12, 31), True),  # everything due by then
        (day(2000, 1, 1), day(2000, 1, 1), False),  # a valid period with nothing due
    ],
)
def test_periods_on_the_limits_are_taken(grants, staff, start, end, made):
    if made:
        drawdown = make_drawdown(actor=staff, period_start=start, period_end=end, language="en")
        assert (drawdown.period_start, drawdown.period_end) == (start, end)
        return
    with pytest.raises(WorkflowError) as refused:
        make_drawdown(actor=staff, period_start=start, period_end=end, language="en")
    assert str(refused.value) == (
        "Nothing falls due by 2000-01-01 that has not been requested already."
    )
    assert refused.value.field_errors == {}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (day(2026, 2, 1), day(2026, 1, 31), "must end on or after"),
        (day(2026, 1, 1), day(2027, 1, 2), "at most one year"),
        (day(1999, 12, 31), day(2000, 1, 1), "between 2000 and 2099"),
        (day(2099, 12, 31), day(2100, 1, 1), "between 2000 and 2099"),
    ],
)
def test_hostile_periods_are_refused(grants, staff, start, end, message):
    with pytest.raises(WorkflowError) as refused:
        make_drawdown(actor=staff, period_start=start, period_end=end, language="en")
    assert message in str(refused.value.field_errors)
    assert not Drawdown.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["applicant", "ministry", "juror"])
def test_only_staff_make_a_drawdown(grants, role):
    user = make_user(Role.APPLICANT) if role == "applicant" else make_role_user(role)
    with pytest.raises(WorkflowError):
        make_drawdown(actor=user, period_start=day(2026, 1, 1), period_end=day(2026, 12, 31),
                      language="en")  # fmt: skip
    assert not Drawdown.objects.exists()


@pytest.mark.django_db
def test_the_budget_page_makes_a_drawdown_and_refuses_bad_input(client, grants, staff):
    sign_in(client, staff)
    url = reverse("staff_budget_years")
    bad = [
        {"period_start": "2026-01-01", "period_end": "²", "language": "en"},
        {"period_start": "2026-01-01", "period_end": "99999-01-01", "language": "en"},
        {"period_start": "2026-01-01", "period_end": "2026-12-31", "language": "xx"},
    ]
    for data in bad:
        response = client.post(url, data)
        assert response.status_code == 200
        assert "The drawdown request was not made" in response.content.decode()
    assert not Drawdown.objects.exists()
    response = client.post(
        url, {"period_start": "2026-01-01", "period_end": "2026-12-31", "language": "de"}
    )
    assert response.status_code == 302
    drawdown = Drawdown.objects.get()
    page = client.get(url).content.decode()
    assert drawdown.reference in page and drawdown.pdf_sha256 in page
    assert "Budget years" in page and "Cash-flow forecast" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "page", "files"),
    [("staff", 200, 200), ("ministry", 200, 200), ("admin", 200, 200), ("owner", 404, 404),
     ("applicant", 404, 404), ("juror", 404, 404)],
)  # fmt: skip
def test_who_sees_the_drawdowns(client, grants, staff, who, page, files):
    drawdown = make_drawdown(actor=staff, period_start=day(2026, 1, 1),
                             period_end=day(2026, 12, 31), language="en")  # fmt: skip
    users = {
        "staff": staff,
        "owner": grants[0].application.owner,
        "applicant": make_user(Role.APPLICANT),
    }
    sign_in(client, users[who] if who in users else make_role_user(who))

    assert client.get(reverse("ministry_drawdowns")).status_code == page
    for fmt in ("pdf", "xlsx"):
        response = client.get(reverse("drawdown_file", args=[drawdown.pk, fmt]))
        assert response.status_code == files
        if files == 200:
            digest = drawdown.pdf_sha256 if fmt == "pdf" else drawdown.xlsx_sha256
            assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == digest
    if who != "staff":
        assert client.get(reverse("staff_budget_years")).status_code == (
            200 if who == "admin" else 404
        )


@pytest.mark.django_db
def test_the_ministry_sees_drawdowns_against_payments_without_names(client, grants, staff):
    first, second, _unsigned = grants
    drawdown = make_drawdown(actor=staff, period_start=day(2026, 1, 1),
                             period_end=day(2026, 12, 31), language="en")  # fmt: skip
    milestone = first.milestones.first()
    Milestone.objects.filter(pk=milestone.pk).update(state="paid")
    Payment.objects.create(grant=first, milestone=milestone, kind="paid", amount=milestone.amount,
                           created_by=staff, paid_on=day(2026, 2, 1))  # fmt: skip
    sign_in(client, make_role_user("ministry"))

    page = client.get(reverse("ministry_drawdowns")).content.decode()

    assert drawdown.reference in page
    assert "€10,000.00" in page  # paid in total by the end of the period
    for grant in (first, second):
        assert grant.application.owner.full_name not in page
        assert grant.application.title not in page
    assert staff.full_name not in page


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.parametrize(("role", "url_name", "expected"), [("staff", "staff_budget_years", 9),
                                                            ("ministry", "ministry_drawdowns", 10)])  # fmt: skip
def test_the_budget_pages_make_a_fixed_number_of_queries(
    client, staff, count, role, url_name, expected
):
    for _ in range(count):
        make_grant(starts_on=day(2026, 1, 1))
        make_drawdown(actor=staff, period_start=day(2026, 1, 1), period_end=day(2026, 12, 31),
                      language="en")  # fmt: skip
    sign_in(client, staff if role == "staff" else make_role_user(role))
    url = reverse(url_name)
    client.get(url)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)

    assert response.content.decode().count(">PDF of ") == count
    assert len(queries) == expected, [q["sql"] for q in queries]
