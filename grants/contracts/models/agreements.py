"""The contract of a funded project, beside its application (DESIGN.md): the grant with its
agreement and bank details, the milestones with their own workflow, and change requests.

``Application.state`` stays the one overview state (approved → funded → final_report_due →
completed, or terminated); the services in grants/services/ fire the application's
transitions together with these, so one log tells the story."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from grants.contracts import bank
from grants.models.applications import Application
from grants.models.calls import MONEY
from grants.money import add_months
from grants.states import (
    FINAL_REPORT_MONTHS_AFTER_END,
    ChangeRequestKind,
    ChangeRequestState,
    MilestoneState,
    MilestoneStateGroup,
)
from workflow.transitions import rule

M = MilestoneState


class Grant(models.Model):
    """The award of one approved application: the agreement staff prepare and the grantee
    accepts, the funding period, the bank account payments go to."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="grant", verbose_name=_("application")
    )
    funding_reference = models.CharField(_("funding reference"), max_length=20, unique=True)
    amount = models.DecimalField(
        _("awarded amount (€)"), validators=[MinValueValidator(Decimal("0.01"))], **MONEY
    )
    months = models.PositiveSmallIntegerField(_("months"))
    starts_on = models.DateField(_("start of the funding period"))
    ends_on = models.DateField(_("end of the funding period"))
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    prepared_at = models.DateTimeField(_("prepared"), auto_now_add=True)
    # Staff send the agreement once its milestones are right; the grantee sees it from then on.
    offered_at = models.DateTimeField(_("sent to the grantee"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("agreement accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    declined_at = models.DateTimeField(_("award declined"), null=True, blank=True)
    # Bank details: the IBAN and BIC only encrypted (grants/contracts/bank.py); the mask for display.
    account_holder = models.CharField(_("account holder"), max_length=70, blank=True)
    iban_encrypted = models.TextField(blank=True, editable=False)
    bic_encrypted = models.TextField(blank=True, editable=False)
    iban_masked = models.CharField(_("IBAN"), max_length=50, blank=True, editable=False)
    publication_consent = models.BooleanField(
        _("the grantee's name may be published in open data"), default=False
    )
    termination_reason = models.TextField(_("reason for the termination"), blank=True)
    # Bumped by every change of the agreement; acceptance of an older version is refused.
    version = models.PositiveIntegerField(default=1)
    # The conditions this agreement uses (the fund's version when it was sent) and the exact
    # PDF the grantee accepted (grants.contracts.models.documents), with its SHA-256.
    terms = models.ForeignKey(
        "grants.AgreementTerms",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("conditions"),
    )
    accepted_document = models.ForeignKey(
        "grants.AgreementDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted document"),
    )
    accepted_sha256 = models.CharField(
        _("SHA-256 of the accepted document"), max_length=64, blank=True
    )

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        ordering = ["funding_reference"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_on__lt=models.F("ends_on")),
                name="grant_starts_before_end",
            )
        ]

    def __str__(self):
        return self.funding_reference

    @property
    def final_report_due_on(self):
        return add_months(self.ends_on, FINAL_REPORT_MONTHS_AFTER_END)

    @property
    def has_bank_details(self) -> bool:
        return bool(self.iban_encrypted)

    def store_bank_details(self, details: bank.BankDetails) -> None:
        self.account_holder = details.holder
        self.iban_encrypted = bank.encrypt(details.iban)
        self.bic_encrypted = bank.encrypt(details.bic)
        self.iban_masked = bank.mask_iban(details.iban)

    @sensitive_variables()
    def decrypted_bank_details(self) -> bank.BankDetails:
        """Only for grants.contracts.services.finance, which logs every reading."""
        return bank.BankDetails(
            holder=self.account_holder,
            iban=bank.decrypt(self.iban_encrypted),
            bic=bank.decrypt(self.bic_encrypted),
        )


