"""Targets per indicator, set by programme staff for the whole fund or for one call, and
shown in the reports against what was achieved. A target is changed, never deleted: an
empty value means "no target" (and the change is in the audit log)."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# The figures a target may be set for (names of reporting.figures.FIGURES): counts and euros
# that add up over time. Their labels are the figures' labels (reporting.report.labels).
TARGET_INDICATORS = (
    "approved",
    "funded",
    "committed",
    "disbursed",
    "repositories",
    "datasets",
    "releases",
    "security_audits",
    "vulnerabilities_fixed",
    "users_reached",
    "organisations_reached",
    "contributors",
    "collaborations",
    "public_bodies",
    "follow_up_funding",
)
TARGET_MAX = 10**12  # a bound of storage, far above any real target


class IndicatorTarget(models.Model):
    fund = models.ForeignKey(
        "grants.Fund", on_delete=models.PROTECT, related_name="indicator_targets"
    )
    # None: the target of the whole fund; otherwise of this call.
    call = models.ForeignKey(
        "grants.Call",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicator_targets",
    )
    indicator = models.CharField(_("indicator"), max_length=40)
    value = models.DecimalField(
        _("target"),
        max_digits=15,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    set_at = models.DateTimeField(_("set"), auto_now=True)

    class Meta:
        verbose_name = _("indicator target")
        verbose_name_plural = _("indicator targets")
        ordering = ["fund", "call", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "indicator"],
                condition=models.Q(call__isnull=True),
                name="target_unique_per_fund",
            ),
            models.UniqueConstraint(
                fields=["call", "indicator"],
                condition=models.Q(call__isnull=False),
                name="target_unique_per_call",
            ),
        ]

    def __str__(self):
        return f"{self.indicator}: {self.value}"
