"""Read-side querysets of funded projects (grants, milestones, payments), annotated so that
pages make a fixed number of queries however many grants or milestones they show."""

from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from grants.contracts.budget import MilestoneRow, budget_years, monthly_forecast
from grants.models import (
    AgreementDocument,
    AgreementTerms,
    Application,
    Attachment,
    ChangeRequest,
    Drawdown,
    DrawdownLine,
    Grant,
    Milestone,
    MilestoneReport,
    Payment,
    ProofOfUse,
    StatementLine,
)
from grants.queries import applications_visible_to
from grants.states import (
    ApplicationState,
    ChangeRequestState,
    FinalReportState,
    MilestoneState,
    MilestoneStateGroup,
    PaymentKind,
)
from workflow.queries import log_of

ZERO_EURO = Decimal("0.00")

ZERO = Value(Decimal("0.00"), output_field=DecimalField(max_digits=12, decimal_places=2))


def _ledger_sum(kind):
    total = (
        Payment.objects.filter(grant=OuterRef("pk"), kind=kind)
        .order_by()
        .values("grant")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(
        Subquery(total, output_field=DecimalField(max_digits=12, decimal_places=2)), ZERO
    )


def with_progress(grants, today=None):
    """Grants with their late milestones, next due date, and released and paid sums."""
    today = today or timezone.localdate()
    awaiting = Q(milestones__state__in=MilestoneStateGroup.AWAITING_REPORT)
    return grants.annotate(
        late_count=Count("milestones", filter=awaiting & Q(milestones__due_on__lt=today)),
        next_due=Min("milestones__due_on", filter=awaiting),
        released=_ledger_sum(PaymentKind.RELEASED),
        paid=_ledger_sum(PaymentKind.PAID),
    )


def milestones_with_reports():
    return Milestone.objects.order_by("position").prefetch_related(
        Prefetch(
            "reports",
            queryset=MilestoneReport.objects.order_by("version").prefetch_related(
                "links",
                "collaborations",
                Prefetch(
                    "attachments", queryset=Attachment.objects.filter(removed_at__isnull=True)
                ),
            ),
        )
    )


def grant_detail(pk):
    """One grant with everything its pages show."""
    return (
        Grant.objects.select_related(
            "application__call__fund",
            "application__topic",
            "application__owner",
            "accepted_by",
            "final_report",
        )
        .prefetch_related(
            Prefetch("milestones", queryset=milestones_with_reports()),
            Prefetch(
                "change_requests",
                queryset=ChangeRequest.objects.select_related("milestone", "requested_by").order_by(
                    "-requested_at", "-pk"
                ),
            ),
            Prefetch("payments", queryset=Payment.objects.select_related("milestone")),
        )
        .filter(pk=pk)
    )


def ledger(grant) -> dict:
    """The grant's money from its (prefetched) payments: committed (the award), released,
    paid, released but not yet paid, and the commitment that remains to be released."""
    released = sum(
        (p.amount for p in grant.payments.all() if p.kind == PaymentKind.RELEASED), Decimal("0.00")
    )
    paid = sum(
        (p.amount for p in grant.payments.all() if p.kind == PaymentKind.PAID), Decimal("0.00")
    )
    return {
        "award": grant.amount,
        "released": released,
        "paid": paid,
        "outstanding": released - paid,
        "remaining": grant.amount - released,
    }


def grant_timeline(grant, *, include_internal: bool):
    """The whole story in one log: the application's entries and those of its milestones,
    change requests, final report (and, for staff, the readings of the bank details)."""
    subjects = [
        (Application, [grant.application_id]),
        (Milestone, [m.pk for m in grant.milestones.all()]),
        (ChangeRequest, [c.pk for c in grant.change_requests.all()]),
    ]
    final_report = getattr(grant, "final_report", None)
    if final_report is not None:
        subjects.append(final_report)
    if include_internal:
        subjects.append(grant)
    entries = log_of(*subjects)
    if not include_internal:
        entries = entries.filter(visible_to_applicant=True)
    return entries


# Grantee pages.


def grants_of_user(user):
    """The grants of the user's own applications whose agreement has been sent to them."""
    return with_progress(
        Grant.objects.filter(
            application__in=applications_visible_to(user, only="owner"), offered_at__isnull=False
        )
        .select_related("application__call", "final_report")
        .order_by("-application__call__year", "funding_reference")
    )


def next_due_of_user(user, limit=8):
    """The grantee's next due milestones, the earliest first (overdue ones included)."""
    return (
        Milestone.objects.filter(
            grant__application__in=applications_visible_to(user, only="owner"),
            grant__application__state__in=(
                ApplicationState.FUNDED,
                ApplicationState.FINAL_REPORT_DUE,
            ),
            state__in=MilestoneStateGroup.AWAITING_REPORT,
        )
        .select_related("grant")
        .order_by("due_on", "pk")[:limit]
    )


# Staff pages.


def portfolio(*, viewer, call="", topic="", state=""):
    """Every grant staff see, filtered; late ones first, then by the next due date."""
    grants = Grant.objects.filter(
        application__in=applications_visible_to(viewer, only="staff")
    ).select_related("application__call", "application__topic", "application__owner")
    if call:
        grants = grants.filter(application__call__slug=call)
    if topic:
        grants = grants.filter(application__topic__slug=topic)
    if state:
        grants = grants.filter(application__state=state)
    return with_progress(grants).order_by("-late_count", "next_due", "funding_reference", "pk")


def agreements_to_prepare(*, viewer):
    """Approved applications without a grant yet: staff prepare their agreements."""
    return (
        applications_visible_to(viewer, only="staff")
        .filter(state=ApplicationState.APPROVED)
        .exclude(Exists(Grant.objects.filter(application=OuterRef("pk"))))
        .select_related("call", "owner")
        .order_by("decided_at", "reference")
    )


def reports_to_check(*, viewer):
    return (
        Milestone.objects.filter(
            state=MilestoneState.REPORT_SUBMITTED,
            grant__application__in=applications_visible_to(viewer, only="staff"),
        )
        .select_related("grant__application__owner")
        .order_by("due_on", "pk")
    )


def change_requests_pending(*, viewer):
    return (
        ChangeRequest.objects.filter(
            state=ChangeRequestState.PENDING,
            grant__application__in=applications_visible_to(viewer, only="staff"),
        )
        .select_related("grant__application", "milestone")
        .order_by("requested_at", "pk")
    )


def final_reports_to_review(*, viewer):
    return (
        Grant.objects.filter(
            final_report__state=FinalReportState.SUBMITTED,
            application__in=applications_visible_to(viewer, only="staff"),
        )
        .select_related("application", "final_report")
        .order_by("final_report__submitted_at", "pk")
    )


def payments_to_transfer(*, viewer):
    """Released entries whose milestone is not paid yet, oldest first: of the grants the
    viewer sees as staff (none withheld from them, grants.visibility)."""
    return (
        Payment.objects.filter(
            kind=PaymentKind.RELEASED,
            milestone__state=MilestoneState.ACCEPTED,
            grant__application__in=applications_visible_to(viewer, only="staff"),
        )
        .select_related("grant__application", "milestone")
        .order_by("created_at", "pk")
    )


def recent_paid(*, viewer, limit=20):
    return (
        Payment.objects.filter(
            kind=PaymentKind.PAID,
            grant__application__in=applications_visible_to(viewer, only="staff"),
        )
        .select_related("grant__application", "milestone")
        .order_by("-created_at", "-pk")[:limit]
    )


def money_by_call_and_topic():
    """Committed (awards of signed grants), released and paid, per call and topic: one
    query per figure, grouped in the database."""
    signed = Grant.objects.filter(accepted_at__isnull=False)
    keys = ("application__call_id", "application__topic_id")
    committed = {
        tuple(row[k] for k in keys): row["total"]
        for row in signed.values(*keys).annotate(total=Sum("amount")).order_by(*keys)
    }
    flows = {}
    payment_keys = tuple(f"grant__{key}" for key in keys)
    for row in (
        Payment.objects.values(*payment_keys, "kind").annotate(total=Sum("amount")).order_by()
    ):
        flows[(tuple(row[k] for k in payment_keys), row["kind"])] = row["total"]
    return [
        {
            "call_id": key[0],
            "topic_id": key[1],
            "committed": total,
            "released": flows.get((key, PaymentKind.RELEASED), Decimal("0.00")),
            "paid": flows.get((key, PaymentKind.PAID), Decimal("0.00")),
        }
        for key, total in committed.items()
    ]


# Documents of a grant's file (agreement PDFs, conditions).


def latest_terms(fund):
    """The fund's current agreement conditions, or None before the first are written."""
    return AgreementTerms.objects.filter(fund=fund).order_by("-version").first()


def terms_versions(fund):
    return AgreementTerms.objects.filter(fund=fund).select_related("created_by")


def signing_copy(grant, user):
    """The newest PDF that ``user`` made of the grant's current version, or None."""
    return (
        AgreementDocument.objects.filter(grant=grant, grant_version=grant.version, created_by=user)
        .order_by("-created_at", "-pk")
        .first()
    )


def agreement_documents(grant):
    return AgreementDocument.objects.filter(grant=grant).select_related("created_by", "terms")


def proof_with_lines(report):
    """The final report's proof of use with its lines (one query each), or None."""
    return (
        ProofOfUse.objects.filter(final_report=report)
        .prefetch_related(
            Prefetch("lines", queryset=StatementLine.objects.select_related("checked_by")),
            Prefetch(
                "receipt_files",
                queryset=Attachment.objects.filter(removed_at__isnull=True).order_by("pk"),
            ),
        )
        .first()
    )


# Budget years and drawdowns (grants/contracts/budget.py computes from these rows).


def budget_milestones(fund=None) -> list:
    """Every milestone of a signed agreement as a budget row (one query)."""
    rows = Milestone.objects.filter(grant__accepted_at__isnull=False)
    if fund is not None:
        rows = rows.filter(grant__application__call__fund=fund)
    rows = rows.annotate(
        drawn=Exists(DrawdownLine.objects.filter(milestone=OuterRef("pk")))
    ).values_list(
        "pk", "grant__funding_reference", "position", "due_on", "amount", "state", "drawn"
    )
    return [MilestoneRow(*row) for row in rows]


def budget_payments(fund=None) -> list:
    rows = Payment.objects.filter(kind=PaymentKind.PAID)
    if fund is not None:
        rows = rows.filter(grant__application__call__fund=fund)
    return list(rows.values_list("paid_on", "amount"))


def drawdowns_of(fund):
    return Drawdown.objects.filter(fund=fund).select_related("created_by", "fund")


def drawdown_history(fund) -> list[dict]:
    """Each drawdown with the payments made up to the end of its period, for the ministry:
    amounts and dates only, no names."""
    drawdowns = list(Drawdown.objects.filter(fund=fund).order_by("period_end", "pk"))
    payments = sorted(budget_payments(fund))
    history, requested, paid, index = [], ZERO_EURO, ZERO_EURO, 0
    for drawdown in drawdowns:
        requested += drawdown.amount
        while index < len(payments) and payments[index][0] <= drawdown.period_end:
            paid += payments[index][1]
            index += 1
        history.append(
            {"drawdown": drawdown, "requested_total": requested, "paid_total": paid,
             "difference": requested - paid}
        )  # fmt: skip
    return history[::-1]


def budget_overview(fund, today) -> dict:
    """Budget years, the forecast and the drawdowns of one fund (staff and ministry pages)."""
    milestones = budget_milestones(fund)
    drawdowns = list(drawdowns_of(fund))
    overdue, months = monthly_forecast(milestones, today=today)
    return {
        "years": budget_years(
            milestones, budget_payments(fund), [(d.period_end, d.amount) for d in drawdowns]
        ),
        "overdue": overdue,
        "months": months,
        "drawdowns": drawdowns,
    }
