"""The payment ledger of grants: append-only, like the audit log. Accepting a milestone
releases its amount (one ``released`` entry); staff record the bank transfer (one ``paid``
entry with the payment date and the bank's reference). Totals are sums over the ledger;
nothing is ever changed or deleted."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grants.contracts.models.agreements import Grant, Milestone
from grants.models.calls import MONEY
from grants.states import PaymentKind
from workflow.models import AppendOnlyError


class PaymentQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Payments cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Payments cannot be deleted.")

    def bulk_update(self, *args, **kwargs):
        raise AppendOnlyError("Payments cannot be changed.")


class Payment(models.Model):
    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="payments")
    milestone = models.ForeignKey(Milestone, on_delete=models.PROTECT, related_name="payments")
    kind = models.CharField(_("entry"), max_length=10, choices=PaymentKind.choices)
    amount = models.DecimalField(_("amount (€)"), **MONEY)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Paid entries: when the bank executed the transfer and its reference.
    paid_on = models.DateField(_("payment date"), null=True, blank=True)
    bank_reference = models.CharField(_("bank reference"), max_length=100, blank=True)
    # A release before the funding period starts needs the staff's reason (issue 18).
    early_reason = models.TextField(_("reason for paying before the funding period"), blank=True)

    objects = PaymentQuerySet.as_manager()

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["created_at", "pk"]
        constraints = [
            # A milestone is released once and paid once: the database's last guard.
            models.UniqueConstraint(fields=["milestone", "kind"], name="payment_once_per_kind"),
            models.CheckConstraint(
                condition=models.Q(amount__gt=Decimal("0")), name="payment_positive"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=PaymentKind.PAID) | models.Q(paid_on__isnull=False),
                name="payment_paid_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.grant} {self.kind} {self.amount}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Payments cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Payments cannot be deleted.")
