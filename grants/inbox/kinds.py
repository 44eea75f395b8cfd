"""The grants app's kinds of inbox lines: programme staff's work from screening to the final
report, and what applicants and grantees owe. Each rule is the query the pages and the
reminders use (grants/queries.py, grants/contracts/queries.py,
grants/conversations/queries.py); registered by GrantsConfig.ready."""

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.roles import Role
from core.formats import euro
from grants import queries
from grants.contracts import queries as contract_queries
from grants.conversations import queries as conversation_queries
from grants.inbox.registry import Kind, Line, register
from grants.models import MilestoneReport


def application_title(application) -> str:
    return f"{application.reference} {application.title}".strip()


def grant_title(grant, what="") -> str:
    title = f"{grant.funding_reference} {grant.application.title}".strip()
    return f"{title} – {what}" if what else title


def _staff_list(state):
    def url(call):
        if call is None:
            return None
        return reverse("staff_application_list", args=[call.slug]) + f"?state={state}"

    return url


def _fixed(url_name, anchor=""):
    return lambda call: reverse(url_name) + anchor


# Programme staff.


def _reports_to_check(user, today):
    latest = (
        MilestoneReport.objects.filter(milestone=OuterRef("pk"), submitted_at__isnull=False)
        .order_by("-submitted_at")
        .values("submitted_at")[:1]
    )
    return contract_queries.reports_to_check(viewer=user).annotate(
        report_submitted_at=Subquery(latest)
    )


def _unread_line(application, today):
    return Line(
        title=application_title(application),
        url=reverse("conversation", args=[application.pk]),
        since=application.unread_since,
        detail=ngettext("%(count)s new message", "%(count)s new messages", application.unread_count)
        % {"count": application.unread_count},
    )


