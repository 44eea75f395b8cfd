"""The payment ledger: append-only, Decimal, never more than the award; terminated grants
give money back. Transfer files: tests/grants/contracts/test_batches.py."""

from decimal import Decimal
from pathlib import Path

import pytest
import sepaxml

from core.errors import WorkflowError
from grants.contracts.services.closing import terminate_grant
from grants.contracts.services.finance import release_payment
from grants.models import Payment
from grants.money import euros, split_amount
from grants.states import ApplicationState as A
from tests.factories import make_grant, set_state
from tests.grants.contracts.helpers import accept, report
from workflow.models import AppendOnlyError

pytestmark = pytest.mark.django_db
PAIN_001 = Path(sepaxml.__file__).parent / "schemas" / "pain.001.001.03.xsd"


def test_split_amount_sums_exactly_and_refuses_floats():
    assert split_amount(Decimal("100.00"), [1, 1, 1]) == [
        Decimal("33.34"),
        Decimal("33.33"),
        Decimal("33.33"),
    ]
    assert sum(split_amount(Decimal("79167.00"), [300, 250, 333, 117])) == Decimal("79167.00")
    assert split_amount(Decimal("10.00"), [0, 0]) == [Decimal("5.00"), Decimal("5.00")]
    assert split_amount(Decimal("90.00"), [1, 0, 2]) == [Decimal("30.00")] * 3
    # No part is nothing: a share below a cent gets one, the others split the rest.
    assert split_amount(Decimal("1.00"), [1, 10_000]) == [Decimal("0.01"), Decimal("0.99")]
    assert split_amount(Decimal("0.03"), [1, 100, 100]) == [Decimal("0.01")] * 3
    with pytest.raises(ValueError, match="Fewer cents than parts"):
        split_amount(Decimal("0.02"), [1, 100, 100])
    with pytest.raises(TypeError):
        euros(0.1)


def test_release_never_exceeds_the_award(staff):
    grant = make_grant(amounts=("100.00", "100.00"))
    first, second = grant.milestones.all()
    Payment.objects.create(
        grant=grant, milestone=first, kind="released", amount=Decimal("150.00"), created_by=staff
    )
    with pytest.raises(WorkflowError, match="would exceed the award of €200.00"):
        release_payment(milestone=second, actor=staff)


def test_the_ledger_is_append_only(staff):
    grant = make_grant()
    payment = Payment.objects.create(
        grant=grant,
        milestone=grant.milestones.first(),
        kind="released",
        amount=Decimal("1.00"),
        created_by=staff,
    )
    payment.amount = Decimal("2.00")
    with pytest.raises(AppendOnlyError):
        payment.save()
    with pytest.raises(AppendOnlyError):
        payment.delete()
    with pytest.raises(AppendOnlyError):
        Payment.objects.filter(pk=payment.pk).update(amount=Decimal("3.00"))
    with pytest.raises(AppendOnlyError):
        Payment.objects.all().delete()
    assert Payment.objects.get().amount == Decimal("1.00")


def test_a_terminated_grant_commits_only_what_was_released(staff):
    grant = make_grant()
    call = grant.application.call
    assert call.committed_amount() == Decimal("44887.50")
    first = grant.milestones.first()
    report(first)
    accept(first, staff)
    terminate_grant(grant=grant, actor=staff, reason="The team gave up.", expected_state=A.FUNDED)
    assert call.committed_amount() == Decimal("15000.00")
    assert list(grant.milestones.values_list("state", flat=True)) == [
        "accepted",
        "cancelled",
        "cancelled",
    ]
    grant.application.refresh_from_db()
    assert grant.application.state == A.TERMINATED


def test_termination_needs_a_reason_and_a_running_grant(staff):
    grant = make_grant()
    with pytest.raises(WorkflowError, match="reason"):
        terminate_grant(grant=grant, actor=staff, reason="  ", expected_state=A.FUNDED)
    set_state(grant.application, A.COMPLETED)
    with pytest.raises(WorkflowError):
        terminate_grant(grant=grant, actor=staff, reason="Late.", expected_state=A.COMPLETED)
