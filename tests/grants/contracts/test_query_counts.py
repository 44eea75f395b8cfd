"""Every funded-project page makes the same number of queries with few or many rows: 1 and
3 grants, milestones, reports, payments; 10 and 1,000 grants in the portfolio."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from grants.models import ChangeRequest, FinalReport
from tests.accounts.helpers import reauthenticate, sign_in
from tests.factories import ApplicationFactory, make_grant, make_user
from tests.grants.contracts.helpers import accept, pay, report
from tests.review.helpers import conflict

pytestmark = pytest.mark.django_db


def grants_for(owner, count, staff, *, amounts):
    finance = make_user(Role.STAFF)  # four eyes: not the person who released the payments
    grants = []
    for _ in range(count):
        grant = make_grant(ApplicationFactory(owner=owner), amounts=amounts)
        for milestone in list(grant.milestones.all())[:-1]:
            report(milestone)
            accept(milestone, staff)
        pay([grant.milestones.first()], exporter=finance, reference="R")
        report(grant.milestones.last())
        ChangeRequest.objects.create(
            grant=grant, kind="end_date", reason="Later.", requested_by=owner
        )
        grants.append(grant)
    return grants


@pytest.fixture
def small_and_large(staff):
    small_owner, large_owner = make_user(Role.APPLICANT), make_user(Role.APPLICANT)
    small = grants_for(small_owner, 1, staff, amounts=("100.00", "100.00"))
    large = grants_for(large_owner, 3, staff, amounts=("100.00",) * 5)
    return (small_owner, small), (large_owner, large)


GRANTEE_PAGES = {
    "grantee_dashboard": lambda grant: [],
    "grantee_grant": lambda grant: [grant.pk],
    "grantee_agreement": lambda grant: [grant.pk],
    "grantee_change_request": lambda grant: [grant.pk],
    "grantee_bank_details": lambda grant: [grant.pk],
    "grantee_milestone_report": lambda grant: [grant.milestones.first().pk],
}


@pytest.mark.parametrize("url_name", GRANTEE_PAGES)
def test_grantee_pages(client, small_and_large, url_name):
    counts = []
    for owner, grants in small_and_large:
        client.force_login(owner)
        reauthenticate(client)
        url = reverse(url_name, args=GRANTEE_PAGES[url_name](grants[-1]))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


STAFF_PAGES = {
    "staff_portfolio": lambda grant: [],
    "staff_overdue": lambda grant: [],
    "staff_finance": lambda grant: [],
    "staff_grant": lambda grant: [grant.pk],
    "staff_agreement": lambda grant: [grant.pk],
    "staff_milestone": lambda grant: [grant.milestones.first().pk],
    "staff_grant_terminate": lambda grant: [grant.pk],
    "staff_bank_details": lambda grant: [grant.pk],
}


@pytest.mark.parametrize("juror", [False, True], ids=["staff", "staff_juror"])
@pytest.mark.parametrize("url_name", STAFF_PAGES)
def test_staff_pages(client, staff, url_name, juror):
    """Also for staff who are jurors with a conflict (the withheld grant is not listed)."""
    viewer = staff
    if juror:
        viewer = make_user(Role.STAFF, Role.JUROR)
        conflict(viewer, make_grant().application)
    sign_in(client, viewer)
    counts = []
    owner = make_user(Role.APPLICANT)
    for count, amounts in ((1, ("100.00", "100.00")), (2, ("100.00",) * 5)):
        grants = grants_for(owner, count, staff, amounts=amounts)
        url = reverse(url_name, args=STAFF_PAGES[url_name](grants[-1]))
        client.get(url)  # warms Django's content-type cache (the reading is logged)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_final_report_pages(client, staff):
    owner = make_user(Role.APPLICANT)
    counts = {"grantee": [], "staff": []}
    for amounts in (("100.00",), ("100.00",) * 5):
        grant = make_grant(
            ApplicationFactory(owner=owner), state="final_report_due", amounts=amounts
        )
        FinalReport.objects.create(
            grant=grant,
            milestone_results=[
                {"milestone": m.pk, "achieved": True, "explanation": "Done"}
                for m in grant.milestones.all()
            ],
        )
        client.force_login(owner)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("grantee_final_report", args=[grant.pk])).status_code == 200
        counts["grantee"].append(len(queries))
        sign_in(client, staff)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("staff_final_report", args=[grant.pk])).status_code == 200
        counts["staff"].append(len(queries))
    assert len(set(counts["grantee"])) == 1, counts
    assert len(set(counts["staff"])) == 1, counts


def test_portfolio_with_10_and_1000_grants(client, staff):
    from grants.models import Grant, Milestone

    sign_in(client, staff)
    template = make_grant()
    application = template.application
    counts = []
    for total in (10, 1000):
        existing = Grant.objects.count()
        applications = [
            ApplicationFactory.build(
                call=application.call,
                owner=application.owner,
                topic=application.topic,
                reference=f"BULK-{existing}-{i}",
                state="funded",
                awarded_amount=100,
            )
            for i in range(total - existing)
        ]
        for item in applications:
            item.save()
        grants = Grant.objects.bulk_create(
            Grant(
                application=item,
                funding_reference=f"01X{item.pk:07d}",
                amount=100,
                months=6,
                starts_on=template.starts_on,
                ends_on=template.ends_on,
                prepared_by=staff,
                offered_at=timezone.now(),
            )
            for item in applications
        )
        Milestone.objects.bulk_create(
            Milestone(
                grant=grant,
                position=1,
                title="M",
                deliverable="D",
                due_on=template.starts_on,
                amount=100,
            )
            for grant in grants
        )
        assert Grant.objects.count() == total
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("staff_portfolio"))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert "1000 grants, late ones first" in response.content.decode()