STAFF_KINDS = (
    Kind(
        key="staff_unread_messages",
        audience=Role.STAFF,
        heading=gettext_lazy("New messages from applicants"),
        rows=lambda user, today: conversation_queries.threads_unread_by_staff(viewer=user),
        line=_unread_line,
        call_path="call_id",
        claimable=True,
        position=5,
    ),
    Kind(
        key="applications_to_screen",
        audience=Role.STAFF,
        heading=gettext_lazy("Applications to screen"),
        rows=lambda user, today: queries.applications_to_screen(viewer=user),
        line=lambda application, today: Line(
            title=application_title(application),
            url=reverse("staff_application_detail", args=[application.pk]) + "#screening",
            since=application.submitted_at,
            detail=application.call.title,
        ),
        call_path="call_id",
        claimable=True,
        all_url=_staff_list("submitted"),
        position=10,
    ),
    Kind(
        key="answers_received",
        audience=Role.STAFF,
        heading=gettext_lazy("Answers received: ready to screen"),
        rows=lambda user, today: queries.applications_awaiting_screening(viewer=user),
        line=lambda application, today: Line(
            title=application_title(application),
            url=reverse("staff_application_detail", args=[application.pk]) + "#questions",
            since=application.last_answered_at,
            detail=application.call.title,
        ),
        call_path="call_id",
        claimable=True,
        all_url=_staff_list("submitted"),
        position=20,
    ),
    Kind(
        key="questions_overdue",
        audience=Role.STAFF,
        heading=gettext_lazy("Questions overdue: no answer yet"),
        rows=lambda user, today: queries.overdue_questions(viewer=user, today=today),
        line=lambda question, today: Line(
            title=application_title(question.application),
            url=reverse("staff_application_detail", args=[question.application_id]) + "#questions",
            due_on=question.due_on,
            detail=question.application.call.title,
        ),
        call_path="application__call_id",
        position=30,
    ),
    Kind(
        key="agreements_to_prepare",
        audience=Role.STAFF,
        heading=gettext_lazy("Agreements to prepare"),
        rows=lambda user, today: contract_queries.agreements_to_prepare(viewer=user),
        line=lambda application, today: Line(
            title=application_title(application),
            url=reverse("staff_application_detail", args=[application.pk]),
            since=application.decided_at,
            detail=application.call.title,
            action=(
                reverse("staff_agreement_prepare", args=[application.pk]),
                _("Prepare the agreement"),
            ),
        ),
        call_path="call_id",
        claimable=True,
        position=50,
    ),
    Kind(
        key="agreements_to_send",
        audience=Role.STAFF,
        heading=gettext_lazy("Agreements to check and send"),
        rows=lambda user, today: contract_queries.agreements_to_send(viewer=user),
        line=lambda grant, today: Line(
            title=grant_title(grant),
            url=reverse("staff_agreement", args=[grant.pk]),
            since=grant.prepared_at,
            detail=grant.application.call.title,
        ),
        call_path="application__call_id",
        position=55,
    ),
    Kind(
        key="agreements_unsigned",
        audience=Role.STAFF,
        heading=gettext_lazy("Agreements sent and not signed"),
        rows=lambda user, today: contract_queries.agreements_unsigned(
            viewer=user, days=settings.AGREEMENT_UNSIGNED_AFTER_DAYS
        ),
        line=lambda grant, today: Line(
            title=grant_title(grant),
            url=reverse("staff_grant", args=[grant.pk]),
            since=grant.offered_at,
            detail=grant.application.owner.get_full_name(),
        ),
        call_path="application__call_id",
        position=60,
        reads_clock=True,  # sent at least … days ago, to the minute
    ),
    Kind(
        key="milestone_reports_to_check",
        audience=Role.STAFF,
        heading=gettext_lazy("Milestone reports to check"),
        rows=_reports_to_check,
        line=lambda milestone, today: Line(
            title=grant_title(milestone.grant, str(milestone)),
            url=reverse("staff_milestone", args=[milestone.pk]),
            since=milestone.report_submitted_at,
        ),
        call_path="grant__application__call_id",
        claimable=True,
        position=70,
    ),
    Kind(
        key="change_requests",
        audience=Role.STAFF,
        heading=gettext_lazy("Change requests to decide"),
        rows=lambda user, today: contract_queries.change_requests_pending(viewer=user),
        line=lambda change, today: Line(
            title=grant_title(change.grant),
            url=reverse("staff_grant", args=[change.grant_id]) + "#changes",
            since=change.requested_at,
            detail=change.get_kind_display(),
        ),
        call_path="grant__application__call_id",
        claimable=True,
        position=80,
    ),
    Kind(
        key="accounts_to_confirm",
        audience=Role.STAFF,
        heading=gettext_lazy("Changed bank accounts to confirm"),
        rows=lambda user, today: contract_queries.accounts_to_confirm(viewer=user),
        line=lambda check, today: Line(
            title=grant_title(check.grant),
            url=reverse("staff_bank_details", args=[check.grant_id]),
            since=check.requested_at,
            detail=f"{check.grant.application.owner.get_full_name()} · {check.get_reason_display()}",
        ),
        call_path="grant__application__call_id",
        all_url=_fixed("staff_finance", "#accounts-heading"),
        position=85,
    ),
    Kind(
        key="payments_to_transfer",
        audience=Role.STAFF,
        heading=gettext_lazy("Payments to put into a transfer file"),
        rows=lambda user, today: contract_queries.payments_exportable_by(user),
        line=lambda payment, today: Line(
            title=grant_title(payment.grant, str(payment.milestone)),
            url=reverse("staff_finance") + "#transfer-heading",
            since=payment.created_at,
            detail=_("released by %(name)s") % {"name": payment.created_by.get_full_name()},
        ),
        call_path="grant__application__call_id",
        all_url=_fixed("staff_finance", "#transfer-heading"),
        position=90,
    ),
    Kind(
        key="batches_to_mark_paid",
        audience=Role.STAFF,
        heading=gettext_lazy("Transfer files to mark paid"),
        rows=lambda user, today: contract_queries.batches_to_mark_paid(viewer=user),
        line=lambda batch, today: Line(
            title=batch.file_name,
            url=reverse("staff_sepa_batch", args=[batch.pk]),
            since=batch.created_at,
            detail=ngettext(
                "%(count)s payment, %(total)s", "%(count)s payments, %(total)s", batch.payment_count
            )
            % {"count": batch.payment_count, "total": euro(batch.total)},
        ),
        all_url=_fixed("staff_finance", "#batches-heading"),
        position=95,
    ),
    Kind(
        key="final_reports_to_check",
        audience=Role.STAFF,
        heading=gettext_lazy("Final reports to check"),
        rows=lambda user, today: contract_queries.final_reports_to_review(viewer=user),
        line=lambda grant, today: Line(
            title=grant_title(grant),
            url=reverse("staff_final_report", args=[grant.pk]),
            since=grant.final_report.submitted_at,
        ),
        call_path="application__call_id",
        claimable=True,
        position=100,
    ),
    Kind(
        key="final_reports_due",
        audience=Role.STAFF,
        heading=gettext_lazy("Final reports due from grantees"),
        rows=lambda user, today: contract_queries.final_reports_outstanding(viewer=user),
        line=lambda grant, today: Line(
            title=grant_title(grant),
            url=reverse("staff_grant", args=[grant.pk]),
            due_on=grant.final_report_due_on,
            detail=grant.final_report.get_state_display(),
        ),
        call_path="application__call_id",
        position=110,
    ),
    Kind(
        key="milestone_reports_overdue",
        audience=Role.STAFF,
        heading=gettext_lazy("Milestone reports overdue"),
        rows=lambda user, today: contract_queries.milestone_reports_overdue(
            viewer=user, today=today
        ),
        line=lambda milestone, today: Line(
            title=grant_title(milestone.grant, str(milestone)),
            url=reverse("staff_grant", args=[milestone.grant_id]),
            due_on=milestone.due_on,
            detail=milestone.get_state_display(),
        ),
        call_path="grant__application__call_id",
        all_url=_fixed("staff_overdue"),
        position=120,
    ),
)


