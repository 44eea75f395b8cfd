import datetime as dt
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
)
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from grants.models.funds import BilingualMixin, Fund
from grants.states import NOTE_MAX_CHARS, CallStage, CallState
from workflow.transitions import rule

MONEY = {"max_digits": 12, "decimal_places": 2}
# Sensible bounds for a call's dates and year: far enough for any real round, and far from
# the limits of Python's and the database's date types (9999-12-31 + one day overflows).
CALL_DATES_FROM = dt.date(2000, 1, 1)
CALL_DATES_UNTIL = dt.date(2099, 12, 31)
POSITIVE_AMOUNT = MinValueValidator(Decimal("1.00"))
# A telephone number as people write it: digits, spaces, "+", "-", "/" and brackets.
PHONE_NUMBER = RegexValidator(
    r"^\+?[0-9(][0-9 ()/-]{2,28}[0-9]$",
    _("Enter a telephone number of digits, spaces, +, -, / and brackets, such as +49 30 1234567."),
    code="invalid_phone",
)


def validate_call_date(value):
    """A date, or the date of a moment in its own time zone (no conversion, which is what
    overflows for 0001-01-01), between CALL_DATES_FROM and CALL_DATES_UNTIL."""
    day = value.date() if isinstance(value, dt.datetime) else value
    if not CALL_DATES_FROM <= day <= CALL_DATES_UNTIL:
        raise ValidationError(
            _("Enter a date between %(start)s and %(end)s."),
            code="date_out_of_range",
            params={"start": CALL_DATES_FROM.isoformat(), "end": CALL_DATES_UNTIL.isoformat()},
        )


def validate_call_closing(value):
    """closes_at is the midnight after the closing day: the closing day must be in range."""
    validate_call_date(value - timedelta(microseconds=1))


