"""Read-side querysets of funded projects (grants, milestones, payments), annotated so that
pages make a fixed number of queries however many grants or milestones they show."""

import datetime as dt
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

from grants.models import (
    Application,
    Attachment,
    ChangeRequest,
    Grant,
    Milestone,
    MilestoneReport,
    Payment,
)
from grants.queries import applications_visible_to
from grants.states import (
    REMINDER_LEAD_DAYS,
    ApplicationState,
    ChangeRequestState,
    FinalReportState,
    MilestoneState,
    MilestoneStateGroup,
    PaymentKind,
)
from workflow.queries import log_of

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


# What grantees owe: the one definition of each rule, for the reminders
# (grants.services.reminders), the inbox and the pages.

# Grants whose grantee reports: signed and not finished.
RUNNING_STATES = (ApplicationState.FUNDED, ApplicationState.FINAL_REPORT_DUE)


def milestones_awaiting_report():
    """Milestones of running grants whose report the grantee still owes (planned, or changes
    requested); late once their due date has passed."""
    return Milestone.objects.filter(
        state__in=MilestoneStateGroup.AWAITING_REPORT,
        grant__application__state__in=RUNNING_STATES,
    )


def final_reports_awaited():
    """Grants whose final report is due and not handed in (a draft, or changes requested);
    due on ``Grant.final_report_due_on``."""
    return Grant.objects.filter(
        application__state=ApplicationState.FINAL_REPORT_DUE,
        final_report__state__in=(FinalReportState.DRAFT, FinalReportState.CHANGES_REQUESTED),
    )


# Grantee pages.


def milestone_reports_due(user, today=None):
    """The reports the user owes now: due within the reminders' lead time or overdue, and
    every report staff asked to change; the earliest due first."""
    today = today or timezone.localdate()
    return (
        milestones_awaiting_report()
        .filter(grant__application__in=applications_visible_to(user, only="owner"))
        .filter(
            Q(due_on__lte=today + dt.timedelta(days=REMINDER_LEAD_DAYS))
            | Q(state=MilestoneState.CHANGES_REQUESTED)
        )
        .select_related("grant__application__call")
        .order_by("due_on", "pk")
    )


def final_reports_due(user):
    return (
        final_reports_awaited()
        .filter(application__in=applications_visible_to(user, only="owner"))
        .select_related("application__call", "final_report")
        .order_by("ends_on", "pk")
    )


def agreements_to_sign(user):
    """Agreements sent to the user and neither accepted nor declined yet."""
    return (
        Grant.objects.filter(
            application__in=applications_visible_to(user, only="owner"),
            application__state=ApplicationState.APPROVED,
            offered_at__isnull=False,
            accepted_at__isnull=True,
            declined_at__isnull=True,
        )
        .select_related("application__call")
        .order_by("offered_at", "pk")
    )


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
        milestones_awaiting_report()
        .filter(grant__application__in=applications_visible_to(user, only="owner"))
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


def agreements_to_send(*, viewer):
    """Agreements prepared but not sent to the grantee yet."""
    return (
        Grant.objects.filter(
            application__in=applications_visible_to(viewer, only="staff"),
            application__state=ApplicationState.APPROVED,
            offered_at__isnull=True,
        )
        .select_related("application__call")
        .order_by("prepared_at", "pk")
    )


def agreements_unsigned(*, viewer, days: int, now=None):
    """Agreements sent to the grantee at least ``days`` days ago and neither accepted nor
    declined: staff ask after them."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    return (
        Grant.objects.filter(
            application__in=applications_visible_to(viewer, only="staff"),
            application__state=ApplicationState.APPROVED,
            offered_at__lte=cutoff,
            accepted_at__isnull=True,
            declined_at__isnull=True,
        )
        .select_related("application__call", "application__owner")
        .order_by("offered_at", "pk")
    )


def milestone_reports_overdue(*, viewer, today=None):
    """Reports grantees owe past their due date, of grants ``viewer`` sees as staff."""
    return (
        milestones_awaiting_report()
        .filter(
            due_on__lt=today or timezone.localdate(),
            grant__application__in=applications_visible_to(viewer, only="staff"),
        )
        .select_related("grant__application__call")
        .order_by("due_on", "pk")
    )


def final_reports_outstanding(*, viewer):
    """Final reports grantees owe (due or overdue), of grants ``viewer`` sees as staff."""
    return (
        final_reports_awaited()
        .filter(application__in=applications_visible_to(viewer, only="staff"))
        .select_related("application__call", "final_report")
        .order_by("ends_on", "pk")
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
