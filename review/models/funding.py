"""The funding line of a call and the lottery of its grey zone."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from grants.models import Application, Call
from grants.models.calls import MONEY
from review.states import (
    NOTE_MAX_CHARS,
    SEED_MAX_CHARS,
    SEED_REFERENCE_MAX_CHARS,
    LineMove,
    LineState,
    RankingBasis,
    SeedSource,
)
from workflow.transitions import rule

L = LineState


class FundingLine(ConcurrentTransitionMixin, models.Model):
    """Staff go down a ranking (a snapshot taken when they draw the line) until the first
    application that no longer fits the money (review.maths.funding_line), after the
    topics' minimums, and may move applications by hand. Optionally the grey zone (rank
    intervals crossing the line) is frozen together with the public source of the
    lottery's seed and the moment after which that source publishes it; the seed is
    accepted only after that moment."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="funding_lines")
    state = FSMField(_("state"), default=L.OPEN, choices=L.choices, protected=True)
    basis = models.CharField(
        _("ranking"), max_length=12, choices=RankingBasis.choices, default=RankingBasis.CALIBRATED
    )
    # The money to spend when the line was drawn: the budget less what was awarded already.
    available = models.DecimalField(_("available (€)"), **MONEY)
    # The ranking as it was when the line was drawn: [{"id", "reference", "title", "topic",
    # "amount", "rank", "low", "high", "expected_rank", "score"}, …] in ranking order.
    ranking = models.JSONField(default=list, encoder=DjangoJSONEncoder)
    # The topics' minimums when it was drawn: {"<topic id>": {"name_de", "name_en",
    # "share", "need"}}, need: the euros the topic still lacked.
    minimums = models.JSONField(
        _("minimums per topic"), default=dict, blank=True, encoder=DjangoJSONEncoder
    )
    grey_zone = models.JSONField(_("grey zone"), default=list, blank=True)
    # Named at freezing: where the seed will come from and after which moment it is public.
    seed_source = models.CharField(
        _("source of the seed"), max_length=16, choices=SeedSource.choices, blank=True
    )
    seed_reference = models.CharField(
        _("which draw or round"), max_length=SEED_REFERENCE_MAX_CHARS, blank=True
    )
    seed_published_after = models.DateTimeField(_("published after"), null=True, blank=True)
    seed = models.CharField(_("seed"), max_length=SEED_MAX_CHARS, blank=True)
    lottery = models.JSONField(_("lottery"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("funding line")
        verbose_name_plural = _("funding lines")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["call"],
                condition=~models.Q(state=LineState.DISCARDED),
                name="funding_line_one_current",
            )
        ]

    def __str__(self):
        return f"{self.call} ({self.get_state_display()})"

    def has_grey_zone(self) -> bool:
        return bool(self.grey_zone)

    def has_seed(self) -> bool:
        return bool(self.seed.strip())

    def has_seed_source(self) -> bool:
        return bool(self.seed_source and self.seed_reference.strip() and self.seed_published_after)

    def seed_is_in_the_future(self) -> bool:
        """At freezing, nobody may know the seed yet: its source publishes it later."""
        return self.seed_published_after is not None and self.seed_published_after > timezone.now()

    def seed_is_published(self) -> bool:
        """The seed is accepted only after the moment named at freezing (server time)."""
        return self.seed_published_after is not None and timezone.now() > self.seed_published_after

    @transition(
        field=state,
        source=L.OPEN,
        target=L.FROZEN,
        permission=rule("review.draw_funding_line"),
        conditions=[has_grey_zone, has_seed_source, seed_is_in_the_future],
        custom={
            "action": "review.fundingline.frozen",
            "label": _("Grey zone frozen for the lottery"),
        },
    )
    def freeze(self):
        pass

    @transition(
        field=state,
        source=L.FROZEN,
        target=L.DRAWN,
        permission=rule("review.draw_funding_line"),
        conditions=[has_seed, seed_is_published],
        custom={"action": "review.fundingline.drawn", "label": _("Lottery drawn")},
    )
    def draw(self):
        pass

    @transition(
        field=state,
        source=[L.OPEN, L.FROZEN],
        target=L.DISCARDED,
        permission=rule("review.draw_funding_line"),
        custom={"action": "review.fundingline.discarded", "label": _("Funding line discarded")},
    )
    def discard(self):
        pass


class FundingLineMove(models.Model):
    """An application moved across the line by hand, with the reason."""

    line = models.ForeignKey(FundingLine, on_delete=models.PROTECT, related_name="moves")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="+")
    direction = models.CharField(_("move"), max_length=12, choices=LineMove.choices)
    reason = models.TextField(_("reason"), max_length=NOTE_MAX_CHARS)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("move across the funding line")
        verbose_name_plural = _("moves across the funding line")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.application} {self.direction}"


class ReviewReminder(models.Model):
    """A reminder e-mailed to a juror about overdue reviews: at most one per juror, call and
    day, so the daily job may run again without sending twice."""

    juror = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    jury = models.ForeignKey("review.Jury", on_delete=models.PROTECT, related_name="reminders")
    sent_on = models.DateField()
    open_reviews = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("review reminder")
        verbose_name_plural = _("review reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["juror", "jury", "sent_on"], name="review_reminder_once_a_day"
            )
        ]

    def __str__(self):
        return f"{self.juror} {self.sent_on}"