class Milestone(ConcurrentTransitionMixin, models.Model):
    """One deliverable of a grant with its due date and amount. Its report is checked by
    staff; acceptance releases its payment (grants.Payment)."""

    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="milestones")
    position = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    deliverable = models.CharField(_("deliverable"), max_length=500)
    due_on = models.DateField(_("due on"))
    amount = models.DecimalField(
        _("amount (€)"), validators=[MinValueValidator(Decimal("0.01"))], **MONEY
    )
    state = FSMField(_("state"), default=M.PLANNED, choices=M.choices, protected=True)
    # When the first report arrived: on time or late, for the ministry's figures.
    first_reported_at = models.DateTimeField(_("first reported"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["grant", "position"]
        constraints = [
            models.UniqueConstraint(fields=["grant", "position"], name="grant_milestone_position"),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="milestone_amount_positive"
            ),
        ]
        indexes = [models.Index(fields=["state", "due_on"])]

    def __str__(self):
        return f"{self.position}. {self.title}"

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.state in MilestoneStateGroup.AWAITING_REPORT and self.due_on < today

    # Transitions: fire them only through grants.contracts.services.milestones (workflow.transitions).

    @transition(
        field=state,
        source=M.PLANNED,
        target=M.REPORT_SUBMITTED,
        permission=rule("grants.report_milestone"),
        custom={
            "action": "grants.milestone.report_submitted",
            "label": _("Milestone report submitted"),
            "visible_to_applicant": True,
        },
    )
    def submit_report(self):
        self.first_reported_at = timezone.now()

    @transition(
        field=state,
        source=M.CHANGES_REQUESTED,
        target=M.REPORT_SUBMITTED,
        permission=rule("grants.report_milestone"),
        custom={
            "action": "grants.milestone.report_resubmitted",
            "label": _("Milestone report resubmitted"),
            "visible_to_applicant": True,
        },
    )
    def resubmit_report(self):
        pass

    @transition(
        field=state,
        source=M.REPORT_SUBMITTED,
        target=M.ACCEPTED,
        permission=rule("grants.review_milestone"),
        custom={
            "action": "grants.milestone.accepted",
            "label": _("Milestone accepted, payment released"),
            "visible_to_applicant": True,
        },
    )
    def accept(self):
        self.accepted_at = timezone.now()

    @transition(
        field=state,
        source=M.REPORT_SUBMITTED,
        target=M.CHANGES_REQUESTED,
        permission=rule("grants.review_milestone"),
        custom={
            "action": "grants.milestone.changes_requested",
            "label": _("Changes to the milestone report requested"),
            "visible_to_applicant": True,
        },
    )
    def request_changes(self):
        pass

    @transition(
        field=state,
        source=M.ACCEPTED,
        target=M.PAID,
        permission=rule("grants.manage_payments"),
        custom={
            "action": "grants.milestone.paid",
            "label": _("Milestone paid"),
            "visible_to_applicant": True,
        },
    )
    def mark_paid(self):
        pass

    @transition(
        field=state,
        source=MilestoneStateGroup.CANCELLABLE,
        target=M.CANCELLED,
        permission=rule("grants.manage_grant_milestones"),
        custom={
            "action": "grants.milestone.cancelled",
            "label": _("Milestone cancelled"),
            "visible_to_applicant": True,
        },
    )
    def cancel(self):
        pass


class ChangeRequest(ConcurrentTransitionMixin, models.Model):
    """The grantee asks to move a milestone's due date or the end date, or to shift amounts
    between milestones; staff approve (the change is applied) or refuse. Kept for history."""

    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="change_requests")
    kind = models.CharField(_("what to change"), max_length=20, choices=ChangeRequestKind.choices)
    milestone = models.ForeignKey(
        Milestone,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("milestone"),
    )
    old_date = models.DateField(_("current date"), null=True, blank=True)
    new_date = models.DateField(_("requested date"), null=True, blank=True)
    # Shifted amounts: {milestone pk (str): new amount (str)}; they still sum to the award.
    new_amounts = models.JSONField(_("requested amounts"), default=dict, blank=True)
    old_amounts = models.JSONField(_("amounts before"), default=dict, blank=True)
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    state = FSMField(
        _("state"),
        default=ChangeRequestState.PENDING,
        choices=ChangeRequestState.choices,
        protected=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("staff comment"), blank=True)

    class Meta:
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        ordering = ["requested_at", "pk"]
        constraints = [
            # One pending request per grant keeps the amounts and dates unambiguous.
            models.UniqueConstraint(
                fields=["grant"],
                condition=models.Q(state=ChangeRequestState.PENDING),
                name="change_request_one_pending",
            )
        ]

    def __str__(self):
        return f"{self.grant} {self.get_kind_display()}"

    @transition(
        field=state,
        source=ChangeRequestState.PENDING,
        target=ChangeRequestState.APPROVED,
        permission=rule("grants.decide_change_request"),
        custom={
            "action": "grants.changerequest.approved",
            "label": _("Change request approved"),
            "visible_to_applicant": True,
        },
    )
    def approve(self):
        self.decided_at = timezone.now()

    @transition(
        field=state,
        source=ChangeRequestState.PENDING,
        target=ChangeRequestState.REFUSED,
        permission=rule("grants.decide_change_request"),
        custom={
            "action": "grants.changerequest.refused",
            "label": _("Change request refused"),
            "visible_to_applicant": True,
        },
    )
    def refuse(self):
        self.decided_at = timezone.now()
