"""The proof of use (Verwendungsnachweis) of a grant: the final report is its narrative
part; this is the numerical statement beside it. Actual hours and costs per person, other
costs as a list of receipts, the grantee's own contribution, and a reason for every budget
category whose difference from the plan exceeds the tolerance (settings). Staff check it
line by line; the accepted proof of use is archived as a PDF with its SHA-256."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from grants.contracts.models.reports import FinalReport
from grants.models.calls import MONEY
from grants.states import StatementLineKind, StatementLineState
from workflow.transitions import rule

S = StatementLineState
# Far above any grant of this fund, far below the column's limit: a bound for typed input.
AMOUNT_MAX = Decimal("9999999.99")
HOURS_MAX = 100_000
LINES_MAX = 200


class ProofOfUse(models.Model):
    final_report = models.OneToOneField(
        FinalReport, on_delete=models.PROTECT, related_name="proof_of_use"
    )
    own_contribution = models.DecimalField(
        _("own contribution (€)"),
        default=Decimal("0.00"),
        validators=[MinValueValidator(0), MaxValueValidator(AMOUNT_MAX)],
        **MONEY,
    )
    # {budget category: the grantee's reason for a difference over the tolerance}
    variance_reasons = models.JSONField(_("reasons for differences"), default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Set when staff accept the final report: the figures as accepted and the archived PDF.
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    accepted_total = models.DecimalField(_("costs accepted (€)"), null=True, blank=True, **MONEY)
    accepted_grant_spent = models.DecimalField(
        _("grant spent according to the proof of use (€)"), null=True, blank=True, **MONEY
    )
    stored_name = models.CharField(max_length=120, blank=True, editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    language = models.CharField(_("language"), max_length=8, blank=True)

    class Meta:
        verbose_name = _("proof of use")
        verbose_name_plural = _("proofs of use")

    def __str__(self):
        return f"{self.final_report.grant} proof of use"

    @property
    def file_name(self) -> str:
        return f"proof-of-use-{self.final_report.grant.funding_reference}-{self.language}.pdf"


class StatementLine(ConcurrentTransitionMixin, models.Model):
    """A person's actual hours and costs, or one receipt of other costs."""

    proof = models.ForeignKey(ProofOfUse, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(_("kind"), max_length=10, choices=StatementLineKind.choices)
    position = models.PositiveSmallIntegerField(_("number"))
    # A person: name, role, hours; a receipt: date, payee, purpose. Both: the amount.
    name = models.CharField(_("name"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=200, blank=True)
    hours = models.DecimalField(
        _("hours"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(HOURS_MAX)],
    )
    paid_on = models.DateField(_("date"), null=True, blank=True)
    payee = models.CharField(_("payee"), max_length=200, blank=True)
    purpose = models.CharField(_("purpose"), max_length=500, blank=True)
    amount = models.DecimalField(
        _("amount (€)"), validators=[MinValueValidator(0), MaxValueValidator(AMOUNT_MAX)], **MONEY
    )
    state = FSMField(_("check"), default=S.OPEN, choices=S.choices, protected=True)
    query = models.TextField(_("staff question"), blank=True)
    answer = models.TextField(_("answer"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    checked_at = models.DateTimeField(_("checked"), null=True, blank=True)

    class Meta:
        verbose_name = _("statement line")
        verbose_name_plural = _("statement lines")
        ordering = ["proof", "kind", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["proof", "kind", "position"], name="statement_line_position"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="statement_line_amount_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.position}"

    # Transitions: fire them only through grants.contracts.services.proof (workflow.transitions).

    @transition(
        field=state,
        source=[S.OPEN, S.ANSWERED],
        target=S.ACCEPTED,
        permission=rule("grants.check_proof_of_use"),
        custom={"action": "grants.statementline.accepted", "label": _("Line accepted")},
    )
    def accept(self):
        self.checked_at = timezone.now()

    @transition(
        field=state,
        source=[S.OPEN, S.ANSWERED, S.ACCEPTED],
        target=S.QUERIED,
        permission=rule("grants.check_proof_of_use"),
        custom={
            "action": "grants.statementline.queried",
            "label": _("Line queried"),
            "visible_to_applicant": True,
        },
    )
    def ask(self):
        self.checked_at = timezone.now()

    @transition(
        field=state,
        source=S.QUERIED,
        target=S.ANSWERED,
        permission=rule("grants.answer_proof_query"),
        custom={
            "action": "grants.statementline.answered",
            "label": _("Query answered"),
            "visible_to_applicant": True,
        },
    )
    def reply(self):
        pass
