"""The ranking, computed once per version of its input and kept in the database (shared by
every web process), and the selection record of a decided call."""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from grants.models import Call
from review.states import RankingBasis


class StoredRanking(models.Model):
    """The model's figures for one call, ranking basis and version of the input.

    ``input_version`` is the SHA-256 of everything the figures depend on: the basis, the
    criteria (id, weight, scale) and the submitted reviews that count, each as (id,
    version). A review's scores change only while it is a draft, and every save bumps its
    version, so a changed, reopened, released or withdrawn review gives another version and
    the page computes again; a stored row is never read for another input. Names, titles,
    states and amounts are not stored: the pages read them fresh."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="+")
    basis = models.CharField(max_length=12, choices=RankingBasis.choices)
    input_version = models.CharField(max_length=64)
    figures = models.JSONField(encoder=DjangoJSONEncoder)
    computed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("stored ranking")
        verbose_name_plural = _("stored rankings")
        constraints = [
            models.UniqueConstraint(
                fields=["call", "basis", "input_version"], name="stored_ranking_one_per_version"
            )
        ]
        indexes = [models.Index(fields=["call", "basis", "-computed_at"])]

    def __str__(self):
        return f"{self.call} {self.basis} {self.input_version[:12]}"


class SelectionRecord(models.Model):
    """What the call's selection rested on, kept as it was at decision time: the ranking
    (every ranked application with its scores, rank, expected rank and 90 % interval), the
    funding lines decisions were taken on (line, grey zone, moves with reasons, minimums,
    lottery with source, seed, tickets and result) and every decision with its reason.

    Taken at the call's first decision (review.services.records); each decision appends to
    it and brings its line up to date; marking the call as decided seals it (a call decided
    without any decision here gets its record then). Later withdrawals, reopened reviews or
    new lines never change it. The selection record PDF reads it."""

    call = models.OneToOneField(Call, on_delete=models.PROTECT, related_name="selection_record")
    basis = models.CharField(_("ranking"), max_length=12, choices=RankingBasis.choices)
    taken_at = models.DateTimeField(_("ranking taken"))
    sealed_at = models.DateTimeField(_("call marked as decided"), null=True, blank=True)
    # {"review_count", "residual_sd", "application_sd", "juror_sd", "overall_alpha",
    #  "rows": [{"reference", "title", "topic", "state", "amount", "count", "raw",
    #  "calibrated", "se", "spread", "rank", "expected_rank", "low", "high"}, …],
    #  "unreviewed": [{"reference", "title", "state"}, …]}
    ranking = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    # Funding line id (as text) → {"state", "basis", "drawn_at", "drawn_by", "available",
    # "line_rank", "first_out", "rows": [{"reference", "rank", "low", "high", "amount",
    # "status", "grey"}], "grey_zone", "moves", "minimums", "shortfall", "lottery"}.
    lines = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    # [{"reference", "title", "decision", "state", "awarded", "reason", "actor", "at",
    #   "line", "line_status", "follows_line"}, …] in the order decided.
    decisions = models.JSONField(default=list, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("selection record")
        verbose_name_plural = _("selection records")

    def __str__(self):
        return str(self.call)