class Call(BilingualMixin, ConcurrentTransitionMixin, models.Model):
    """A funding round. Its rules (dates, budget, rates, tracks) are frozen once the first
    application has been submitted; only an admin may change them then, with a reason."""

    RULE_FIELDS = (
        "opens_at",
        "closes_at",
        "budget",
        "hourly_rate",
        "overhead_percent",
        "funding_rate_percent",
        "reviews_per_application",
        "stage",
        "next_stage",
    )
    # What a concept call (the first of two stages) needs no value for: it decides without money.
    MONEY_RULES = ("budget",)  # and the caps of its tracks

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="calls")
    slug = models.SlugField(_("short name"), unique=True)
    year = models.PositiveSmallIntegerField(
        _("year"),
        validators=[
            MinValueValidator(CALL_DATES_FROM.year),
            MaxValueValidator(CALL_DATES_UNTIL.year),
        ],
    )
    round_number = models.PositiveSmallIntegerField(
        _("round in the year"), validators=[MinValueValidator(1), MaxValueValidator(99)]
    )
    title_de = models.CharField(_("title (German)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    description_de = models.TextField(
        _("description (German)"),
        blank=True,
        max_length=NOTE_MAX_CHARS,
        validators=[MaxLengthValidator(NOTE_MAX_CHARS)],
    )
    description_en = models.TextField(
        _("description (English)"),
        blank=True,
        max_length=NOTE_MAX_CHARS,
        validators=[MaxLengthValidator(NOTE_MAX_CHARS)],
    )
    opens_at = models.DateTimeField(
        _("opens at"), null=True, blank=True, validators=[validate_call_date]
    )
    closes_at = models.DateTimeField(
        _("closes at"), null=True, blank=True, validators=[validate_call_closing]
    )
    budget = models.DecimalField(
        _("budget (€)"), null=True, blank=True, validators=[POSITIVE_AMOUNT], **MONEY
    )
    hourly_rate = models.DecimalField(
        _("hourly rate (€)"), default=Decimal("50.00"), validators=[POSITIVE_AMOUNT], **MONEY
    )
    overhead_percent = models.DecimalField(
        _("overhead (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("5.00"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    funding_rate_percent = models.DecimalField(
        _("funding rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("95.00"),
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    reviews_per_application = models.PositiveSmallIntegerField(
        _("reviews per application"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    stage = models.CharField(
        _("stage"),
        max_length=10,
        choices=CallStage.choices,
        default=CallStage.SINGLE,
        help_text=_(
            "A concept call decides without money whom to invite; the invited teams write "
            "their full proposal in the linked full-proposal call."
        ),
    )
    next_stage = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="previous_stage",
        verbose_name=_("full-proposal call"),
        help_text=_(
            "For a concept call: the call of the same fund in which invited teams write their "
            "full proposal. It must close after this call."
        ),
    )
    # Not a rule of the call: staff may turn it on at any time (accounts.access.grantee_gate).
    grantees_need_second_factor = models.BooleanField(
        _("grantees must use a second factor"),
        default=False,
        help_text=_(
            "The grant pages of this call's grantees (agreement, bank details, reports) open only "
            "after they signed in with an authenticator app or a security key."
        ),
    )
    # Whom applicants ask about the call (its public page); not a rule: changeable any time.
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail address"), blank=True)
    contact_phone = models.CharField(
        _("contact telephone"), max_length=30, blank=True, validators=[PHONE_NUMBER]
    )
    state = FSMField(_("state"), default=CallState.DRAFT, choices=CallState.choices, protected=True)
    last_sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-year", "-round_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "year", "round_number"], name="call_unique_round"
            ),
            models.CheckConstraint(
                condition=models.Q(opens_at__isnull=True)
                | models.Q(closes_at__isnull=True)
                | models.Q(opens_at__lt=models.F("closes_at")),
                name="call_opens_before_closing",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def title(self):
        return self.localised("title")

    @property
    def description(self):
        return self.localised("description")

    @property
    def contact_phone_uri(self) -> str:
        """The telephone number as a tel: link ("tel:+49301234567")."""
        return "tel:" + "".join(c for c in self.contact_phone if c.isdigit() or c == "+")

    def active_tracks(self):
        """The tracks applicants choose from, in order (grants.CallTrack)."""
        return self.tracks.filter(removed_at__isnull=True).order_by("position", "pk")

    @cached_property
    def offered_tracks(self) -> list:
        """active_tracks, loaded once per call object (a page reads them several times)."""
        return list(self.active_tracks())

    @property
    def is_concept_stage(self) -> bool:
        return self.stage == CallStage.CONCEPT

    @property
    def is_full_stage(self) -> bool:
        return self.stage == CallStage.FULL

    def clean(self):
        """A link between stages goes from a concept call to a full-proposal call of the
        same fund that closes later (its teams need the concept's decision first)."""
        super().clean()
        nxt = self.next_stage
        if nxt is None:
            return
        if not self.is_concept_stage:
            raise ValidationError(
                {"next_stage": _("Only a concept call links to a full-proposal call.")}
            )
        if nxt.pk == self.pk or nxt.stage != CallStage.FULL:
            raise ValidationError({"next_stage": _("Choose a full-proposal call.")})
        if nxt.fund_id != self.fund_id:
            raise ValidationError({"next_stage": _("Choose a call of the same fund.")})
        if self.closes_at and (nxt.closes_at is None or nxt.closes_at <= self.closes_at):
            raise ValidationError(
                {"next_stage": _("The full-proposal call must close after this call.")}
            )

    def missing_rules(self) -> list[str]:
        """Names of the settings a call needs before it may open: at least one track, and a
        concept call needs no money (no budget, no caps), but its full-proposal call."""
        if self.is_concept_stage:
            needed = ["opens_at", "closes_at", "next_stage"]
        else:
            needed = ["opens_at", "closes_at", *self.MONEY_RULES]
        missing = [
            str(self._meta.get_field(name).verbose_name)
            for name in needed
            if getattr(self, name) in (None, "")
        ]
        tracks = self.offered_tracks if self.pk else []
        if not tracks:
            missing.append(str(_("at least one track")))
        if not self.is_concept_stage:
            missing.extend(
                str(_("cap of the track “%(track)s”") % {"track": track.name})
                for track in tracks
                if track.cap is None
            )
        return missing

    def has_complete_rules(self) -> bool:
        return not self.missing_rules()

    def invalid_rules(self) -> list[str]:
        """Names of rule settings outside their bounds (a negative budget, a date in year 1),
        so that such a call cannot open even if the values got past the form."""
        try:
            self.clean_fields(
                exclude=[f.name for f in self._meta.fields if f.name not in self.RULE_FIELDS]
            )
        except ValidationError as error:
            return [str(self._meta.get_field(name).verbose_name) for name in error.message_dict]
        return []

    def has_valid_rules(self) -> bool:
        return not self.invalid_rules()

    # Money. "Committed" is written here once: every page, the decisions, the funding line
    # and the reports read it from here.

    def committed_amount(self) -> Decimal:
        """What the budget has given away: what the call's signed grants commit plus the
        awards approved and waiting for the grantee's signature, as
        grants.contracts.commitments defines them for every page (withdrawn or declined
        awards are free again; a terminated grant keeps only what was released for it). The
        decision service locks the call row before reading this."""
        from grants.contracts.commitments import budget_taken  # a read of the models below

        return budget_taken(self)

    def committed_by_topic(self) -> dict:
        """Topic id → what the call's budget has given away for that topic (the same rule
        as ``committed_amount``); the funding line's topic minimums read it."""
        from grants.contracts.commitments import budget_taken_by_topic  # a read, as above

        return budget_taken_by_topic(self)

    def money_left(self, committed: Decimal | None = None) -> Decimal:
        """The budget minus what is committed (``committed`` if the caller has it)."""
        committed = self.committed_amount() if committed is None else committed
        return (self.budget or Decimal("0.00")) - committed

    def accepts_submissions(self, at=None) -> bool:
        at = at or timezone.now()
        return (
            self.state == CallState.OPEN
            and self.opens_at is not None
            and self.closes_at is not None
            and self.opens_at <= at < self.closes_at
        )

    def opens_later(self, at=None) -> bool:
        """Open, but its opening time lies ahead: announced, not yet accepting."""
        at = at or timezone.now()
        return self.state == CallState.OPEN and self.opens_at is not None and at < self.opens_at

    def deadline_passed(self, at=None) -> bool:
        """Still open (staff have not closed it yet), but its closing day is over."""
        at = at or timezone.now()
        return self.state == CallState.OPEN and self.closes_at is not None and at >= self.closes_at

    @property
    def closing_day(self):
        """The last day on which submissions are accepted (closes_at is the next midnight)."""
        if self.closes_at is None:
            return None
        return timezone.localtime(self.closes_at - timedelta(microseconds=1)).date()

    @property
    def rules_locked(self) -> bool:
        return self.applications.filter(submitted_at__isnull=False).exists()

    # Transitions. Fire them only through grants.services.calls; each declares its log
    # action, log label and button once (workflow.actions).

    @transition(
        field=state,
        source=CallState.DRAFT,
        target=CallState.OPEN,
        permission=rule("grants.manage_calls"),
        conditions=[has_complete_rules, has_valid_rules],
        custom={
            "action": "grants.call.opened",
            "label": _("Call opened"),
            "verb": _("Open the call"),
        },
    )
    def open(self):
        pass

    @transition(
        field=state,
        source=CallState.OPEN,
        target=CallState.CLOSED,
        permission=rule("grants.manage_calls"),
        custom={
            "action": "grants.call.closed",
            "label": _("Call closed"),
            "verb": _("Close the call"),
        },
    )
    def close(self):
        pass

    @transition(
        field=state,
        source=CallState.CLOSED,
        target=CallState.IN_REVIEW,
        permission=rule("grants.manage_calls"),
        custom={
            "action": "grants.call.review_started",
            "label": _("Review started"),
            "verb": _("Start the review"),
        },
    )
    def start_review(self):
        pass

    @transition(
        field=state,
        source=CallState.IN_REVIEW,
        target=CallState.DECIDED,
        permission=rule("grants.manage_calls"),
        custom={
            "action": "grants.call.decided",
            "label": _("Decided"),
            "verb": _("Mark as decided"),
        },
    )
    def decide(self):
        pass

    @transition(
        field=state,
        source=CallState.DECIDED,
        target=CallState.ARCHIVED,
        permission=rule("grants.manage_calls"),
        custom={
            "action": "grants.call.archived",
            "label": _("Archived"),
            "verb": _("Archive the call"),
        },
    )
    def archive(self):
        pass
