"""Background work of the reporting app (django-tasks; the worker is `manage.py run_worker`)."""

from django_tasks import task

from reporting.models import ArchivedReport, ReportStatus


@task()
def make_report_task(*, report_id: int):
    from reporting.services.reports import make_report

    report = ArchivedReport.objects.get(pk=report_id)
    if report.status == ReportStatus.QUEUED:  # not twice, if the task is delivered again
        make_report(report=report)
