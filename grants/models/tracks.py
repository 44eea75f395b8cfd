"""The tracks of a call: what an applicant may apply for (one person or a team, for how many
months, up to which amount, at which hourly rate). Staff set them on the call's page until
the first submission; afterwards they are frozen like the call's other rules
(grants.services.tracks)."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from grants.models.calls import MONEY, POSITIVE_AMOUNT, Call
from grants.models.funds import BilingualMixin
from grants.states import TRACK_MONTHS_MAX, TRACK_NAME_MAX_CHARS, TrackKind

# An hourly rate above this is a typing error, not a rule.
HOURLY_RATE_MAX = Decimal("1000.00")


class CallTrack(BilingualMixin, models.Model):
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="tracks")
    key = models.SlugField(
        _("key"),
        max_length=50,
        help_text=_(
            "A short name that stays when the wording changes, for example team-10. "
            "The application list filters by it."
        ),
    )
    name_de = models.CharField(_("name (German)"), max_length=TRACK_NAME_MAX_CHARS)
    name_en = models.CharField(_("name (English)"), max_length=TRACK_NAME_MAX_CHARS)
    kind = models.CharField(_("who applies"), max_length=20, choices=TrackKind.choices)
    months = models.PositiveSmallIntegerField(
        _("months"), validators=[MinValueValidator(1), MaxValueValidator(TRACK_MONTHS_MAX)]
    )
    # Empty only in tracks migrated from a call whose caps were not filled in yet: such a
    # call cannot open (Call.missing_rules).
    cap = models.DecimalField(
        _("cap (€)"), null=True, blank=True, validators=[POSITIVE_AMOUNT], **MONEY
    )
    hourly_rate = models.DecimalField(
        _("hourly rate (€)"),
        null=True,
        blank=True,
        validators=[POSITIVE_AMOUNT, MaxValueValidator(HOURLY_RATE_MAX)],
        help_text=_("Leave empty for the call's hourly rate."),
        **MONEY,
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # Removing a track hides it; applications that chose it keep it (nothing is hard-deleted).
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("track")
        verbose_name_plural = _("tracks")
        ordering = ["call", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "key"],
                condition=models.Q(removed_at__isnull=True),
                name="track_unique_key_in_call",
            ),
            models.CheckConstraint(
                condition=models.Q(cap__isnull=True) | models.Q(cap__gte=Decimal("1.00")),
                name="track_cap_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(months__gte=1) & models.Q(months__lte=TRACK_MONTHS_MAX),
                name="track_months_in_range",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.localised("name")

    @property
    def is_team(self) -> bool:
        return self.kind == TrackKind.TEAM
