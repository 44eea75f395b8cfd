import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from core.spreadsheets import csv_safe
from grants.states import ApplicationState
from tests.factories import ApplicationFactory, CallFactory, TopicFactory, make_user
from tests.grants.staff.helpers import bulk_submit, submit

# Session, user, groups, authenticators (second-factor gate), the call, the topics of the
# filter, the rows.
EXPORT_QUERIES = 10  # … the call's questions, the rows' answers and its review criteria.


@pytest.fixture
def call(db):
    """A call without questions: the core columns only (test_export_xlsx.py has the
    answers' columns)."""
    return CallFactory(
        slug="round-2026-1",
        title_en="Round 2026/1",
        title_de="Runde 2026/1",
        default_questions=False,
    )


HEADER = (
    "Reference,Title,State,Track,Topic,Applicant name,Applicant e-mail,"
    "Requested amount (€),Hours,Submitted at\r\n"
)


def export(client, call, **params):
    response = client.get(reverse("staff_application_export", kwargs={"slug": call.slug}), params)
    assert response.status_code == 200
    assert response.streaming
    return response, b"".join(response.streaming_content).decode("utf-8")


@pytest.fixture
def rows(call):
    civic = TopicFactory(
        fund=call.fund, slug="civic-tech", name_en="Civic Tech", name_de="Civic Tech"
    )
    submit(
        call,
        reference="CTF-2026-1-0001",
        title='=HYPERLINK("http://evil.example","click")',
        owner=make_user(Role.APPLICANT, full_name="+49 30 1234", email="plus@example.org"),
        track="team_6",
        topic=civic,
        requested_amount=Decimal("90000.00"),
        total_hours=1805,
        submitted_at=dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC),
    )
    submit(
        call,
        reference="CTF-2026-1-0002",
        title="Plain, with a comma",
        owner=make_user(Role.APPLICANT, full_name="@mention", email="at@example.org"),
        state=ApplicationState.ELIGIBLE,
        requested_amount=Decimal("44887.50"),
        total_hours=900,
        submitted_at=dt.datetime(2026, 7, 14, 21, 59, 59, tzinfo=dt.UTC),
    )
    submit(
        call,
        reference="CTF-2026-1-0003",
        title="-1 bugs\tleft",
        owner=make_user(Role.APPLICANT, full_name="\tTabby", email="tab@example.org"),
        track="individual_10",
        requested_amount=Decimal("70000.00"),
        total_hours=1404,
        submitted_at=dt.datetime(2026, 10, 25, 1, 0, tzinfo=dt.UTC),
    )
    ApplicationFactory(call=call, reference="CTF-2026-1-0004", title="A draft")


@pytest.mark.django_db
def test_export_all_rows_exactly(staff_client, call, rows):
    response, content = export(staff_client, call)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="round-2026-1-applications-'
    )
    assert response["Content-Disposition"].endswith('.csv"')
    assert content == (
        "\ufeff"
        + HEADER
        + 'CTF-2026-1-0001,"\'=HYPERLINK(""http://evil.example"",""click"")",Submitted,'
        '"Team, 6 months",Civic Tech,\'+49 30 1234,plus@example.org,90000.00,1805,'
        "2026-03-01T10:30:00+01:00\r\n"
        'CTF-2026-1-0002,"Plain, with a comma",Eligible,"Individual, 6 months",Open Data,'
        "'@mention,at@example.org,44887.50,900,2026-07-14T23:59:59+02:00\r\n"
        'CTF-2026-1-0003,\'-1 bugs\tleft,Submitted,"Individual, 10 months",Open Data,'
        "'\tTabby,tab@example.org,70000.00,1404,2026-10-25T02:00:00+01:00\r\n"
    )


@pytest.mark.django_db
def test_export_uses_the_filters_search_and_sort(staff_client, call, rows):
    _, content = export(staff_client, call, state="submitted", sort="-amount", page="2")
    lines = content.removeprefix("\ufeff").splitlines()
    assert [line.split(",")[0] for line in lines[1:]] == ["CTF-2026-1-0001", "CTF-2026-1-0003"]
    _, content = export(staff_client, call, q="tab@")
    assert [line.split(",")[0] for line in content.splitlines()[1:]] == ["CTF-2026-1-0003"]
    _, content = export(staff_client, call, topic="civic-tech", track="team_6")
    assert [line.split(",")[0] for line in content.splitlines()[1:]] == ["CTF-2026-1-0001"]
    _, content = export(staff_client, call, q="nothing matches")
    assert content == "\ufeff" + HEADER


@pytest.mark.django_db
def test_export_is_not_paginated_and_queries_do_not_grow(
    staff_client, call, django_assert_num_queries
):
    bulk_submit(call, 1)
    with django_assert_num_queries(EXPORT_QUERIES):
        _, content = export(staff_client, call)
    assert len(content.splitlines()) == 2
    bulk_submit(call, 120, start=2)
    with django_assert_num_queries(EXPORT_QUERIES):
        _, content = export(staff_client, call)
    assert len(content.splitlines()) == 122


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (Decimal("10.50"), "10.50"),
        (12, "12"),
    ],
)
def test_csv_safe(value, expected):
    assert csv_safe(value) == expected
