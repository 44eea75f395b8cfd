"""CSV export of the staff application list, streamed row by row."""

import csv
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> str:
    """Spreadsheets run cells that start like a formula; a leading quote makes them text."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


class _Echo:
    def write(self, value):
        return value


def application_csv_rows(applications, language):
    berlin = ZoneInfo(settings.TIME_ZONE)
    writer = csv.writer(_Echo())
    with translation.override(language):
        yield "\ufeff" + writer.writerow(
            [
                _("Reference"),
                _("Title"),
                _("State"),
                _("Track"),
                _("Topic"),
                _("Applicant name"),
                _("Applicant e-mail"),
                _("Requested amount (€)"),
                _("Hours"),
                _("Submitted at"),
            ]
        )
        for application in applications.iterator(chunk_size=1000):
            submitted = application.submitted_at
            yield writer.writerow(
                csv_safe(value)
                for value in (
                    application.reference,
                    application.title,
                    application.get_state_display(),
                    application.get_track_display(),
                    application.topic.name if application.topic else "",
                    application.owner.full_name,
                    application.owner.email,
                    application.requested_amount,
                    application.total_hours,
                    submitted.astimezone(berlin).isoformat(timespec="seconds") if submitted else "",
                )
            )
