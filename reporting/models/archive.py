"""The archive of PDF reports, and quarterly subscriptions by e-mail.

Every report made is kept: its parameters, who asked for it and when, the file (in private
media, served only through a permission-checked view) and its SHA-256, so that the ministry
can download exactly what it was sent last quarter, and which funded projects it names.
Nothing here is ever deleted by a user action; a subscription is ended, not removed."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from reporting.filters import ReportFilter


class ReportStatus(models.TextChoices):
    """The progress of making the file: a background job's status, not a business workflow
    (nobody moves it by hand; only reporting.services.reports writes it)."""

    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Being made")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ReportOrigin(models.TextChoices):
    REQUEST = "request", _("Requested on the dashboard")
    QUARTERLY = "quarterly", _("Quarterly report")
    COMMAND = "command", _("Made on the command line")


class ArchivedReport(models.Model):
    origin = models.CharField(_("origin"), max_length=20, choices=ReportOrigin.choices)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    # The selection (reporting.filters.ReportFilter.params) and whether the appendix is in.
    parameters = models.JSONField(_("parameters"), default=dict)
    appendix = models.BooleanField(_("with one page per project"), default=True)
    quarter = models.CharField(_("quarter"), max_length=8, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    stored_name = models.CharField(max_length=80, blank=True, editable=False)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    pages = models.PositiveIntegerField(_("pages"), default=0)
    projects = models.PositiveIntegerField(_("projects"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)
    # The funded projects the file names (in a table or on a page of their own): a reader
    # from whom one of them is withheld (a juror's conflict of interest) cannot open it.
    named_grants = models.ManyToManyField(
        "grants.Grant", blank=True, related_name="+", verbose_name=_("projects named")
    )

    class Meta:
        verbose_name = _("archived report")
        verbose_name_plural = _("archived reports")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # One quarterly report per quarter and language, however often the daily job runs.
            models.UniqueConstraint(
                fields=["quarter", "language"],
                condition=models.Q(origin="quarterly"),
                name="report_one_quarterly_per_language",
            ),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="report_progress_percent"
            ),
        ]

    def __str__(self):
        return f"{self.get_origin_display()} {self.requested_at:%Y-%m-%d %H:%M}"

    @property
    def is_done(self) -> bool:
        return self.status == ReportStatus.DONE

    @property
    def is_pending(self) -> bool:
        return self.status in (ReportStatus.QUEUED, ReportStatus.RUNNING)

    @property
    def file_name(self) -> str:
        stamp = self.requested_at.strftime("%Y-%m-%d") if self.requested_at else "report"
        label = ReportFilter.from_params(self.parameters or {}).file_label()
        return f"progress-report{label}-{stamp}-{self.pk}-{self.language}.pdf"


class ReportSubscription(models.Model):
    """A ministry viewer who receives the quarterly report by e-mail. Ending it keeps the
    row (``active`` False); subscribing again starts it anew."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="report_subscription"
    )
    active = models.BooleanField(_("active"), default=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    subscribed_at = models.DateTimeField(_("subscribed"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        verbose_name = _("report subscription")
        verbose_name_plural = _("report subscriptions")

    def __str__(self):
        return str(self.user)


class QuarterlyDelivery(models.Model):
    """One quarterly report sent to one subscriber: sent once, never again."""

    subscription = models.ForeignKey(
        ReportSubscription, on_delete=models.PROTECT, related_name="deliveries"
    )
    quarter = models.CharField(_("quarter"), max_length=8)
    report = models.ForeignKey(ArchivedReport, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("quarterly delivery")
        verbose_name_plural = _("quarterly deliveries")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "quarter"], name="delivery_once_per_quarter"
            )
        ]

    def __str__(self):
        return f"{self.subscription} {self.quarter}"
