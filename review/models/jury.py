"""The jury of a call: its phase and settings, its members and its criteria."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from grants.models import Call, Topic
from grants.models.funds import BilingualMixin
from review.states import JuryPhase, Scale
from workflow.transitions import rule

P = JuryPhase


class Jury(ConcurrentTransitionMixin, models.Model):
    """One per call. Its state is the active review phase: preparation (criteria, jurors,
    conflicts, assignment), independent scoring, discussion, closed."""

    call = models.OneToOneField(Call, on_delete=models.PROTECT, related_name="jury")
    phase = FSMField(_("phase"), default=P.PREPARATION, choices=P.choices, protected=True)
    blind = models.BooleanField(
        _("blind review"),
        default=False,
        help_text=_("Jurors do not see the names and e-mail addresses of applicants and teams."),
    )
    max_per_juror = models.PositiveSmallIntegerField(
        _("applications per juror at most"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text=_("Leave empty for no limit other than an even share."),
    )
    due_on = models.DateField(_("reviews due on"), null=True, blank=True)
    # Staff may open the funding line and decisions before the reviews are in, with a
    # reason (logged): review.services.readiness.
    early_decisions_reason = models.TextField(
        _("reason for deciding before the reviews are in"), blank=True, max_length=2000
    )
    early_decisions_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    early_decisions_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("jury")
        verbose_name_plural = _("juries")

    def __str__(self):
        return str(self.call)

    @property
    def reviews_per_application(self) -> int:
        return self.call.reviews_per_application

    # Conditions.

    def has_valid_criteria(self) -> bool:
        weights = [criterion.weight for criterion in self.criteria.all()]
        return bool(weights) and sum(weights) == 100

    def has_due_date(self) -> bool:
        return self.due_on is not None

    # Transitions: fire them only through review.services.jury.

    @transition(
        field=phase,
        source=P.PREPARATION,
        target=P.SCORING,
        permission=rule("review.manage_jury"),
        conditions=[has_valid_criteria, has_due_date],
        custom={
            "action": "review.jury.scoring_started",
            "label": _("Independent scoring started"),
            "verb": _("Start independent scoring"),
        },
    )
    def start_scoring(self):
        pass

    @transition(
        field=phase,
        source=P.SCORING,
        target=P.DISCUSSION,
        permission=rule("review.manage_jury"),
        custom={
            "action": "review.jury.discussion_started",
            "label": _("Discussion started"),
            "verb": _("Start the discussion"),
        },
    )
    def start_discussion(self):
        pass

    @transition(
        field=phase,
        source=[P.SCORING, P.DISCUSSION],
        target=P.CLOSED,
        permission=rule("review.manage_jury"),
        custom={
            "action": "review.jury.closed",
            "label": _("Jury closed"),
            "verb": _("Close the jury"),
        },
    )
    def close(self):
        pass


class JuryMember(models.Model):
    """A juror of a call: an existing user, or an invitation to an e-mail address that
    becomes a user when its owner signs up and confirms the address."""

    jury = models.ForeignKey(Jury, on_delete=models.PROTECT, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="jury_memberships",
    )
    email = models.EmailField(_("e-mail address"))
    topics = models.ManyToManyField(
        Topic, blank=True, verbose_name=_("preferred topics"), related_name="+"
    )
    invited_at = models.DateTimeField(_("invited"), auto_now_add=True)
    joined_at = models.DateTimeField(_("joined"), null=True, blank=True)

    class Meta:
        verbose_name = _("juror")
        verbose_name_plural = _("jurors")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["jury", "email"], name="jury_member_unique_email"),
            models.UniqueConstraint(
                fields=["jury", "user"],
                condition=models.Q(user__isnull=False),
                name="jury_member_unique_user",
            ),
        ]

    def __str__(self):
        return str(self.user or self.email)


class TopicMinimum(models.Model):
    """A topic's minimum share of the call's budget: the funding line funds the topic's
    best applications first until their awards reach it (review.maths.funding_line)."""

    jury = models.ForeignKey(Jury, on_delete=models.PROTECT, related_name="topic_minimums")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="+")
    share = models.PositiveSmallIntegerField(
        _("minimum share of the budget (%)"),
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )

    class Meta:
        verbose_name = _("minimum share of a topic")
        verbose_name_plural = _("minimum shares of topics")
        ordering = ["topic__slug", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["jury", "topic"], name="topic_minimum_once"),
            models.CheckConstraint(
                condition=models.Q(share__gte=1, share__lte=100), name="topic_minimum_share_range"
            ),
        ]

    def __str__(self):
        return f"{self.topic}: {self.share} %"


class Criterion(BilingualMixin, models.Model):
    jury = models.ForeignKey(Jury, on_delete=models.PROTECT, related_name="criteria")
    position = models.PositiveSmallIntegerField(_("position"))
    name_de = models.CharField(_("name (German)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    guidance_de = models.TextField(_("guidance (German)"), blank=True, max_length=1000)
    guidance_en = models.TextField(_("guidance (English)"), blank=True, max_length=1000)
    weight = models.PositiveSmallIntegerField(
        _("weight (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    scale = models.CharField(
        _("scale"), max_length=4, choices=Scale.choices, default=Scale.ZERO_TO_TEN
    )
    allows_not_applicable = models.BooleanField(_("“not applicable” allowed"), default=False)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["jury", "position"], name="criterion_unique_position"),
            models.CheckConstraint(
                condition=models.Q(weight__gte=1, weight__lte=100), name="criterion_weight_range"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return self.localised("name")

    @property
    def guidance(self):
        return self.localised("guidance")

    @property
    def bounds(self) -> tuple[int, int]:
        return Scale.bounds(self.scale)
