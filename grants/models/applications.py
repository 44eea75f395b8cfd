from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from grants.completeness import completeness_errors
from grants.models.calls import MONEY, Call
from grants.models.funds import Topic
from grants.models.tracks import CallTrack
from grants.states import (
    NOTE_MAX_CHARS,
    SECTION_MAX_CHARS,
    ApplicationState,
    ApplicationStateGroup,
    Licence,
)
from workflow.transitions import rule

CENT = Decimal("0.01")
# Text fields have a hard length: in forms (max_length) and in full_clean (the validator),
# which the services run on every save (grants.services.limits).
SECTION_TEXT = {
    "max_length": SECTION_MAX_CHARS,
    "validators": [MaxLengthValidator(SECTION_MAX_CHARS)],
}
NOTE_TEXT = {"max_length": NOTE_MAX_CHARS, "validators": [MaxLengthValidator(NOTE_MAX_CHARS)]}
S = ApplicationState


class Application(ConcurrentTransitionMixin, models.Model):
    """A proposal in a call: its core fields here, the answers to the call's questions in
    grants.Answer. Text is stored as typed, so a draft never loses input; completeness and
    word limits are checked on submission (grants.completeness). Only the length of each
    text has a hard limit on every save."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    reference = models.CharField(_("reference"), max_length=32, unique=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications"
    )
    # One of the call's tracks (grants.services.applications checks that it is).
    track = models.ForeignKey(
        CallTrack,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("track"),
    )
    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("topic")
    )
    title = models.CharField(_("project title"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), blank=True, **SECTION_TEXT)
    licence = models.CharField(_("licence"), max_length=40, choices=Licence.choices, blank=True)
    repository_url = models.CharField(_("repository URL"), max_length=500, blank=True)

    state = FSMField(_("state"), default=S.DRAFT, choices=S.choices, protected=True, db_index=True)
    # Bumped by every content edit; a form posted with an older version is refused.
    version = models.PositiveIntegerField(default=1)
    total_hours = models.PositiveIntegerField(_("hours"), default=0)
    requested_amount = models.DecimalField(
        _("requested funding (€)"), default=Decimal("0"), **MONEY
    )
    ineligibility_reasons = models.JSONField(_("reasons"), default=list, blank=True)
    screening_note = models.TextField(_("screening note"), blank=True, **NOTE_TEXT)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    # Set by the funding decision: at most the requested amount; counts against the budget.
    awarded_amount = models.DecimalField(_("awarded funding (€)"), null=True, blank=True, **MONEY)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    # Written by staff with a decision on a concept; the team reads it on its page.
    decision_feedback = models.TextField(_("feedback to the team"), blank=True, **NOTE_TEXT)
    # Set with the invitation of a concept: the last day (Berlin time) on which its team may
    # start the full proposal (at most the full-proposal call's closing day).
    invitation_valid_until = models.DateField(_("invitation valid until"), null=True, blank=True)
    # A full proposal (second stage) starts from one invited concept, once
    # (grants.services.stages.start_full_proposal).
    concept = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="full_proposal",
        verbose_name=_("concept"),
    )

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["call", "state"]),
            models.Index(fields=["call", "submitted_at"]),
            # The staff list sorts by these within a call.
            models.Index(fields=["call", "title"]),
            models.Index(fields=["call", "requested_amount"]),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}".strip()

    @property
    def is_team(self) -> bool:
        return self.track is not None and self.track.is_team

    # Budget: hours × rate + overhead; the fund pays its funding rate, the team the rest.

    def budget(self, hours: int | None = None) -> dict:
        call = self.call
        hours = self.total_hours if hours is None else hours
        track = self.track
        rate = call.hourly_rate if track is None or track.hourly_rate is None else track.hourly_rate
        personnel = (Decimal(hours) * rate).quantize(CENT, ROUND_HALF_UP)
        overhead = (personnel * call.overhead_percent / 100).quantize(CENT, ROUND_HALF_UP)
        total = personnel + overhead
        requested = (total * call.funding_rate_percent / 100).quantize(CENT, ROUND_HALF_UP)
        cap = track.cap if track is not None else None
        return {
            "hours": hours,
            "rate": rate,
            "personnel": personnel,
            "overhead": overhead,
            "total": total,
            "requested": requested,
            "own_share": total - requested,
            "cap": cap,
            "within_cap": cap is None or requested <= cap,
        }

    # Conditions (checked again by django-fsm when the transition fires).

    def call_accepts_submissions(self) -> bool:
        return self.call.accepts_submissions()

    def is_complete(self) -> bool:
        return not completeness_errors(self)

    def has_no_open_information_request(self) -> bool:
        # Lists annotate has_open_question (grants.queries), so that checking many rows costs
        # one query; an object loaded on its own (as every service does) asks the database.
        known = self.__dict__.get("has_open_question")
        if known is not None:
            return not known
        return not self.information_requests.filter(answered_at__isnull=True).exists()

    def has_ineligibility_reason(self) -> bool:
        return bool(self.ineligibility_reasons)

    def decided_with_money(self) -> bool:
        """Approve, waiting list and reject: the decisions of a call with a budget."""
        return not self.call.is_concept_stage

    def decided_by_invitation(self) -> bool:
        """Invite or not invite: the decisions on a concept, without money."""
        return self.call.is_concept_stage

    def invitation_expired(self, today=None) -> bool:
        """The invitation's last day has passed (an invitation without one lasts as long as
        the full-proposal call accepts proposals)."""
        if self.invitation_valid_until is None:
            return False
        return (today or timezone.localdate()) > self.invitation_valid_until

    def award_within_request(self) -> bool:
        """An approval awards a positive amount of at most what was requested."""
        return self.awarded_amount is not None and 0 < self.awarded_amount <= self.requested_amount

    def award_fits_budget(self) -> bool:
        """The award fits into what is left of the call's budget. The decision service
        locks the call row first, so two approvals cannot both see the same money left."""
        if self.awarded_amount is None or self.call.budget is None:
            return False
        return self.awarded_amount <= self.call.money_left()

    # Transitions. Fire them only through grants.services (workflow.transitions.fire_transition),
    # which log and notify. Each declares its log action and label once (workflow.actions).

    @transition(
        field=state,
        source=S.DRAFT,
        target=S.SUBMITTED,
        permission=rule("grants.submit_application"),
        conditions=[call_accepts_submissions, is_complete],
        custom={
            "action": "grants.application.submitted",
            "label": _("Submitted"),
            "visible_to_applicant": True,
        },
    )
    def submit(self):
        self.submitted_at = timezone.now()

    @transition(
        field=state,
        source=ApplicationStateGroup.WITHDRAWABLE,
        target=S.WITHDRAWN,
        permission=rule("grants.withdraw_application"),
        custom={
            "action": "grants.application.withdrawn",
            "label": _("Withdrawn"),
            "visible_to_applicant": True,
        },
    )
    def withdraw(self):
        pass

    @transition(
        field=state,
        source=S.SUBMITTED,
        target=S.ELIGIBLE,
        permission=rule("grants.screen_application"),
        conditions=[has_no_open_information_request],
        custom={
            "action": "grants.application.screened_eligible",
            "label": _("Screened: eligible"),
            "verb": _("Mark as eligible"),
            "bulk": True,
            "visible_to_applicant": True,
        },
    )
    def mark_eligible(self):
        pass

    @transition(
        field=state,
        source=S.SUBMITTED,
        target=S.INELIGIBLE,
        permission=rule("grants.screen_application"),
        conditions=[has_no_open_information_request, has_ineligibility_reason],
        custom={
            "action": "grants.application.screened_ineligible",
            "label": _("Screened: ineligible"),
            "visible_to_applicant": True,
        },
    )
    def mark_ineligible(self):
        pass

    @transition(
        field=state,
        source=S.ELIGIBLE,
        target=S.IN_REVIEW,
        permission=rule("grants.manage_review"),
        custom={
            "action": "grants.application.review_started",
            "label": _("Review started"),
            "verb": _("Start the review"),
            "bulk": True,
        },
    )
    def start_review(self):
        pass

    @transition(
        field=state,
        source=S.IN_REVIEW,
        target=S.REVIEWED,
        permission=rule("grants.manage_review"),
        custom={
            "action": "grants.application.review_closed",
            "label": _("Review closed"),
            "verb": _("Close the review"),
            "bulk": True,
        },
    )
    def close_review(self):
        pass

    @transition(
        field=state,
        source=S.IN_REVIEW,
        target=S.REVIEWED,
        permission=rule("grants.complete_reviews"),
        custom={
            "action": "grants.application.reviews_completed",
            "label": _("All reviews submitted"),
        },
    )
    def complete_reviews(self):
        """Fired by the review service when a juror submits the last missing review."""

    @transition(
        field=state,
        source=ApplicationStateGroup.DECIDABLE,
        target=S.APPROVED,
        permission=rule("grants.decide_application"),
        conditions=[decided_with_money, award_within_request, award_fits_budget],
        custom={
            "action": "grants.application.approved",
            "label": _("Approved"),
            "visible_to_applicant": True,
        },
    )
    def approve(self):
        self.decided_at = timezone.now()

    @transition(
        field=state,
        source=S.REVIEWED,
        target=S.WAITLISTED,
        permission=rule("grants.decide_application"),
        conditions=[decided_with_money],
        custom={
            "action": "grants.application.waitlisted",
            "label": _("Put on the waiting list"),
            "visible_to_applicant": True,
        },
    )
    def waitlist(self):
        self.decided_at = timezone.now()

    @transition(
        field=state,
        source=ApplicationStateGroup.DECIDABLE,
        target=S.REJECTED,
        permission=rule("grants.decide_application"),
        conditions=[decided_with_money],
        custom={
            "action": "grants.application.rejected",
            "label": _("Rejected"),
            "visible_to_applicant": True,
        },
    )
    def reject(self):
        self.decided_at = timezone.now()

    @transition(
        field=state,
        source=S.REVIEWED,
        target=S.INVITED,
        permission=rule("grants.decide_application"),
        conditions=[decided_by_invitation],
        custom={
            "action": "grants.application.invited",
            "label": _("Invited to the full proposal"),
            "visible_to_applicant": True,
        },
    )
    def invite(self):
        self.decided_at = timezone.now()

    @transition(
        field=state,
        source=S.REVIEWED,
        target=S.NOT_INVITED,
        permission=rule("grants.decide_application"),
        conditions=[decided_by_invitation],
        custom={
            "action": "grants.application.not_invited",
            "label": _("Not invited"),
            "visible_to_applicant": True,
        },
    )
    def not_invite(self):
        self.decided_at = timezone.now()

    @transition(
        field=state,
        source=S.APPROVED,
        target=S.FUNDED,
        permission=rule("grants.accept_agreement"),
        custom={
            "action": "grants.application.agreement_signed",
            "label": _("Grant agreement signed"),
            "visible_to_applicant": True,
        },
    )
    def sign_agreement(self):
        pass

    @transition(
        field=state,
        source=S.APPROVED,
        target=S.WITHDRAWN,
        permission=rule("grants.decline_award"),
        custom={
            "action": "grants.application.award_declined",
            "label": _("Award declined"),
            "visible_to_applicant": True,
        },
    )
    def decline_award(self):
        pass

    @transition(
        field=state,
        source=S.FUNDED,
        target=S.FINAL_REPORT_DUE,
        permission=rule("grants.request_final_report"),
        custom={
            "action": "grants.application.final_report_requested",
            "label": _("Final report requested"),
            "visible_to_applicant": True,
        },
    )
    def request_final_report(self):
        pass

    @transition(
        field=state,
        source=S.FINAL_REPORT_DUE,
        target=S.COMPLETED,
        permission=rule("grants.manage_grant"),
        custom={
            "action": "grants.application.completed",
            "label": _("Completed"),
            "visible_to_applicant": True,
        },
    )
    def complete_final_report(self):
        pass

    @transition(
        field=state,
        source=[S.FUNDED, S.FINAL_REPORT_DUE],
        target=S.TERMINATED,
        permission=rule("grants.manage_grant"),
        custom={
            "action": "grants.application.terminated",
            "label": _("Terminated"),
            "visible_to_applicant": True,
        },
    )
    def terminate(self):
        pass


class TeamMember(models.Model):
    """A further team member, invited by e-mail when the application is submitted. From
    then on they may read it, signed in with a verified address that matches this one
    (grants/visibility.py). A draft keeps members as typed (no address yet, an address twice);
    submission needs a name and a valid address, each address once (completeness)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="team_members"
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    invited_at = models.DateTimeField(_("invited"), null=True, blank=True)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.name} <{self.email}>"


