"""The transfer files' text bounds, each "the longest is kept, one more is refused and
changes nothing": the bank's reference (100 characters) and a cancellation's reason (2,000);
what marking a file paid costs in queries."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.errors import WorkflowError
from grants.contracts.services.batches import cancel_sepa_batch, mark_sepa_batch_paid
from grants.models import Grant, Payment, SepaBatch
from tests.grants.contracts.test_batches import export, finance, released, snapshot
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db
__all__ = ["finance"]  # a fixture


def mark_paid(batch, actor, bank_reference):
    return mark_sepa_batch_paid(
        batch=batch,
        actor=actor,
        paid_on=timezone.localdate(),
        bank_reference=bank_reference,
        expected_state="exported",
    )


def test_a_bank_reference_of_100_characters_is_kept_and_101_refused(staff, finance):
    released(staff, per_grant=1)
    batch = export(finance)
    before = snapshot()

    with pytest.raises(WorkflowError) as refused:
        mark_paid(batch, finance, "R" * 101)
    assert refused.value.field_errors == {"bank_reference": ["At most 100 characters."]}
    assert snapshot() == before

    mark_paid(batch, finance, "R" * 100)
    assert SepaBatch.objects.values_list("state", "bank_reference").get() == ("paid", "R" * 100)


def test_a_cancellation_reason_of_2000_characters_is_kept_and_2001_refused(staff, finance):
    released(staff, per_grant=1)
    batch = export(finance)
    before = snapshot()

    with pytest.raises(WorkflowError) as refused:
        cancel_sepa_batch(batch=batch, actor=finance, reason="r" * 2001, expected_state="exported")
    assert refused.value.field_errors == {"reason": ["At most 2000 characters."]}
    assert snapshot() == before

    cancel_sepa_batch(batch=batch, actor=finance, reason="r" * 2000, expected_state="exported")
    assert SepaBatch.objects.values_list("state", "cancel_reason").get() == (
        "cancelled",
        "r" * 2000,
    )


def test_each_payment_in_a_file_is_logged_on_its_application(staff, finance):
    first, second = released(staff, grants=2, per_grant=1)

    batch = export(finance)

    logged = TransitionLog.objects.filter(action="grants.application.sepa_exported")
    assert sorted(
        (entry.object_id, entry.data["milestone"], entry.data["amount"], entry.data["batch"])
        for entry in logged
    ) == sorted(
        (grant.application.pk, 1, "15000.00", batch.message_id) for grant in (first, second)
    )


def test_a_file_is_not_marked_paid_beyond_a_grants_award(staff, finance):
    (grant,) = released(staff, per_grant=1)
    batch = export(finance)
    # The award lowered after the release (a change staff made meanwhile): €15,000 paid
    # would exceed €14,999.99; exactly the award is still paid (below).
    Grant.objects.filter(pk=grant.pk).update(amount=Decimal("14999.99"))
    before = snapshot()

    with pytest.raises(WorkflowError) as refused:
        mark_paid(batch, finance, "R-1")

    assert refused.value.message == (
        f"{grant.funding_reference}: paying €15,000.00 would exceed the award. "
        "Nothing was marked as paid."
    )
    assert snapshot() == before
    Grant.objects.filter(pk=grant.pk).update(amount=Decimal("15000.00"))
    mark_paid(batch, finance, "R-1")
    assert SepaBatch.objects.get().state == "paid"


@pytest.mark.parametrize(("grants", "per_grant", "queries"), [(1, 1, 13), (2, 1, 18), (2, 2, 26)])
def test_marking_a_file_paid_locks_each_grant_once_and_reads_no_grant_again(
    staff, finance, grants, per_grant, queries
):
    # 8 for the file, 1 lock per grant, 4 per payment (the ledger, the paid entry, the
    # milestone and its log): the locked grant is handed to its milestones, not read again.
    released(staff, grants=grants, per_grant=per_grant)
    batch = export(finance)

    with CaptureQueriesContext(connection) as captured:
        mark_paid(batch, finance, "R-1")

    assert len(captured) == queries
    paid = Payment.objects.filter(kind="paid").values_list("grant_id", "milestone__grant_id")
    assert len(paid) == grants * per_grant
    assert all(grant == milestone_grant for grant, milestone_grant in paid)
