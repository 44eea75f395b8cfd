"""Making reports: a PDF of a selection, archived with its parameters, time and SHA-256.

Small reports are made at once, in the request. A report over several calls, or with more
than ``SYNC_MAX_PROJECTS`` project pages, runs as a background task (django-tasks; the
worker is ``manage.py run_worker``) and writes its progress to the archived row, which the
report's page shows until the download is ready."""

import hashlib
import logging
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import may
from core.errors import WorkflowError
from core.storage import private_storage
from grants.models import Application, Call, Grant, Topic
from reporting import data as report_data
from reporting.data import PUBLISHED_STATES
from reporting.filters import ReportFilter
from reporting.models import ArchivedReport, ReportOrigin, ReportStatus
from reporting.pdf import render_pdf, report_html
from reporting.project_texts import load_project_texts
from reporting.report import appendix_grant_ids, build_report

logger = logging.getLogger(__name__)

SYNC_MAX_PROJECTS = 30
ARCHIVE_FOLDER = "reports"
FIRST_DAY_YEAR, LAST_DAY_YEAR = 2000, 2099


def check_selection(selection: ReportFilter) -> None:
    """Refuse a selection that names no existing call or topic, or an impossible period."""
    errors = {}
    if selection.call and not Call.objects.filter(slug=selection.call).exists():
        errors["call"] = [_("There is no call with this short name.")]
    if selection.topic and not Topic.objects.filter(slug=selection.topic).exists():
        errors["topic"] = [_("There is no topic with this short name.")]
    for name in ("date_from", "date_to"):
        day = getattr(selection, name)
        if day is not None and not FIRST_DAY_YEAR <= day.year <= LAST_DAY_YEAR:
            errors[name] = [_("Enter a date between 2000 and 2099.")]
    if selection.date_from and selection.date_to and selection.date_from > selection.date_to:
        errors["date_to"] = [_("The end of the period lies before its start.")]
    if errors:
        raise WorkflowError(_("Please correct the selection."), field_errors=errors)


def runs_in_background(selection: ReportFilter, *, appendix: bool) -> bool:
    """Several calls, or many project pages: too much for one web request. Decided with two
    counts, before anything is loaded."""
    if not selection.call:
        calls = Application.objects.filter(submitted_at__isnull=False).values("call").distinct()
        if calls.count() > 1:
            return True
    return appendix and appendix_project_count(selection) > SYNC_MAX_PROJECTS


def appendix_project_count(selection: ReportFilter) -> int:
    """How many project pages the appendix would have: the published grants of the call
    and topic whose funding period meets the period (reporting.periods.Window, the rule
    reporting.figures.projects applies to the loaded data)."""
    projects = Grant.objects.filter(application__state__in=PUBLISHED_STATES)
    if selection.call:
        projects = projects.filter(application__call__slug=selection.call)
    if selection.topic:
        projects = projects.filter(application__topic__slug=selection.topic)
    return projects.filter(**selection.window.lookups("starts_on", "ends_on")).count()


def _new_report(*, actor, origin, selection, language, appendix) -> ArchivedReport:
    if actor is not None and not may(actor, "reporting.request_report"):
        raise WorkflowError(_("You may not request reports."))
    check_selection(selection)
    if language not in dict(settings.LANGUAGES):
        raise WorkflowError(_("Choose German or English."))
    return ArchivedReport.objects.create(
        origin=origin,
        language=language,
        parameters=selection.params(),
        appendix=appendix,
        requested_by=actor,
    )


def request_report(
    *, actor, selection: ReportFilter, language: str, appendix: bool
) -> ArchivedReport:
    """Archive a new report of ``selection``; make it now if it is small, otherwise queue it."""
    report = _new_report(
        actor=actor,
        origin=ReportOrigin.REQUEST,
        selection=selection,
        language=language,
        appendix=appendix,
    )
    if runs_in_background(selection, appendix=appendix):
        from reporting.tasks import make_report_task

        transaction.on_commit(lambda: make_report_task.enqueue(report_id=report.pk))
        return report
    return make_report(report=report)


def archive_report(
    *, actor, origin: str, selection: ReportFilter, language: str, appendix: bool
) -> ArchivedReport:
    """Archive a new report and make it now, whatever its size (the command line; ``actor``
    None for the system)."""
    report = _new_report(
        actor=actor, origin=origin, selection=selection, language=language, appendix=appendix
    )
    return make_report(report=report)


def _set_progress(report: ArchivedReport, percent: int, **fields) -> None:
    """Written at once (a single UPDATE), so that the report's page can show it."""
    report.progress = percent
    for name, value in fields.items():
        setattr(report, name, value)
    ArchivedReport.objects.filter(pk=report.pk).update(progress=percent, **fields)


def make_report(*, report: ArchivedReport, data=None) -> ArchivedReport:
    """Make the PDF of an archived report and store it with its SHA-256. A failure is
    recorded on the report (and logged) instead of leaving it waiting for ever; the caller
    reads ``status``."""
    _set_progress(report, 5, status=ReportStatus.RUNNING, started_at=timezone.now())
    try:
        selection = ReportFilter.from_params(report.parameters)
        today = timezone.localdate()
        # Made for the person who asked: nothing withheld from them is named in it.
        data = data or report_data.load(viewer=report.requested_by)
        _set_progress(report, 20)
        texts = (
            load_project_texts(appendix_grant_ids(data, selection, today))
            if report.appendix
            else None
        )
        built = build_report(
            data,
            selection,
            language=report.language,
            today=today,
            made_at=timezone.now(),
            fund_name=data.fund_name,
            appendix=report.appendix,
            texts=texts,
        )
        _set_progress(report, 35)
        html = report_html(built)
        _set_progress(report, 45)
        rendered = render_pdf(html, progress=lambda step: _set_progress(report, 85))
        stored_name = f"{ARCHIVE_FOLDER}/{uuid.uuid4().hex}.pdf"
        private_storage().save(stored_name, ContentFile(rendered.content))
        # Recorded before the file can be read: who may open it depends on them.
        report.named_grants.set(built.named_grants)
        _set_progress(
            report,
            100,
            status=ReportStatus.DONE,
            finished_at=timezone.now(),
            stored_name=stored_name,
            size=len(rendered.content),
            pages=rendered.pages,
            projects=built.project_count,
            sha256=hashlib.sha256(rendered.content).hexdigest(),
        )
    except Exception as error:
        logger.exception("Report %s failed", report.pk)
        _set_progress(
            report,
            report.progress,
            status=ReportStatus.FAILED,
            finished_at=timezone.now(),
            error=f"{type(error).__name__}: {error}"[:2000],
        )
    return report


def report_file(report: ArchivedReport):
    """The stored PDF, opened for reading (only for done reports)."""
    return private_storage().open(report.stored_name, "rb")
