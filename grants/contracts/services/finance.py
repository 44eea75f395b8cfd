"""Money of grants: the ledger (released when a milestone is accepted, paid when staff
record the transfer), SEPA credit-transfer files for the bank, and the one way to read
clear bank details, which is logged.

What is released or paid for a grant never exceeds its award: every write locks the grant
row first, so two staff acting at once are serialised, and the ledger's unique constraint
(one release and one payment per milestone) is the database's last guard."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from sepaxml import SepaTransfer

from accounts.access import may
from core.errors import WorkflowError
from core.formats import euro
from grants import events
from grants.contracts.bank import BankDetails
from grants.models import Grant, Milestone, Payment
from grants.states import MilestoneState, PaymentKind
from workflow.audit import log_event
from workflow.transitions import fire_transition

MAX_BANK_REFERENCE = 100


def lock_grant(grant_id) -> Grant:
    return Grant.objects.select_for_update().select_related("application").get(pk=grant_id)


def ledger_total(grant: Grant, kind: str) -> Decimal:
    total = Payment.objects.filter(grant=grant, kind=kind).aggregate(total=Sum("amount"))["total"]
    return total or Decimal("0.00")


def release_payment(*, milestone: Milestone, actor) -> Payment:
    """Release an accepted milestone's amount. Call inside the transaction that accepts it,
    with the grant row locked (grants.contracts.services.milestones does)."""
    grant = milestone.grant
    released = ledger_total(grant, PaymentKind.RELEASED)
    if released + milestone.amount > grant.amount:
        raise WorkflowError(
            _("Releasing %(amount)s would exceed the award of %(award)s.")
            % {"amount": euro(milestone.amount), "award": euro(grant.amount)}
        )
    return Payment.objects.create(
        grant=grant,
        milestone=milestone,
        kind=PaymentKind.RELEASED,
        amount=milestone.amount,
        created_by=actor,
    )


def read_bank_details(*, grant: Grant, actor) -> BankDetails:
    """The clear bank details, for the finance view and the SEPA file only; every reading is
    logged (who, when, which grant)."""
    if not may(actor, "grants.manage_payments", grant):
        raise WorkflowError(_("You may not do this now."))
    if not grant.has_bank_details:
        raise WorkflowError(_("The grantee has not given bank details yet."))
    log_event(
        subject=grant,
        action=events.BANK_DETAILS_READ,
        actor=actor,
        data={"funding_reference": grant.funding_reference},
    )
    return grant.decrypted_bank_details()


def payments_to_transfer():
    """Released entries whose milestone has not been paid yet, oldest first."""
    return (
        Payment.objects.filter(kind=PaymentKind.RELEASED, milestone__state=MilestoneState.ACCEPTED)
        .select_related("grant__application", "milestone")
        .order_by("created_at", "pk")
    )


def sepa_transfer_file(*, actor, payment_ids, execution_date: dt.date) -> tuple[bytes, str]:
    """A SEPA credit-transfer file (pain.001.001.03) for the selected released payments,
    checked against the schema before it is handed out (sepaxml with xmlschema). Reading
    the accounts is logged per grant."""
    if not may(actor, "grants.use_finance"):
        raise WorkflowError(_("You may not do this now."))
    if execution_date < timezone.localdate():
        raise WorkflowError(
            _("The execution date lies in the past."),
            field_errors={"execution_date": [_("Choose today or a later day.")]},
        )
    payments = list(payments_to_transfer().filter(pk__in=payment_ids))
    if not payments or len(payments) != len(set(payment_ids)):
        raise WorkflowError(_("Select released payments that have not been paid yet."))
    transfer = SepaTransfer(
        {
            "name": settings.SEPA_DEBTOR_NAME,
            "IBAN": settings.SEPA_DEBTOR_IBAN,
            "BIC": settings.SEPA_DEBTOR_BIC,
            "batch": True,
            "currency": "EUR",
        },
        clean=True,
    )
    with transaction.atomic():
        for payment in payments:
            details = read_bank_details(grant=payment.grant, actor=actor)
            transfer.add_payment(
                {
                    "name": details.holder,
                    "IBAN": details.iban,
                    "BIC": details.bic,
                    "amount": int(payment.amount * 100),  # sepaxml takes cents as int
                    "execution_date": execution_date,
                    "description": f"{payment.grant.funding_reference} "
                    f"{_('Milestone')} {payment.milestone.position}",
                    "endtoend_id": f"{payment.grant.funding_reference}M{payment.milestone.position}",
                }
            )
            log_event(
                subject=payment.grant.application,
                action=events.SEPA_EXPORTED,
                actor=actor,
                from_state=payment.grant.application.state,
                to_state=payment.grant.application.state,
                data={"milestone": payment.milestone.position, "amount": payment.amount},
            )
        xml = transfer.export(validate=True, pretty_print=True)
    filename = f"sepa-{execution_date.isoformat()}-{len(payments)}.xml"
    return xml, filename


def mark_paid(*, actor, milestone_ids, paid_on: dt.date, bank_reference: str) -> list[Payment]:
    """Record that the bank transferred the released amounts of these milestones: one paid
    entry each, and the milestone becomes paid. All or nothing."""
    bank_reference = " ".join((bank_reference or "").split())
    errors = {}
    if not bank_reference:
        errors["bank_reference"] = [_("Enter the bank's reference of the transfer.")]
    elif len(bank_reference) > MAX_BANK_REFERENCE:
        errors["bank_reference"] = [
            _("At most %(count)s characters.") % {"count": MAX_BANK_REFERENCE}
        ]
    if paid_on > timezone.localdate():
        errors["paid_on"] = [_("The payment date cannot lie in the future.")]
    if errors:
        raise WorkflowError(_("Nothing was marked as paid."), field_errors=errors)
    milestone_ids = sorted(set(milestone_ids))
    if not milestone_ids:
        raise WorkflowError(_("Select released payments that have not been paid yet."))
    recorded = []
    with transaction.atomic():
        milestones = Milestone.objects.filter(pk__in=milestone_ids).values_list("pk", "grant_id")
        if len(milestones) != len(milestone_ids):
            raise WorkflowError(_("Select released payments that have not been paid yet."))
        # Lock the grants in a fixed order, so that two exports never wait on each other.
        for grant_id in sorted({grant_id for _pk, grant_id in milestones}):
            lock_grant(grant_id)
        for milestone in Milestone.objects.select_related("grant__application").filter(
            pk__in=milestone_ids
        ):
            recorded.append(
                _record_paid(
                    milestone=milestone, actor=actor, paid_on=paid_on, bank_reference=bank_reference
                )
            )
    return recorded


def _record_paid(*, milestone, actor, paid_on, bank_reference) -> Payment:
    grant = milestone.grant
    if (
        milestone.state != MilestoneState.ACCEPTED
        or not Payment.objects.filter(milestone=milestone, kind=PaymentKind.RELEASED).exists()
    ):
        raise WorkflowError(
            _(
                "%(reference)s, milestone %(number)s: not released or already paid. Nothing was marked as paid."
            )
            % {"reference": grant.funding_reference, "number": milestone.position}
        )
    if ledger_total(grant, PaymentKind.PAID) + milestone.amount > grant.amount:
        raise WorkflowError(
            _("%(reference)s: paying this would exceed the award. Nothing was marked as paid.")
            % {"reference": grant.funding_reference}
        )
    payment = Payment.objects.create(
        grant=grant,
        milestone=milestone,
        kind=PaymentKind.PAID,
        amount=milestone.amount,
        created_by=actor,
        paid_on=paid_on,
        bank_reference=bank_reference,
    )
    fire_transition(
        subject=milestone,
        transition_name="mark_paid",
        actor=actor,
        expected_state=MilestoneState.ACCEPTED,
        data={"paid_on": paid_on, "bank_reference": bank_reference, "amount": milestone.amount},
    )
    return payment
