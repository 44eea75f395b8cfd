"""What grantees report: a report per milestone (every submitted version kept, with links,
attachments and the outcome indicators the ministry reports count), and the final report."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from grants.contracts.models.agreements import Grant, Milestone
from grants.models.calls import MONEY
from grants.states import (
    CollaborationKind,
    FinalReportState,
    GovernmentLevel,
    LinkKind,
    MilestoneState,
)
from workflow.transitions import rule

F = FinalReportState

# The outcome indicators counted per report (ministry figures, DESIGN.md "Reporting").
INDICATOR_FIELDS = (
    "releases",
    "security_audits",
    "vulnerabilities_fixed",
    "users_reached",
    "organisations_reached",
    "contributors",
)


class MilestoneReport(models.Model):
    """One version of a milestone's report. The latest version is a draft until it is
    submitted; from then on it is never changed: when staff ask for changes, the grantee
    writes the next version (starting from a copy)."""

    milestone = models.ForeignKey(Milestone, on_delete=models.PROTECT, related_name="reports")
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    delivered = models.TextField(_("what was delivered"), blank=True)
    problems = models.TextField(_("problems and changes"), blank=True)
    releases = models.PositiveIntegerField(_("releases published"), default=0)
    security_audits = models.PositiveIntegerField(_("security audits"), default=0)
    vulnerabilities_fixed = models.PositiveIntegerField(_("vulnerabilities fixed"), default=0)
    users_reached = models.PositiveIntegerField(_("users reached"), default=0)
    organisations_reached = models.PositiveIntegerField(_("organisations reached"), default=0)
    contributors = models.PositiveIntegerField(_("contributors"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_outcome = models.CharField(
        _("outcome"),
        max_length=20,
        blank=True,
        choices=[
            (MilestoneState.ACCEPTED, _("Accepted")),
            (MilestoneState.CHANGES_REQUESTED, _("Changes requested")),
        ],
    )
    review_comment = models.TextField(_("staff comment"), blank=True)

    class Meta:
        verbose_name = _("milestone report")
        verbose_name_plural = _("milestone reports")
        ordering = ["milestone", "version"]
        constraints = [
            models.UniqueConstraint(fields=["milestone", "version"], name="report_unique_version"),
            models.UniqueConstraint(
                fields=["milestone"],
                condition=models.Q(submitted_at__isnull=True),
                name="report_one_draft",
            ),
        ]

    def __str__(self):
        return f"{self.milestone} v{self.version}"

    @property
    def is_draft(self) -> bool:
        return self.submitted_at is None


class ReportLink(models.Model):
    """A link in a milestone report. Repositories and datasets carry their licence: code
    released and data opened under an open licence are outcome indicators."""

    report = models.ForeignKey(MilestoneReport, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(_("kind"), max_length=20, choices=LinkKind.choices)
    url = models.URLField(_("address"), max_length=500)
    licence = models.CharField(_("licence (SPDX)"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("link")
        verbose_name_plural = _("links")
        ordering = ["pk"]

    def __str__(self):
        return self.url


class GovernmentCollaboration(models.Model):
    """A public body that partners with, adopts or reuses the project (DESIGN.md: the fund
    exists to measure and grow exactly that)."""

    report = models.ForeignKey(
        MilestoneReport, on_delete=models.CASCADE, related_name="collaborations"
    )
    body = models.CharField(_("public body"), max_length=200)
    level = models.CharField(_("level"), max_length=20, choices=GovernmentLevel.choices)
    kind = models.CharField(_("collaboration"), max_length=20, choices=CollaborationKind.choices)
    description = models.CharField(_("what they do with it"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("collaboration with government")
        verbose_name_plural = _("collaborations with government")
        ordering = ["pk"]

    def __str__(self):
        return self.body


class FinalReport(ConcurrentTransitionMixin, models.Model):
    """The grantee's report at the end of the funding period; accepting it completes the
    application."""

    grant = models.OneToOneField(Grant, on_delete=models.PROTECT, related_name="final_report")
    state = FSMField(_("state"), default=F.DRAFT, choices=F.choices, protected=True)
    summary = models.TextField(_("summary"), blank=True)
    # [{"milestone": pk, "achieved": bool, "explanation": str}], one per milestone.
    milestone_results = models.JSONField(_("results per milestone"), default=list, blank=True)
    contribution = models.TextField(
        _("contribution to open data, civic tech or data security"), blank=True
    )
    next_steps = models.TextField(_("what happens next"), blank=True)
    follow_up_funding = models.DecimalField(
        _("follow-up funding (€)"), null=True, blank=True, **MONEY
    )
    follow_up_funder = models.CharField(_("follow-up funding from"), max_length=200, blank=True)
    public_links = models.JSONField(_("public links"), default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    review_comment = models.TextField(_("staff comment"), blank=True)

    class Meta:
        verbose_name = _("final report")
        verbose_name_plural = _("final reports")

    def __str__(self):
        return f"{self.grant} final report"

    @transition(
        field=state,
        source=[F.DRAFT, F.CHANGES_REQUESTED],
        target=F.SUBMITTED,
        permission=rule("grants.write_final_report"),
        custom={
            "action": "grants.finalreport.submitted",
            "label": _("Final report submitted"),
            "visible_to_applicant": True,
        },
    )
    def submit(self):
        self.submitted_at = timezone.now()

    @transition(
        field=state,
        source=F.SUBMITTED,
        target=F.ACCEPTED,
        permission=rule("grants.review_final_report"),
        custom={
            "action": "grants.finalreport.accepted",
            "label": _("Final report accepted"),
            "visible_to_applicant": True,
        },
    )
    def accept(self):
        pass

    @transition(
        field=state,
        source=F.SUBMITTED,
        target=F.CHANGES_REQUESTED,
        permission=rule("grants.review_final_report"),
        custom={
            "action": "grants.finalreport.changes_requested",
            "label": _("Changes to the final report requested"),
            "visible_to_applicant": True,
        },
    )
    def request_changes(self):
        pass
