"""Exports of the staff application list: CSV for machines (comma, dot decimals, ISO 8601
times, streamed row by row) and XLSX for people (typed cells: numbers, dates and text, so
that a German or an English Excel or LibreOffice shows them in its own way)."""

from django.utils import translation
from django.utils.translation import gettext as _

from core.spreadsheets import (
    COUNT,
    DATETIME,
    EURO,
    TEXT,
    Sheet,
    csv_lines,
    with_kinds,
    workbook_bytes,
)

KINDS = [TEXT] * 7 + [EURO, COUNT, DATETIME]
WIDTHS = [18, 40, 16, 22, 16, 24, 30, 16, 8, 24]


def _headers():
    return [
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


def _values(application):
    """One row: reference, title, state, track, topic, name, e-mail, amount, hours, time."""
    return (
        application.reference,
        application.title,
        application.get_state_display(),
        application.get_track_display(),
        application.topic.name if application.topic else "",
        application.owner.full_name,
        application.owner.email,
        application.requested_amount,
        application.total_hours,
        application.submitted_at,
    )


def _rows(applications):
    for application in applications.iterator(chunk_size=1000):
        yield _values(application)


def application_csv_rows(applications, language):
    with translation.override(language):
        yield from csv_lines(_headers(), with_kinds(_rows(applications), KINDS))


def application_xlsx(applications, language, *, title="") -> bytes:
    """The list as an .xlsx workbook: one header row (bold, frozen, with filters), text as
    text, the amount as a number in euros, hours as a whole number and the submission time
    as a date and time in Berlin time."""
    with translation.override(language):
        sheet = Sheet(
            title=_("Applications"),
            labels=_headers(),
            rows=with_kinds(_rows(applications), KINDS),
            widths=WIDTHS,
            filters=True,
        )
        return workbook_bytes([sheet], language=language, title=title)
