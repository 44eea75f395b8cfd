"""Every reporting page makes a fixed number of queries, with few rows and with many:
1 and 3 grants (and the transparency page's and the archive's lists with 10 and 1,000
rows would only cost more rows, never more queries)."""

import pytest

from grants.models import Application, Grant
from reporting.models import ArchivedReport
from tests.accounts.helpers import INBOX_COUNT, sign_in
from tests.factories import ApplicationFactory, CallFactory, make_grant
from tests.reporting.helpers import ministry_client

SIGNED_IN_MFA = 4  # session, user, groups, authenticators (tests/accounts/test_query_counts.py)
LOAD = 15  # reporting.data.load: fifteen flat queries, the targets, tracks and concepts included (the fund name costs none)


def grants(count):
    call = CallFactory(slug="2026-1")
    for _ in range(count):
        make_grant(ApplicationFactory(call=call))
    ApplicationFactory.create_batch(count, call=call)  # drafts: never counted


@pytest.mark.parametrize("count", [1, 3])
def test_dashboard(db, client, django_assert_num_queries, count):
    grants(count)
    ministry_client(client)

    # + the recent archive
    with django_assert_num_queries(SIGNED_IN_MFA + LOAD + 1):
        response = client.get("/ministry/")

    assert response.status_code == 200
    assert response.content.decode().count('href="/ministry/projects/') == count


@pytest.mark.parametrize("count", [1, 3])
def test_exports(db, client, django_assert_num_queries, count):
    grants(count)
    ministry_client(client)

    with django_assert_num_queries(SIGNED_IN_MFA + LOAD):
        client.get("/ministry/export/all.xlsx")
    with django_assert_num_queries(SIGNED_IN_MFA + LOAD):
        response = client.get("/ministry/export/projects.csv")

    assert len(response.content.decode().splitlines()) == 1 + count


@pytest.mark.parametrize("count", [1, 3])
def test_project_page(db, client, django_assert_num_queries, count):
    grants(count)
    ministry_client(client)
    grant = Grant.objects.first()

    # the grant (permission), the data, the texts, the answers for the ministry
    with django_assert_num_queries(SIGNED_IN_MFA + 1 + LOAD + 1 + 1):
        response = client.get(f"/ministry/projects/{grant.pk}/")

    assert response.status_code == 200


@pytest.mark.parametrize("count", [10, 1000])
def test_transparency_page(db, client, django_assert_num_queries, count):
    call = CallFactory(slug="2026-1")
    applications = ApplicationFactory.create_batch(10, call=call)
    for application in applications:
        make_grant(application)
    if count == 1000:
        # Many more published grants, cheaply: copies of the first ones.
        template = Grant.objects.select_related("application").first()
        for number in range(990):
            copy = Application.objects.get(pk=template.application_id)
            copy.pk, copy.reference = None, f"CTF-2026-9-{number:04d}"
            copy.save()
            Grant.objects.create(
                application=copy, funding_reference=f"09CTF{number:05d}", amount=template.amount,
                months=6, starts_on=template.starts_on, ends_on=template.ends_on,
                prepared_by=template.prepared_by, accepted_at=template.accepted_at,
            )  # fmt: skip

    # end-date changes, terminations, repositories, paid entries, grants, public answers
    with django_assert_num_queries(6):
        response = client.get("/transparency/")

    assert response.status_code == 200
    assert f"{count:,} funded projects" in response.content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_archive_and_report_pages(db, client, django_assert_num_queries, count):
    ministry_client(client)
    for _ in range(count):
        report = ArchivedReport.objects.create(origin="request", language="en", status="done")

    with django_assert_num_queries(SIGNED_IN_MFA + 3):  # count, page, subscription
        response = client.get("/ministry/reports/")
    with django_assert_num_queries(SIGNED_IN_MFA + 1):
        client.get(f"/ministry/reports/{report.pk}/")
    with django_assert_num_queries(SIGNED_IN_MFA + 1):
        client.get(f"/ministry/reports/{report.pk}/status/")

    assert f"{count} report" in response.content.decode()


def test_staff_dashboard_costs_the_same(db, client, django_assert_num_queries):
    from accounts.roles import Role
    from tests.factories import make_user

    grants(2)
    sign_in(client, make_user(Role.STAFF))

    with django_assert_num_queries(SIGNED_IN_MFA + LOAD + 1 + INBOX_COUNT):
        client.get("/ministry/")


WITHHELD = 1  # the projects withheld from a reader who is also a juror (reporting.data)


@pytest.mark.parametrize("count", [1, 3])
def test_a_staff_juror_with_a_conflict_costs_one_query_more(
    db, client, django_assert_num_queries, count
):
    from accounts.roles import Role
    from tests.factories import make_user
    from tests.review.helpers import conflict

    grants(count + 1)
    reader = make_user(Role.STAFF, Role.JUROR)
    withheld, shown = Grant.objects.order_by("pk")[:2]
    conflict(reader, withheld.application)
    sign_in(client, reader)

    with django_assert_num_queries(SIGNED_IN_MFA + LOAD + WITHHELD + 1 + INBOX_COUNT):
        dashboard = client.get("/ministry/")
    with django_assert_num_queries(SIGNED_IN_MFA + LOAD + WITHHELD):
        projects = client.get("/ministry/export/projects.csv")
    # the grant and its conflicts (permission), the data, the texts
    with django_assert_num_queries(SIGNED_IN_MFA + 2 + LOAD + WITHHELD + 1 + 1 + INBOX_COUNT):
        page = client.get(f"/ministry/projects/{shown.pk}/")

    assert dashboard.content.decode().count('href="/ministry/projects/') == count
    assert len(projects.content.decode().splitlines()) == 1 + count
    assert page.status_code == 200


@pytest.mark.parametrize("count", [1, 3])
def test_the_archive_of_a_staff_juror_with_a_conflict(db, client, django_assert_num_queries, count):
    from accounts.roles import Role
    from tests.factories import make_user
    from tests.review.helpers import conflict

    grants(1)
    reader = make_user(Role.STAFF, Role.JUROR)
    conflict(reader, Grant.objects.get().application)
    for _ in range(count):
        report = ArchivedReport.objects.create(origin="request", language="en", status="done")
    hidden = ArchivedReport.objects.create(origin="request", language="en", status="done")
    hidden.named_grants.set(Grant.objects.all())
    sign_in(client, reader)

    # count, page, subscription
    with django_assert_num_queries(SIGNED_IN_MFA + 3 + INBOX_COUNT):
        response = client.get("/ministry/reports/")
    # the report, and whether it names a project withheld from the reader
    with django_assert_num_queries(SIGNED_IN_MFA + 2 + INBOX_COUNT):
        client.get(f"/ministry/reports/{report.pk}/")

    assert f"{count} report" in response.content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_targets_page(db, client, django_assert_num_queries, count):
    from decimal import Decimal

    from grants.models import Call
    from reporting.services.targets import set_targets
    from tests.factories import FundFactory, make_user

    fund = FundFactory()
    calls = [CallFactory(fund=fund, slug=f"2026-{n}") for n in range(1, count + 1)]
    staff = make_user("staff")
    sign_in(client, staff)
    set_targets(actor=staff, fund=fund, call=calls[0], values={"datasets": Decimal(count)})

    # the fund, its calls, the call's targets; staff have an inbox (its count)
    with django_assert_num_queries(SIGNED_IN_MFA + 3 + INBOX_COUNT):
        response = client.get("/ministry/targets/?call=2026-1")

    assert response.content.decode().count('<option value="2026-') == count
    assert Call.objects.count() == count
