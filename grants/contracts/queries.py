"""Read-side querysets of funded projects (grants, milestones, payments), annotated so that
pages make a fixed number of queries however many grants or milestones they show."""

import datetime as dt
from decimal import Decimal

from django.db.models import (
    Count,
    Exists,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
)
from django.utils import timezone

from grants.contracts.commitments import committed, disbursed, ledger_sum
from grants.models import (
    AgreementDocument,
    AgreementTerms,
    Application,
    Attachment,
    BankDetailsCheck,
    ChangeRequest,
    Grant,
    Milestone,
    MilestoneReport,
    Payment,
    ProofOfUse,
    SepaBatch,
    SepaBatchItem,
    StatementLine,
)
from grants.queries import applications_visible_to
from grants.rules import export_blocker, four_eyes
from grants.states import (
    REMINDER_LEAD_DAYS,
    ApplicationState,
    ApplicationStateGroup,
    BankCheckState,
    ChangeRequestState,
    FinalReportState,
    MilestoneState,
    MilestoneStateGroup,
    PaymentKind,
    SepaBatchState,
)
from workflow.queries import log_of

ZERO_EURO = Decimal("0.00")


def with_progress(grants, today=None):
    """Grants with their late milestones, next due date, and committed, released and paid
    sums. Only a running grant (signed, not finished) waits for reports: the milestones of
    an unsigned, declined or terminated agreement are never late."""
    today = today or timezone.localdate()
    awaiting = Q(
        milestones__state__in=MilestoneStateGroup.AWAITING_REPORT,
        application__state__in=ApplicationStateGroup.RUNNING,
    )
    return grants.annotate(
        late_count=Count("milestones", filter=awaiting & Q(milestones__due_on__lt=today)),
        next_due=Min("milestones__due_on", filter=awaiting),
        committed=committed(),
        released=ledger_sum(PaymentKind.RELEASED),
        paid=disbursed(),
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
        Grant.objects.annotate(
            committed=committed(),
            account_on_hold=Exists(
                BankDetailsCheck.objects.filter(grant=OuterRef("pk"), state=BankCheckState.PENDING)
            ),
        )
        .select_related(
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
    """The grant's money: the award, what it commits (``committed``, annotated by
    grant_detail, see grants.contracts.commitments), and from its prefetched payments what was
    released, paid, released but not yet paid, and the commitment left to be released."""
    released = sum(
        (p.amount for p in grant.payments.all() if p.kind == PaymentKind.RELEASED), ZERO_EURO
    )
    paid = sum((p.amount for p in grant.payments.all() if p.kind == PaymentKind.PAID), ZERO_EURO)
    return {
        "award": grant.amount,
        "committed": grant.committed,
        "released": released,
        "paid": paid,
        "outstanding": released - paid,
        "remaining": max(grant.committed - released, ZERO_EURO),
    }


def grant_timeline(grant, *, include_internal: bool):
    """The whole story in one log: the application's entries and those of its milestones,
    change requests, final report (and, for staff, the readings of the bank details and the
    accounts named and confirmed)."""
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
        subjects.append((BankDetailsCheck, list(grant.bank_checks.values_list("pk", flat=True))))
    entries = log_of(*subjects)
    if not include_internal:
        entries = entries.filter(visible_to_applicant=True)
    return entries


# What grantees owe: the one definition of each rule, for the reminders
# (grants.services.reminders), the inbox and the pages.


def milestones_awaiting_report():
    """Milestones of running grants whose report the grantee still owes (planned, or changes
    requested); late once their due date has passed."""
    return Milestone.objects.filter(
        state__in=MilestoneStateGroup.AWAITING_REPORT,
        grant__application__state__in=ApplicationStateGroup.RUNNING,
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
    """Released payments that are not paid and in no transfer file (in transfer), oldest
    first; each says whether the grant is on hold (its account waits for confirmation) and
    who confirmed the account as it stands. grants.rules (``grants.export_payment``) has the
    same rule for one payment; ``exportable_by`` applies it to these rows."""
    latest_confirmer = (
        BankDetailsCheck.objects.filter(grant=OuterRef("grant"), state=BankCheckState.CONFIRMED)
        .order_by("-confirmed_at", "-pk")
        .values("confirmed_by")[:1]
    )
    return (
        Payment.objects.filter(
            kind=PaymentKind.RELEASED,
            milestone__state=MilestoneState.ACCEPTED,
            grant__application__in=applications_visible_to(viewer, only="staff"),
        )
        .exclude(Exists(SepaBatchItem.objects.filter(payment=OuterRef("pk"), active=True)))
        .annotate(
            on_hold=Exists(
                BankDetailsCheck.objects.filter(
                    grant=OuterRef("grant"), state=BankCheckState.PENDING
                )
            ),
            account_confirmed_by=Subquery(latest_confirmer),
        )
        .select_related("grant__application", "milestone", "created_by")
        .order_by("created_at", "pk")
    )


def exportable_by(payment, viewer) -> str:
    """Why ``viewer`` may not put this row of payments_to_transfer into a file ("" if they
    may), as the rule grants.export_payment says it (grants.rules.export_blocker)."""
    return export_blocker(
        viewer,
        on_hold=payment.on_hold or not payment.grant.has_bank_details,
        released_by_id=payment.created_by_id,
        confirmed_by_id=payment.account_confirmed_by,
    )


def payments_exportable_by(viewer):
    """The rows of payments_to_transfer that ``viewer`` may put into a transfer file: the
    list twin of ``exportable_by`` (grants.rules.export_blocker), in the database."""
    rows = (
        payments_to_transfer(viewer=viewer).filter(on_hold=False).exclude(grant__iban_encrypted="")
    )
    if four_eyes():
        # (The confirmer is an annotation: NULL, nobody confirmed yet, must stay in.)
        rows = rows.exclude(created_by=viewer).filter(
            Q(account_confirmed_by__isnull=True) | ~Q(account_confirmed_by=viewer.pk)
        )
    return rows


def accounts_to_confirm(*, viewer):
    return (
        BankDetailsCheck.objects.filter(
            state=BankCheckState.PENDING,
            grant__application__in=applications_visible_to(viewer, only="staff"),
        )
        .select_related("grant__application__owner", "requested_by")
        .order_by("requested_at", "pk")
    )


def _batches_seen_by(viewer):
    """Transfer files naming no grant withheld from ``viewer`` (the rule grants.view_batch)."""
    withheld = SepaBatchItem.objects.filter(batch=OuterRef("pk")).exclude(
        payment__grant__application__in=applications_visible_to(viewer, only="staff")
    )
    return SepaBatch.objects.exclude(Exists(withheld))


def sepa_batches(*, viewer, closed_limit=20):
    """The batches in transfer, all of them, then the last closed ones (paid or cancelled);
    without those naming a grant withheld from ``viewer`` (the rule grants.view_batch)."""
    batches = _batches_seen_by(viewer).select_related("created_by", "closed_by")
    return {
        "open": list(batches.filter(state=SepaBatchState.EXPORTED).order_by("created_at", "pk")),
        "closed": list(batches.exclude(state=SepaBatchState.EXPORTED)[:closed_limit]),
    }


def batches_to_mark_paid(*, viewer):
    """Transfer files in transfer that ``viewer`` may mark paid: the list twin of the rule
    grants.mark_batch_paid (with four eyes, not a file with a payment they released)."""
    batches = _batches_seen_by(viewer).filter(state=SepaBatchState.EXPORTED)
    if four_eyes():
        batches = batches.exclude(
            Exists(SepaBatchItem.objects.filter(batch=OuterRef("pk"), payment__created_by=viewer))
        )
    return batches.order_by("created_at", "pk")


def sepa_batch_detail():
    return SepaBatch.objects.select_related("created_by", "closed_by").prefetch_related(
        Prefetch(
            "items",
            queryset=SepaBatchItem.objects.select_related(
                "payment__grant__application", "payment__milestone", "payment__created_by"
            ).order_by("pk"),
        )
    )


def sepa_batch_log(batch):
    return log_of(batch)


def pending_bank_check(grant):
    return grant.bank_checks.filter(state=BankCheckState.PENDING).first()


def bank_checks_of(grant):
    return grant.bank_checks.select_related("requested_by", "confirmed_by").order_by(
        "-requested_at", "-pk"
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
    """Committed, released and paid (disbursed) per call and topic, as grants.contracts.commitments
    defines them; one grouped query. Calls and topics without a signed grant are left out."""
    keys = ("application__call_id", "application__topic_id")
    rows = (
        Grant.objects.filter(accepted_at__isnull=False)
        .values(*keys)
        .annotate(
            committed=Sum(committed()),
            released=Sum(ledger_sum(PaymentKind.RELEASED)),
            paid=Sum(disbursed()),
        )
        .order_by(*keys)
    )
    return [
        {
            "call_id": row["application__call_id"],
            "topic_id": row["application__topic_id"],
            "committed": row["committed"],
            "released": row["released"],
            "paid": row["paid"],
        }
        for row in rows
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
