"""What jurors do: conflicts of interest, assignments, reviews and their scores."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransition, ConcurrentTransitionMixin, FSMField, transition

from grants.models import Application
from review.models.jury import Criterion
from review.states import (
    COMMENT_MAX_CHARS,
    NOTE_MAX_CHARS,
    ConflictKind,
    ConflictStatus,
    ReviewState,
)
from workflow.transitions import rule


class ConflictOfInterest(models.Model):
    """A juror's conflict with an application: declared by them, or suggested by the system
    (same e-mail domain, same family name) for them to confirm or dismiss. A declared or a
    pending suggested conflict keeps the juror away from the application (review/audiences.py)."""

    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="conflicts_of_interest"
    )
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="conflicts_of_interest"
    )
    status = models.CharField(_("status"), max_length=12, choices=ConflictStatus.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=ConflictKind.choices, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=NOTE_MAX_CHARS)
    # Why the system suggested it, e.g. {"domain": "uni-kiel.de"} or {"name": "Wolf"}.
    reasons = models.JSONField(_("reasons"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["juror", "application"], name="conflict_unique_pair"),
            models.CheckConstraint(
                condition=~models.Q(status=ConflictStatus.DECLARED, kind=""),
                name="conflict_declared_has_kind",
            ),
        ]

    def __str__(self):
        return f"{self.juror} × {self.application.reference}"


class Assignment(models.Model):
    """A juror asked to review an application. Proposed by the solver, confirmed by staff
    (then the juror sees it), released when the juror declares a conflict or staff replace
    them. Rows are kept: their reviews stay in the record."""

    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_assignments"
    )
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="review_assignments"
    )
    proposed_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    release_reason = models.CharField(_("reason for the release"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["juror", "application"], name="assignment_unique_pair")
        ]
        indexes = [models.Index(fields=["application", "juror"])]

    def __str__(self):
        return f"{self.juror} → {self.application.reference}"

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.released_at is None


class Review(ConcurrentTransitionMixin, models.Model):
    """One per confirmed assignment: a score per criterion, comments; saved as typed."""

    assignment = models.OneToOneField(Assignment, on_delete=models.PROTECT, related_name="review")
    state = FSMField(
        _("state"), default=ReviewState.DRAFT, choices=ReviewState.choices, protected=True
    )
    comment_for_staff = models.TextField(
        _("overall comment for the programme staff"), blank=True, max_length=COMMENT_MAX_CHARS
    )
    comment_for_applicant = models.TextField(
        _("feedback for the applicant (optional)"), blank=True, max_length=COMMENT_MAX_CHARS
    )
    # Bumped by every save; a save from an older page is refused, and every UPDATE only
    # writes the row if it still has the version this object was read with (_do_update).
    # The stored ranking relies on it: a review's scores change only with its version.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["pk"]

    def __str__(self):
        return str(self.assignment)

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self._stored_version = self.version

    # Optimistic locking on the version: no service needs to lock the row to know that
    # nobody saved it meanwhile.

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._stored_version = instance.__dict__.get("version")
        return instance

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update, *rest):
        stored = getattr(self, "_stored_version", None)
        if stored is None:
            return super()._do_update(
                base_qs, using, pk_val, values, update_fields, forced_update, *rest
            )
        updated = super()._do_update(
            base_qs.filter(version=stored),
            using,
            pk_val,
            values,
            update_fields,
            forced_update,
            *rest,
        )
        if not updated and base_qs.filter(pk=pk_val).using(using).exists():
            raise ConcurrentTransition("The review has been saved meanwhile.")
        return updated

    def missing_scores(self, criteria=None) -> list:
        """The criteria still without a score ("not applicable" counts as one where the
        criterion allows it). Reads the prefetched scores and criteria if loaded."""
        if criteria is None:
            criteria = list(self.assignment.application.call.jury.criteria.all())
        scores = {score.criterion_id: score for score in self.scores.all()}
        missing = []
        for criterion in criteria:
            score = scores.get(criterion.pk)
            answered = score is not None and (
                score.value is not None
                or (score.not_applicable and criterion.allows_not_applicable)
            )
            if not answered:
                missing.append(criterion)
        return missing

    def is_complete(self) -> bool:
        return not self.missing_scores()

    @transition(
        field=state,
        source=ReviewState.DRAFT,
        target=ReviewState.SUBMITTED,
        permission=rule("review.write_review"),
        conditions=[is_complete],
        custom={"action": "review.review.submitted", "label": _("Review submitted")},
    )
    def submit(self):
        self.submitted_at = timezone.now()

    @transition(
        field=state,
        source=ReviewState.SUBMITTED,
        target=ReviewState.DRAFT,
        permission=rule("review.write_review"),
        custom={"action": "review.review.reopened", "label": _("Review reopened")},
    )
    def reopen(self):
        pass


class Score(models.Model):
    """A juror's score for one criterion. ``value`` is missing (NULL) while not yet scored
    and when "not applicable" (``not_applicable``), never 0: averages leave it out."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    value = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    not_applicable = models.BooleanField(_("not applicable"), default=False)
    comment = models.TextField(_("comment"), blank=True, max_length=COMMENT_MAX_CHARS)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["criterion__position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="score_unique_criterion"),
            models.CheckConstraint(
                condition=models.Q(value__isnull=True) | models.Q(not_applicable=False),
                name="score_not_applicable_has_no_value",
            ),
            models.CheckConstraint(
                condition=models.Q(value__isnull=True) | models.Q(value__lte=10),
                name="score_value_range",
            ),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.value}"