# Applicants and grantees.

APPLICANT_KINDS = (
    Kind(
        key="team_unread_messages",
        audience=Role.APPLICANT,
        heading=gettext_lazy("New messages from the programme staff"),
        rows=lambda user, today: conversation_queries.threads_unread_by_team(user),
        line=_unread_line,
        call_path="call_id",
        position=5,
    ),
    Kind(
        key="questions_to_answer",
        audience=Role.APPLICANT,
        heading=gettext_lazy("Questions to answer"),
        rows=lambda user, today: queries.questions_to_answer(user),
        line=lambda question, today: Line(
            title=application_title(question.application),
            url=reverse("application_answer", args=[question.application_id]),
            since=question.asked_at,
            due_on=question.due_on,
        ),
        call_path="application__call_id",
        position=10,
    ),
    Kind(
        key="agreements_to_sign",
        audience=Role.APPLICANT,
        heading=gettext_lazy("Grant agreements to sign"),
        rows=lambda user, today: contract_queries.agreements_to_sign(user),
        line=lambda grant, today: Line(
            title=grant_title(grant),
            url=reverse("grantee_agreement", args=[grant.pk]),
            since=grant.offered_at,
        ),
        call_path="application__call_id",
        position=20,
    ),
    Kind(
        key="milestone_reports_due",
        audience=Role.APPLICANT,
        heading=gettext_lazy("Milestone reports due"),
        rows=lambda user, today: contract_queries.milestone_reports_due(user, today),
        line=lambda milestone, today: Line(
            title=grant_title(milestone.grant, str(milestone)),
            url=reverse("grantee_milestone_report", args=[milestone.pk]),
            due_on=milestone.due_on,
            detail=milestone.get_state_display(),
        ),
        call_path="grant__application__call_id",
        position=30,
    ),
    Kind(
        key="final_reports_to_write",
        audience=Role.APPLICANT,
        heading=gettext_lazy("Final reports to write"),
        rows=lambda user, today: contract_queries.final_reports_due(user),
        line=lambda grant, today: Line(
            title=grant_title(grant),
            url=reverse("grantee_final_report", args=[grant.pk]),
            due_on=grant.final_report_due_on,
            detail=grant.final_report.get_state_display(),
        ),
        call_path="application__call_id",
        position=40,
    ),
    Kind(
        key="drafts_to_submit",
        audience=Role.APPLICANT,
        heading=gettext_lazy("Drafts to submit before the deadline"),
        rows=lambda user, today: queries.drafts_to_submit(user),
        line=lambda application, today: Line(
            title=application_title(application) or application.reference,
            url=reverse("application_edit", args=[application.pk]),
            due_on=application.call.closing_day,
            detail=application.call.title,
        ),
        call_path="call_id",
        position=50,
        reads_clock=True,  # the call takes submissions now
    ),
)


def register_kinds() -> None:
    for kind in (*STAFF_KINDS, *APPLICANT_KINDS):
        register(kind)
