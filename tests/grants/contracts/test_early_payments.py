"""Issue 18, item 14: a milestone payment released before the funding period starts gets a
warning and needs a reason (the day before the start, on it and after it); the reason is
kept in the ledger and the log; a refusal changes nothing."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from core.errors import WorkflowError
from grants.contracts.services.milestones import review_milestone_report
from grants.models import Grant, Payment
from tests.accounts.helpers import sign_in
from tests.factories import make_grant
from tests.grants.contracts.helpers import report
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db

GERMAN_MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
                 "September", "Oktober", "November", "Dezember")  # fmt: skip


def reported_grant(start_offset_days):
    """A funded grant whose period starts ``start_offset_days`` from today, first report in."""
    grant = make_grant()
    starts_on = timezone.localdate() + dt.timedelta(days=start_offset_days)
    Grant.objects.filter(pk=grant.pk).update(starts_on=starts_on)
    grant.refresh_from_db()
    milestone = grant.milestones.first()
    report(milestone)
    return grant, milestone


def accept(milestone, staff, reason=""):
    return review_milestone_report(
        milestone=milestone,
        actor=staff,
        accept=True,
        comment="",
        expected_state="report_submitted",
        early_reason=reason,
    )


def test_the_day_before_the_start_a_release_needs_a_reason_and_a_refusal_changes_nothing(staff):
    grant, milestone = reported_grant(1)

    with pytest.raises(WorkflowError) as refused:
        accept(milestone, staff)

    assert "needs a reason" in refused.value.message
    assert set(refused.value.field_errors) == {"early_reason"}
    milestone.refresh_from_db()
    assert milestone.state == "report_submitted"
    assert not Payment.objects.exists()
    assert not TransitionLog.objects.filter(action="grants.milestone.accepted").exists()

    accept(
        milestone, staff, reason="  The partner city needs the first release before the start.  "
    )

    payment = Payment.objects.get()
    assert payment.early_reason == "The partner city needs the first release before the start."
    entry = TransitionLog.objects.get(action="grants.application.payment_released_early")
    assert entry.note == payment.early_reason
    assert entry.data["milestone"] == 1


@pytest.mark.parametrize("offset", [0, -1])
def test_on_and_after_the_start_no_reason_is_needed_and_none_is_kept(staff, offset):
    _grant, milestone = reported_grant(offset)

    accept(milestone, staff, reason="Not needed.")

    assert Payment.objects.get().early_reason == ""
    assert not TransitionLog.objects.filter(
        action="grants.application.payment_released_early"
    ).exists()


def test_asking_for_changes_before_the_start_needs_no_reason(staff):
    _grant, milestone = reported_grant(30)
    review_milestone_report(milestone=milestone, actor=staff, accept=False,
                            comment="Please add the link.", expected_state="report_submitted")  # fmt: skip
    milestone.refresh_from_db()
    assert milestone.state == "changes_requested"


def test_a_reason_of_20000_characters_is_kept_and_a_longer_one_refused(staff):
    _grant, milestone = reported_grant(1)
    with pytest.raises(WorkflowError) as refused:
        accept(milestone, staff, reason="x" * 20_001)
    assert refused.value.field_errors == {"early_reason": ["At most 20000 characters."]}
    assert not Payment.objects.exists()
    milestone.refresh_from_db()
    assert milestone.state == "report_submitted"

    accept(milestone, staff, reason="x" * 20_000)
    assert len(Payment.objects.get().early_reason) == 20_000


def test_the_page_warns_asks_for_the_reason_and_shows_it_in_the_ledger(client, staff):
    grant, milestone = reported_grant(10)
    sign_in(client, staff)
    url = reverse("staff_milestone", args=[milestone.pk])

    page = client.get(url).content.decode()
    assert "Accepting now releases a payment before it starts" in page
    assert 'name="early_reason"' in page
    response = client.post(url, {"expected_state": "report_submitted", "decision": "accept"})
    assert response.status_code == 200
    assert "a payment before it needs a reason" in response.content.decode()
    assert not Payment.objects.exists()
    response = client.post(
        url,
        {"expected_state": "report_submitted", "decision": "accept",
         "early_reason": "Agreed with the ministry."},
    )  # fmt: skip
    assert response.status_code == 302
    ledger = client.get(reverse("staff_grant", args=[grant.pk])).content.decode()
    assert "before the funding period" in ledger and "Agreed with the ministry." in ledger

    # The grantee sees the mark; the reason is the staff's audit note.
    sign_in(client, grant.application.owner)
    own = client.get(reverse("grantee_grant", args=[grant.pk])).content.decode()
    assert "before the funding period" in own
    assert "Agreed with the ministry." not in own


def test_the_page_does_not_ask_once_the_period_has_started(client, staff):
    _grant, milestone = reported_grant(0)
    sign_in(client, staff)
    page = client.get(reverse("staff_milestone", args=[milestone.pk])).content.decode()
    assert "Accepting now releases a payment before it starts" not in page
    assert 'name="early_reason"' not in page


def test_the_refusal_speaks_german_to_german_staff(staff):
    grant, milestone = reported_grant(1)
    with translation.override("de"), pytest.raises(WorkflowError) as refused:
        accept(milestone, staff)
    day = grant.starts_on
    assert refused.value.message == (
        f"Der Förderzeitraum beginnt am {day.day}. {GERMAN_MONTHS[day.month - 1]} {day.year}: "
        "Eine Zahlung davor braucht eine Begründung."
    )
    assert refused.value.field_errors == {"early_reason": ["Dieses Feld ist erforderlich."]}
