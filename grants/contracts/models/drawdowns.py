"""Drawdown requests (Mittelabruf): what the fund asks the ministry to transfer so that it can
pay the milestones that fall due. Each request is recorded (who, when, period, amount, the
files' SHA-256), and each milestone is drawn down once: a milestone in a request is in no
other request (DrawdownLine.milestone is unique), so nothing is requested twice."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.identity import reference_prefix
from grants.contracts.models.agreements import Milestone
from grants.models.calls import MONEY
from grants.models.funds import Fund


class Drawdown(models.Model):
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="drawdowns")
    number = models.PositiveIntegerField(_("number"))
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    amount = models.DecimalField(_("amount requested (€)"), **MONEY)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    pdf_name = models.CharField(max_length=120, editable=False)
    pdf_sha256 = models.CharField(_("SHA-256 (PDF)"), max_length=64)
    xlsx_name = models.CharField(max_length=120, editable=False)
    xlsx_sha256 = models.CharField(_("SHA-256 (XLSX)"), max_length=64)

    class Meta:
        verbose_name = _("drawdown request")
        verbose_name_plural = _("drawdown requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "number"], name="drawdown_unique_number"),
            models.CheckConstraint(
                condition=models.Q(period_start__lte=models.F("period_end")),
                name="drawdown_period_ordered",
            ),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="drawdown_positive"),
        ]

    def __str__(self):
        return self.reference

    @property
    def reference(self) -> str:
        return f"{reference_prefix()}-MA-{self.created_at:%Y}-{self.number:03d}"

    def file_name(self, suffix: str) -> str:
        return f"drawdown-{self.reference}.{suffix}"


class DrawdownLine(models.Model):
    drawdown = models.ForeignKey(Drawdown, on_delete=models.PROTECT, related_name="lines")
    milestone = models.OneToOneField(
        Milestone, on_delete=models.PROTECT, related_name="drawdown_line"
    )
    amount = models.DecimalField(_("amount (€)"), **MONEY)
    due_on = models.DateField(_("due on"))

    class Meta:
        verbose_name = _("drawdown line")
        verbose_name_plural = _("drawdown lines")
        ordering = ["due_on", "pk"]

    def __str__(self):
        return f"{self.drawdown} {self.milestone}"
