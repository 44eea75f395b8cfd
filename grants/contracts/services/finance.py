"""Money of grants: the ledger (released when a milestone is accepted, paid when staff
record the bank's execution of a transfer file, grants.contracts.services.batches), and the
one way to read clear bank details, which is logged.

What is released or paid for a grant never exceeds its award: every write locks the grant
row first, so two staff acting at once are serialised, and the ledger's unique constraint
(one release and one payment per milestone) is the database's last guard."""

from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from accounts.access import may
from core.errors import WorkflowError
from core.formats import euro
from grants import events
from grants.contracts.bank import BankDetails
from grants.models import Grant, Milestone, Payment
from grants.states import PaymentKind
from workflow.audit import log_event


def lock_grant(grant_id) -> Grant:
    return Grant.objects.select_for_update().select_related("application").get(pk=grant_id)


def ledger_total(grant: Grant, kind: str) -> Decimal:
    total = Payment.objects.filter(grant=grant, kind=kind).aggregate(total=Sum("amount"))["total"]
    return total or Decimal("0.00")


def releases_early(grant: Grant, today=None) -> bool:
    """A payment released now would come before the funding period starts."""
    return (today or timezone.localdate()) < grant.starts_on


def release_payment(*, milestone: Milestone, actor, early_reason: str = "") -> Payment:
    """Release an accepted milestone's amount. Call inside the transaction that accepts it,
    with the grant row locked (grants.contracts.services.milestones does). Before the
    funding period starts, only with the staff's reason, which the ledger keeps."""
    grant = milestone.grant
    early = releases_early(grant)
    early_reason = (early_reason or "").strip()
    if early and not early_reason:
        raise WorkflowError(
            _("The funding period starts on %(date)s: a payment before it needs a reason.")
            % {"date": date_format(grant.starts_on, "DATE_FORMAT")},
            field_errors={"early_reason": [_("This field is required.")]},
        )
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
        early_reason=early_reason if early else "",
    )


@sensitive_variables()
def read_bank_details(*, grant: Grant, actor, data=None) -> BankDetails:
    """The clear bank details, for the finance view and the SEPA file only; every reading is
    logged (who, when, which grant, and ``data`` such as the transfer file)."""
    if not may(actor, "grants.manage_payments", grant):
        raise WorkflowError(_("You may not do this now."))
    if not grant.has_bank_details:
        raise WorkflowError(_("The grantee has not given bank details yet."))
    log_event(
        subject=grant,
        action=events.BANK_DETAILS_READ,
        actor=actor,
        data={"funding_reference": grant.funding_reference, **(data or {})},
    )
    return grant.decrypted_bank_details()
