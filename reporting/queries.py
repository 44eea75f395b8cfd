"""Read-side querysets of the reporting app."""

from grants.models import Application, Grant
from grants.visibility import withheld_rows
from reporting.data import PUBLISHED_STATES
from reporting.models import ArchivedReport, ReportOrigin, ReportSubscription
from reporting.rules import reads_reports


def funded_projects_for(user):
    """The funded projects ``user`` may read on the ministry's pages: the list twin of the
    ``reporting.view_project`` rule. Ministry viewers and programme staff see grants whose
    agreement has been signed, except those withheld from them (grants.visibility: a
    conflict of interest of someone who is also a juror)."""
    if not reads_reports.test(user):
        return Grant.objects.none()
    return Grant.objects.filter(application__state__in=PUBLISHED_STATES).exclude(
        application__in=Application.objects.filter(withheld_rows(user)).values("pk")
    )


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
