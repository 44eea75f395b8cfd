"""The payment ledger: append-only, Decimal, never more than the award; the SEPA file
validates against the pain.001.001.03 schema; terminated grants give money back."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
import sepaxml
import xmlschema
from django.utils import timezone

from core.errors import WorkflowError
from grants.contracts.services.closing import terminate_grant
from grants.contracts.services.finance import mark_paid, release_payment, sepa_transfer_file
from grants.models import Payment
from grants.money import euros, split_amount
from grants.states import ApplicationState as A
from tests.factories import IBAN, make_grant, set_state
from tests.grants.contracts.helpers import accept, report
from workflow.models import AppendOnlyError, TransitionLog

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
    with pytest.raises(TypeError):
        euros(0.1)


def test_accepting_releases_once_and_marking_paid_needs_a_release(staff):
    grant = make_grant()
    milestone = grant.milestones.first()
    report(milestone)
    accept(milestone, staff)
    assert list(Payment.objects.values_list("kind", "amount")) == [
        ("released", Decimal("15000.00"))
    ]
    with pytest.raises(WorkflowError, match="not released or already paid"):
        mark_paid(
            actor=staff,
            milestone_ids=[grant.milestones.last().pk],
            paid_on=timezone.localdate(),
            bank_reference="REF-1",
        )
    mark_paid(
        actor=staff,
        milestone_ids=[milestone.pk],
        paid_on=timezone.localdate(),
        bank_reference="REF-1",
    )
    with pytest.raises(WorkflowError, match="not released or already paid"):
        mark_paid(
            actor=staff,
            milestone_ids=[milestone.pk],
            paid_on=timezone.localdate(),
            bank_reference="REF-2",
        )
    assert Payment.objects.filter(kind="paid").count() == 1


def test_release_never_exceeds_the_award(staff):
    grant = make_grant(amounts=("100.00", "100.00"))
    first, second = grant.milestones.all()
    Payment.objects.create(
        grant=grant, milestone=first, kind="released", amount=Decimal("150.00"), created_by=staff
    )
    with pytest.raises(WorkflowError, match="would exceed the award of €200.00"):
        release_payment(milestone=second, actor=staff)


@pytest.mark.parametrize(
    ("paid_on", "reference", "field"),
    [
        (dt.date(2099, 1, 1), "REF", "paid_on"),
        (None, "", "bank_reference"),
        (None, "x" * 101, "bank_reference"),
    ],
)
def test_mark_paid_refuses_bad_input(staff, paid_on, reference, field):
    grant = make_grant()
    with pytest.raises(WorkflowError) as refusal:
        mark_paid(
            actor=staff,
            milestone_ids=[grant.milestones.first().pk],
            paid_on=paid_on or timezone.localdate(),
            bank_reference=reference,
        )
    assert field in refusal.value.field_errors


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


def test_sepa_file_validates_against_the_schema_and_reads_are_logged(staff):
    grants = [make_grant(), make_grant()]
    for grant in grants:
        for milestone in list(grant.milestones.all())[:2]:
            report(milestone)
            accept(milestone, staff)
    released = list(Payment.objects.filter(kind="released").order_by("pk"))

    xml, filename = sepa_transfer_file(
        actor=staff, payment_ids=[p.pk for p in released], execution_date=timezone.localdate()
    )

    schema = xmlschema.XMLSchema(PAIN_001)
    schema.validate(xml.decode())
    document = schema.to_dict(xml.decode())
    payment_info = document["CstmrCdtTrfInitn"]["PmtInf"]
    transactions = [tx for info in payment_info for tx in info["CdtTrfTxInf"]]
    assert [tx["Amt"]["InstdAmt"]["$"] for tx in transactions] == [Decimal("15000.00")] * 4
    assert {tx["CdtrAcct"]["Id"]["IBAN"] for tx in transactions} == {IBAN}
    assert document["CstmrCdtTrfInitn"]["GrpHdr"]["CtrlSum"] == Decimal("60000.00")
    assert filename == f"sepa-{timezone.localdate().isoformat()}-4.xml"
    reads = TransitionLog.objects.filter(action="grants.grant.bank_details_read")
    assert sorted(reads.values_list("object_id", "actor_id")) == sorted(
        [(g.pk, staff.pk) for g in grants for _ in range(2)]
    )
    # The log never holds the clear IBAN.
    assert not TransitionLog.objects.filter(data__icontains=IBAN).exists()
    assert not TransitionLog.objects.filter(note__icontains=IBAN).exists()


def test_sepa_file_refuses_a_past_execution_date_and_unknown_payments(staff):
    with pytest.raises(WorkflowError, match="in the past"):
        sepa_transfer_file(actor=staff, payment_ids=[1], execution_date=dt.date(2001, 1, 1))
    with pytest.raises(WorkflowError, match="Select released payments"):
        sepa_transfer_file(actor=staff, payment_ids=[999999], execution_date=timezone.localdate())


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
