"""Where the money goes and how it leaves: the confirmation of each account a grantee names,
and SEPA transfer files recorded as batches.

An account a grantee names (with the signed agreement or later) is a ``BankDetailsCheck``:
until a staff member has called the grantee back on a number the fund already knows and
confirmed it, the grant's payments are *on hold* and go into no transfer file.

Each SEPA file handed out is a ``SepaBatch`` with its payments (``SepaBatchItem``): who made
it and when, the total, the file's SHA-256 and the file itself, encrypted because it holds
clear IBANs. A payment in a batch is *in transfer* and can be in no other batch (a partial
unique index is the database's last guard) until staff cancel the batch with a reason."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from grants.contracts.models.agreements import Grant
from grants.contracts.models.payments import Payment
from grants.models.calls import MONEY
from grants.states import BankCheckReason, BankCheckState, SepaBatchState
from workflow.transitions import rule


class BankDetailsCheck(ConcurrentTransitionMixin, models.Model):
    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="bank_checks")
    reason = models.CharField(_("reason"), max_length=20, choices=BankCheckReason.choices)
    # The account as it was named, masked: the clear IBAN stays encrypted on the grant.
    account_holder = models.CharField(_("account holder"), max_length=70)
    iban_masked = models.CharField(_("IBAN"), max_length=50)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("named"), default=timezone.now)
    state = FSMField(
        _("state"), default=BankCheckState.PENDING, choices=BankCheckState.choices, protected=True
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    note = models.TextField(_("how it was confirmed"), blank=True)

    class Meta:
        verbose_name = _("bank account confirmation")
        verbose_name_plural = _("bank account confirmations")
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["grant"],
                condition=models.Q(state=BankCheckState.PENDING),
                name="bank_check_one_pending",
            ),
            models.CheckConstraint(
                condition=~models.Q(state=BankCheckState.CONFIRMED)
                | models.Q(confirmed_by__isnull=False, confirmed_at__isnull=False),
                name="bank_check_confirmed_by_someone",
            ),
        ]

    def __str__(self):
        return f"{self.grant} {self.iban_masked}"

    # Transitions: fire them only through grants.contracts.services.bank_details.

    @transition(
        field=state,
        source=BankCheckState.PENDING,
        target=BankCheckState.CONFIRMED,
        permission=rule("grants.confirm_bank_details"),
        custom={
            "action": "grants.bankdetailscheck.confirmed",
            "label": _("Bank account confirmed after calling the grantee back"),
        },
    )
    def confirm(self):
        self.confirmed_at = timezone.now()

    @transition(
        field=state,
        source=BankCheckState.PENDING,
        target=BankCheckState.SUPERSEDED,
        permission=rule("grants.edit_bank_details"),
        custom={
            "action": "grants.bankdetailscheck.superseded",
            "label": _("Bank account replaced before it was confirmed"),
        },
    )
    def supersede(self):
        pass


class SepaBatch(ConcurrentTransitionMixin, models.Model):
    message_id = models.CharField(_("message id"), max_length=35, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    execution_date = models.DateField(_("execution date"))
    payment_count = models.PositiveIntegerField(_("payments"))
    total = models.DecimalField(_("total (€)"), **MONEY)
    file_name = models.CharField(_("file name"), max_length=100)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    # The pain.001 XML, encrypted like every bank detail (grants/contracts/bank.py).
    file_encrypted = models.TextField(editable=False)
    state = FSMField(
        _("state"), default=SepaBatchState.EXPORTED, choices=SepaBatchState.choices, protected=True
    )
    # Paid: when the bank executed the transfer, its reference, and who recorded it.
    paid_on = models.DateField(_("payment date"), null=True, blank=True)
    bank_reference = models.CharField(_("bank reference"), max_length=100, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for the cancellation"), blank=True)

    class Meta:
        verbose_name = _("SEPA batch")
        verbose_name_plural = _("SEPA batches")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state=SepaBatchState.PAID) | models.Q(paid_on__isnull=False),
                name="sepa_batch_paid_has_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(state=SepaBatchState.CANCELLED) | ~models.Q(cancel_reason=""),
                name="sepa_batch_cancelled_has_reason",
            ),
        ]

    def __str__(self):
        return self.message_id

    # Transitions: fire them only through grants.contracts.services.batches.

    @transition(
        field=state,
        source=SepaBatchState.EXPORTED,
        target=SepaBatchState.PAID,
        permission=rule("grants.mark_batch_paid"),
        custom={"action": "grants.sepabatch.paid", "label": _("Transfer executed by the bank")},
    )
    def mark_paid(self):
        self.closed_at = timezone.now()

    @transition(
        field=state,
        source=SepaBatchState.EXPORTED,
        target=SepaBatchState.CANCELLED,
        permission=rule("grants.cancel_batch"),
        custom={"action": "grants.sepabatch.cancelled", "label": _("Transfer file cancelled")},
    )
    def cancel(self):
        self.closed_at = timezone.now()


class SepaBatchItem(models.Model):
    batch = models.ForeignKey(SepaBatch, on_delete=models.PROTECT, related_name="items")
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="batch_items")
    end_to_end_id = models.CharField(_("end-to-end id"), max_length=35)
    amount = models.DecimalField(_("amount (€)"), **MONEY)
    # As written in the file (SEPA characters), and the masked account it went to.
    account_holder = models.CharField(_("account holder"), max_length=70)
    iban_masked = models.CharField(_("IBAN"), max_length=50)
    # False once the batch is cancelled: the payment may then go into another batch.
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("payment in a SEPA batch")
        verbose_name_plural = _("payments in SEPA batches")
        ordering = ["batch", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["payment"],
                condition=models.Q(active=True),
                name="sepa_payment_in_one_active_batch",
            ),
            models.UniqueConstraint(fields=["batch", "payment"], name="sepa_batch_payment_once"),
        ]

    def __str__(self):
        return self.end_to_end_id
