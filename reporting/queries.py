"""Read-side querysets of the reporting app."""

from grants.models import Grant
from reporting.data import PUBLISHED_STATES
from reporting.models import ArchivedReport, ReportOrigin, ReportSubscription


def archived_reports():
    """Every archived report, the newest first, with who asked for it."""
    return ArchivedReport.objects.select_related("requested_by").order_by("-requested_at", "-pk")


def archived_report(pk):
    return ArchivedReport.objects.select_related("requested_by").filter(pk=pk)


def quarterly_reports():
    return archived_reports().filter(origin=ReportOrigin.QUARTERLY)


def subscription_of(user) -> ReportSubscription | None:
    return ReportSubscription.objects.filter(user=user).first()


def has_published_grants() -> bool:
    return Grant.objects.filter(application__state__in=PUBLISHED_STATES).exists()
