"""``manage.py ministry_report --output report.pdf [--call SLUG] [--topic SLUG]
[--from DATE --to DATE] [--lang de|en] [--no-appendix]``: the ministry's PDF progress
report, archived like every report (its parameters, time and SHA-256)."""

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.errors import WorkflowError
from reporting.filters import ReportFilter
from reporting.models import ReportOrigin, ReportStatus
from reporting.services.reports import archive_report, report_file


def day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value}") from error


class Command(BaseCommand):
    help = "Write the ministry's PDF progress report (and archive it)."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="Where to write the PDF.")
        parser.add_argument("--call", default="", help="Only this call (its short name).")
        parser.add_argument("--topic", default="", help="Only this topic (its short name).")
        parser.add_argument("--from", dest="date_from", type=day, help="Start of the period.")
        parser.add_argument("--to", dest="date_to", type=day, help="End of the period.")
        parser.add_argument("--lang", choices=["de", "en"], default="de")
        parser.add_argument(
            "--no-appendix", action="store_true", help="Without one page per funded project."
        )

    def handle(self, *args, output, call, topic, date_from, date_to, lang, no_appendix, **options):
        selection = ReportFilter(call=call, topic=topic, date_from=date_from, date_to=date_to)
        try:
            report = archive_report(
                actor=None,
                origin=ReportOrigin.COMMAND,
                selection=selection,
                language=lang,
                appendix=not no_appendix,
            )
        except WorkflowError as error:
            details = "; ".join(
                str(m) for messages in error.field_errors.values() for m in messages
            )
            raise CommandError(f"{error.message} {details}") from error
        if report.status != ReportStatus.DONE:
            raise CommandError(f"The report failed: {report.error}")
        target = Path(output)
        with report_file(report) as source:
            target.write_bytes(source.read())
        self.stdout.write(
            f"{target}: {report.pages} pages, {report.projects} projects, "
            f"sha256 {report.sha256} (archived as report {report.pk})"
        )