class PlannedMilestone(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="planned_milestones"
    )
    position = models.PositiveSmallIntegerField()
    title = models.CharField(_("title"), max_length=200, blank=True)
    deliverable = models.CharField(_("deliverable"), max_length=500, blank=True)
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True)
    hours = models.PositiveIntegerField(_("hours"), null=True, blank=True)

    class Meta:
        verbose_name = _("planned milestone")
        verbose_name_plural = _("planned milestones")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "position"], name="milestone_unique_position"
            )
        ]

    def __str__(self):
        return self.title


class Attachment(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="attachments"
    )
    original_name = models.CharField(_("file name"), max_length=200)
    stored_name = models.CharField(max_length=64, unique=True, editable=False)
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    # Removing an attachment hides it; nothing is hard-deleted by a user action. The file
    # is deleted for good by the daily purge (ATTACHMENT_PURGE_AFTER_DAYS after removal);
    # the row stays, with purged_at, as the record of what was there.
    removed_at = models.DateTimeField(null=True, blank=True)
    purged_at = models.DateTimeField(null=True, blank=True)
    # Evidence for a milestone report (the same checks and storage as the proposal's files).
    milestone_report = models.ForeignKey(
        "grants.MilestoneReport",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attachments",
    )
    # A receipt of a proof of use (optional files beside its list of receipts).
    proof_of_use = models.ForeignKey(
        "grants.ProofOfUse",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="receipt_files",
    )
    # A file sent with a message of the application's thread (grants/models/conversations.py).
    message = models.ForeignKey(
        "grants.Message",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attachments",
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class InformationRequest(models.Model):
    """Staff ask the applicant a question during assessment; while it is open the
    application cannot be screened. The applicant answers and may edit the named sections."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="information_requests"
    )
    question = models.TextField(_("question"), **NOTE_TEXT)
    editable_sections = models.JSONField(
        _("sections the applicant may edit"), default=list, blank=True
    )
    due_on = models.DateField(_("answer due on"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True, **NOTE_TEXT)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("information request")
        verbose_name_plural = _("information requests")
        ordering = ["asked_at", "pk"]
        constraints = [
            # At most one open question per application keeps the sub-status unambiguous.
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(answered_at__isnull=True),
                name="information_request_one_open",
            )
        ]

    def __str__(self):
        return self.question[:60]

    @property
    def is_open(self) -> bool:
        return self.answered_at is None

    @property
    def is_overdue(self) -> bool:
        """Open after its due date (in the fund's time zone)."""
        return self.is_open and self.due_on < timezone.localdate()


class InternalComment(models.Model):
    """A note among staff; never shown to applicants."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="internal_comments"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("comment"), **NOTE_TEXT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("internal comment")
        verbose_name_plural = _("internal comments")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.body[:60]
