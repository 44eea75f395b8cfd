"""Read-side querysets of the reporting app."""

from django.db.models import Exists, OuterRef

from grants.models import Fund, Grant
from grants.states import CallState
from grants.visibility import withheld_applications
from reporting.data import PUBLISHED_STATES
from reporting.models import ArchivedReport, IndicatorTarget, ReportOrigin, ReportSubscription
from reporting.rules import reads_reports
from review.models import ConflictOfInterest, SelectionRecord
from review.states import BLOCKING_CONFLICTS


def funded_projects_for(user):
    """The funded projects ``user`` may read on the ministry's pages: the list twin of the
    ``reporting.view_project`` rule. Ministry viewers and programme staff see grants whose
    agreement has been signed, except those withheld from them (grants.visibility: a
    conflict of interest of someone who is also a juror)."""
    if not reads_reports.test(user):
        return Grant.objects.none()
    projects = Grant.objects.filter(application__state__in=PUBLISHED_STATES)
    withheld = withheld_applications(user)
    return projects if withheld is None else projects.exclude(application__in=withheld)


def archived_reports():
    """Every archived report, the newest first, with who asked for it."""
    return ArchivedReport.objects.select_related("requested_by").order_by("-requested_at", "-pk")


def archived_reports_for(user):
    """The archived reports ``user`` may open: the list twin of the
    ``reporting.view_archived_report`` rule (none that names a project withheld from them)."""
    if not reads_reports.test(user):
        return ArchivedReport.objects.none()
    withheld = withheld_applications(user)
    if withheld is None:
        return archived_reports()
    names_withheld = ArchivedReport.named_grants.through.objects.filter(
        archivedreport=OuterRef("pk"), grant__application__in=withheld
    )
    return archived_reports().exclude(Exists(names_withheld))


def archived_report(pk):
    return ArchivedReport.objects.select_related("requested_by").filter(pk=pk)


def quarterly_reports():
    return archived_reports().filter(origin=ReportOrigin.QUARTERLY)


def subscription_of(user) -> ReportSubscription | None:
    return ReportSubscription.objects.filter(user=user).first()


def has_published_grants() -> bool:
    return Grant.objects.filter(application__state__in=PUBLISHED_STATES).exists()


def the_fund():
    return Fund.objects.order_by("pk").first()


def targets_of(fund, call=None) -> dict:
    """The targets set for ``fund`` (``call`` None) or one of its calls: indicator → value."""
    rows = IndicatorTarget.objects.filter(fund=fund, call=call, value__isnull=False)
    return dict(rows.values_list("indicator", "value"))


def selection_records_for(user):
    """The selection records of decided calls whose ministry version ``user`` may read:
    the list twin of ``reporting.download_ministry_selection_record`` (not of a call where
    they, also a juror, have a conflict), the most recently decided first (one query)."""
    if not reads_reports.test(user):
        return SelectionRecord.objects.none()
    conflicted = ConflictOfInterest.objects.filter(
        juror_id=user.pk, application__call=OuterRef("call"), status__in=BLOCKING_CONFLICTS
    )
    return (
        SelectionRecord.objects.filter(call__state__in=(CallState.DECIDED, CallState.ARCHIVED))
        .exclude(Exists(conflicted))
        .select_related("call")
        .order_by("-sealed_at", "-pk")
    )
