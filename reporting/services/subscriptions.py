"""Quarterly reports by e-mail: ministry viewers subscribe; a daily command sends each
subscriber the report of the quarter that has just ended, once.

Idempotent: one quarterly report per quarter and language (a unique constraint), one
delivery per subscriber and quarter (another). The e-mail carries a link to the archived
report, which stays behind sign-in and the second factor, and its SHA-256."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import may
from core.errors import WorkflowError
from reporting.filters import ReportFilter
from reporting.models import (
    ArchivedReport,
    QuarterlyDelivery,
    ReportOrigin,
    ReportStatus,
    ReportSubscription,
)
from reporting.periods import Quarter, last_finished_quarter
from reporting.services.reports import make_report
from workflow.notifications import notify


def subscribe(*, user, language: str) -> ReportSubscription:
    if not may(user, "reporting.subscribe"):
        raise WorkflowError(_("Only ministry viewers can subscribe to the quarterly report."))
    with transaction.atomic():
        subscription, created = ReportSubscription.objects.select_for_update().get_or_create(
            user=user,
            defaults={"language": language, "subscribed_at": timezone.now()},
        )
        if not created:
            if not subscription.active:
                subscription.subscribed_at = timezone.now()
            subscription.active, subscription.ended_at = True, None
            subscription.language = language
            subscription.save()
    return subscription


def unsubscribe(*, user) -> ReportSubscription | None:
    if not may(user, "reporting.subscribe"):
        raise WorkflowError(_("Only ministry viewers can subscribe to the quarterly report."))
    with transaction.atomic():
        subscription = ReportSubscription.objects.select_for_update().filter(user=user).first()
        if subscription is not None and subscription.active:
            subscription.active, subscription.ended_at = False, timezone.now()
            subscription.save(update_fields=["active", "ended_at"])
    return subscription


def quarterly_report(quarter: Quarter, language: str) -> ArchivedReport:
    """The quarter's report in ``language``: made once (again only if it failed)."""
    selection = ReportFilter(date_from=quarter.start, date_to=quarter.end)
    try:
        with transaction.atomic():
            report, _created = ArchivedReport.objects.get_or_create(
                origin=ReportOrigin.QUARTERLY,
                quarter=str(quarter),
                language=language,
                # The summary: the project pages of every running project are a report
                # of their own, made on request.
                defaults={"parameters": selection.params(), "appendix": False},
            )
    except IntegrityError:  # made by a parallel run a moment ago
        report = ArchivedReport.objects.get(
            origin=ReportOrigin.QUARTERLY, quarter=str(quarter), language=language
        )
    if report.status in (ReportStatus.QUEUED, ReportStatus.FAILED):
        ArchivedReport.objects.filter(pk=report.pk).update(status=ReportStatus.QUEUED, error="")
        report.refresh_from_db()
        make_report(report=report)
    return report


def send_quarterly_reports(*, today: dt.date | None = None) -> int:
    """Send the last finished quarter's report to every active subscriber who subscribed
    before that quarter ended and has not received it. Returns the number of e-mails."""
    today = today or timezone.localdate()
    quarter = last_finished_quarter(today)
    delivered = QuarterlyDelivery.objects.filter(quarter=str(quarter)).values("subscription")
    due = (
        ReportSubscription.objects.filter(active=True)
        .exclude(pk__in=delivered)
        .select_related("user")
        .order_by("pk")
    )
    due = [s for s in due if timezone.localdate(s.subscribed_at) <= quarter.end]
    reports = {}
    sent = 0
    for subscription in due:
        language = subscription.language
        if language not in reports:
            reports[language] = quarterly_report(quarter, language)
        report = reports[language]
        if report.status != ReportStatus.DONE:
            continue  # tried again tomorrow
        try:
            with transaction.atomic():
                QuarterlyDelivery.objects.create(
                    subscription=subscription, quarter=str(quarter), report=report
                )
                notify(
                    to=subscription.user,
                    template="quarterly_report",
                    context={"report": report, "quarter": str(quarter)},
                )
        except IntegrityError:  # delivered by a parallel run
            continue
        sent += 1
    return sent
