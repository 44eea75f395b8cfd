"""Exports of the staff application list: CSV for machines (comma, dot decimals, ISO 8601
times, streamed row by row) and XLSX for people (typed cells: numbers, dates and text, so
that a German or an English Excel or LibreOffice shows them in its own way)."""

import csv
import io
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# Spreadsheet formats per language. The separators in "#,##0.00" are placeholders that the
# spreadsheet shows in the reader's own way; the [$-…] codes fix the month names.
XLSX_FORMATS = {
    "de": {"money": '#,##0.00\\ "€"', "datetime": "[$-407]d. mmmm yyyy, hh:mm"},
    "en": {"money": '"€"#,##0.00', "datetime": "[$-809]d mmmm yyyy, hh:mm"},
}


def csv_safe(value) -> str:
    """Spreadsheets run cells that start like a formula; a leading quote makes them text."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


class _Echo:
    def write(self, value):
        return value


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


def application_csv_rows(applications, language):
    berlin = ZoneInfo(settings.TIME_ZONE)
    writer = csv.writer(_Echo())
    with translation.override(language):
        yield "\ufeff" + writer.writerow(_headers())
        for application in applications.iterator(chunk_size=1000):
            *texts, submitted = _values(application)
            submitted = (
                submitted.astimezone(berlin).isoformat(timespec="seconds") if submitted else ""
            )
            yield writer.writerow(csv_safe(value) for value in (*texts, submitted))


def _text_cell(sheet, value):
    cell = WriteOnlyCell(sheet, value=value or "")
    cell.data_type = "s"  # text, even if it starts like a formula ("=…")
    return cell


def application_xlsx(applications, language, *, title="") -> bytes:
    """The list as an .xlsx workbook: one header row (bold, frozen, with filters), text as
    text, the amount as a number in euros, hours as a whole number and the submission time
    as a date and time in Berlin time."""
    berlin = ZoneInfo(settings.TIME_ZONE)
    formats = XLSX_FORMATS["de" if language.startswith("de") else "en"]
    workbook = Workbook(write_only=True)
    with translation.override(language):
        sheet = workbook.create_sheet(_("Applications")[:31])
        sheet.freeze_panes = "A2"
        for column, width in zip(
            "ABCDEFGHIJ", (18, 40, 16, 22, 16, 24, 30, 16, 8, 24), strict=True
        ):
            sheet.column_dimensions[column].width = width
        header = []
        for text in _headers():
            cell = WriteOnlyCell(sheet, value=text)
            cell.font = Font(bold=True)
            header.append(cell)
        sheet.append(header)
        rows = 0
        for application in applications.iterator(chunk_size=1000):
            *texts, amount, hours, submitted = _values(application)
            money = WriteOnlyCell(sheet, value=amount)
            money.number_format = formats["money"]
            moment = WriteOnlyCell(
                sheet,
                value=submitted.astimezone(berlin).replace(tzinfo=None) if submitted else None,
            )
            moment.number_format = formats["datetime"]
            sheet.append(
                [
                    *(_text_cell(sheet, text) for text in texts),
                    money,
                    WriteOnlyCell(sheet, hours),
                    moment,
                ]
            )
            rows += 1
        sheet.auto_filter.ref = f"A1:J{rows + 1}"
        workbook.properties.title = title[:200]
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
