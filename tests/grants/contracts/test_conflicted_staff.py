"""A staff member who is also a juror never sees a funded project they declared a conflict
of interest with (or have a suggested conflict they have not dismissed): not on the finance
page, the overdue list, the portfolio, nor in the staff e-mail of overdue items, and they
cannot put its payment into a SEPA file, open a file that holds it or mark that paid. Other
staff see it as before."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from grants.contracts.services.agreements import decline_award
from grants.contracts.services.batches import export_sepa_batch
from grants.models import Payment, SepaBatch
from grants.services.reminders import send_reminders
from review.states import ConflictStatus
from tests.accounts.helpers import sign_in
from tests.factories import make_grant, make_user
from tests.grants.contracts.helpers import accept, pay, report
from tests.review.helpers import conflict

pytestmark = pytest.mark.django_db


def funded_project(staff, finance, title):
    """Milestone 1 released, milestone 2 paid (a file made and recorded by ``finance``),
    milestone 3 overdue."""
    today = timezone.localdate()
    grant = make_grant(title=title, starts_on=today - dt.timedelta(days=250))
    first, second, _third = grant.milestones.order_by("position")
    for milestone in (first, second):
        report(milestone)
        accept(milestone, staff)
    pay([second], exporter=finance, reference="B-1")
    return grant


@pytest.fixture
def world():
    staff = make_user(Role.STAFF)
    finance = make_user(Role.STAFF)
    staff_juror = make_user(Role.STAFF, Role.JUROR)
    conflicted = funded_project(staff, finance, "Conflicted Harbour Radar")
    suggested = funded_project(staff, finance, "Suggested Lighthouse Map")
    clear = funded_project(staff, finance, "Clear Tide Gauge")
    conflict(staff_juror, conflicted.application)
    conflict(staff_juror, suggested.application, status=ConflictStatus.SUGGESTED)
    return staff, staff_juror, (conflicted, suggested), clear


PAGES = ("staff_finance", "staff_overdue", "staff_portfolio")


@pytest.mark.parametrize("page", PAGES)
def test_a_conflicted_staff_juror_does_not_see_the_project(client, world, page):
    _staff, staff_juror, hidden, clear = world
    sign_in(client, staff_juror)

    response = client.get(reverse(page))

    assert response.status_code == 200
    text = response.content.decode()
    assert clear.funding_reference in text
    for grant in hidden:
        assert grant.funding_reference not in text
        assert grant.application.title not in text


@pytest.mark.parametrize("page", PAGES)
def test_other_staff_see_every_project(client, world, page):
    staff, _staff_juror, hidden, clear = world
    sign_in(client, staff)

    text = client.get(reverse(page)).content.decode()

    references = [grant.funding_reference for grant in (*hidden, clear)]
    assert len(references) == 3
    assert [reference for reference in references if reference not in text] == []


def test_a_dismissed_suggestion_hides_nothing(client, world):
    _staff, staff_juror, (_conflicted, suggested), _clear = world
    suggested.application.conflicts_of_interest.update(status=ConflictStatus.DISMISSED)
    sign_in(client, staff_juror)

    assert suggested.funding_reference in client.get(reverse("staff_finance")).content.decode()


def test_the_conflicted_payment_cannot_be_exported_or_marked_paid(client, world):
    staff, staff_juror, (conflicted, _suggested), clear = world
    released = Payment.objects.get(grant=conflicted, kind="released", milestone__position=1)
    sign_in(client, staff_juror)
    batches_before = SepaBatch.objects.count()

    export = client.post(
        reverse("staff_sepa_export"),
        {"payments": [released.pk], "execution_date": timezone.localdate().isoformat()},
    )

    assert export.status_code == 302 and export["Location"] == reverse("staff_finance")
    assert SepaBatch.objects.count() == batches_before
    # A file someone else made with it: not shown to them, not theirs to record.
    other = make_user(Role.STAFF)
    batch = export_sepa_batch(
        actor=other,
        payment_ids=[
            released.pk,
            Payment.objects.get(grant=clear, kind="released", milestone__position=1).pk,
        ],
        execution_date=timezone.localdate(),
    )
    assert batch.message_id not in client.get(reverse("staff_finance")).content.decode()
    assert client.get(reverse("staff_sepa_batch", args=[batch.pk])).status_code == 404
    assert client.get(reverse("staff_sepa_batch_file", args=[batch.pk])).status_code == 404
    marked = client.post(
        reverse("staff_sepa_batch_paid", args=[batch.pk]),
        {
            "expected_state": "exported",
            "paid_on": timezone.localdate().isoformat(),
            "bank_reference": "B-2",
        },
    )
    assert marked.status_code == 404
    released.milestone.refresh_from_db()
    assert released.milestone.state == "accepted"
    sign_in(client, staff)
    assert client.get(reverse("staff_sepa_batch", args=[batch.pk])).status_code == 200


def test_the_overdue_e_mail_leaves_the_conflicted_project_out(
    world, django_capture_on_commit_callbacks
):
    staff, staff_juror, hidden, clear = world
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        send_reminders()

    lists = {
        message.to[0]: message.body
        for message in mail.outbox
        if message.to[0] in (staff.email, staff_juror.email)
    }
    assert clear.funding_reference in lists[staff_juror.email]
    assert clear.funding_reference in lists[staff.email]
    for grant in hidden:
        assert grant.funding_reference not in lists[staff_juror.email]
        assert grant.funding_reference in lists[staff.email]


def test_staff_are_told_of_a_declined_award_unless_it_is_withheld_from_them(
    django_capture_on_commit_callbacks,
):
    staff = make_user(Role.STAFF)
    staff_juror = make_user(Role.STAFF, Role.JUROR)
    grant = make_grant(state="approved")
    conflict(staff_juror, grant.application)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        decline_award(application=grant.application, actor=grant.application.owner)

    told = sorted(
        message.to[0] for message in mail.outbox if grant.funding_reference in message.body
    )
    assert told == [staff.email]
