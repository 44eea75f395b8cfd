"""Exports of the staff application list: CSV for machines (comma, dot decimals, ISO 8601
times, streamed row by row) and XLSX for people (typed cells: numbers, dates and text, so
that a German or an English Excel or LibreOffice shows them in its own way)."""

from django.utils import translation
from django.utils.translation import gettext as _

from core.spreadsheets import (
    COUNT,
    DATE,
    DATETIME,
    EURO,
    TEXT,
    Sheet,
    csv_lines,
    with_kinds,
    workbook_bytes,
)
from grants.questions import display, shown, values_of
from grants.states import QuestionKind

KINDS = [TEXT] * 7 + [EURO, COUNT, DATETIME]
WIDTHS = [18, 40, 16, 22, 16, 24, 30, 16, 8, 24]
# An answer's cell: typed where the kind has a type, else its text as a page shows it.
ANSWER_KINDS = {QuestionKind.NUMBER: COUNT, QuestionKind.AMOUNT: EURO, QuestionKind.DATE: DATE}


def _headers(questions=(), columns=()):
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
        *(question.label for question in questions),
        *(str(column.label) for column in columns),
    ]


def _kinds(questions, columns=()):
    return (
        KINDS
        + [ANSWER_KINDS.get(question.kind, TEXT) for question in questions]
        + [column.kind for column in columns]
    )


def _answers(application, questions) -> tuple:
    """The application's answers to ``questions`` (the call's), those shown only: a
    question that does not apply to it (its condition unmet) stays empty."""
    values = values_of(questions, application)
    applying = {question.pk for question in shown(questions, values)}
    cells = []
    for question in questions:
        value = values[question.pk] if question.pk in applying else None
        if question.kind in ANSWER_KINDS or value is None:
            cells.append(value)
        else:
            cells.append(display(question, value))
    return tuple(cells)


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


def _rows(applications, questions, columns):
    # The answers come with each chunk of rows (prefetched by the caller); the other apps'
    # columns were read for the whole call before the first row (grants.export_columns).
    for application in applications.iterator(chunk_size=1000):
        yield (
            _values(application)
            + _answers(application, questions)
            + tuple(column.value(application) for column in columns)
        )


def application_csv_rows(applications, language, questions=(), columns=()):
    """The list as CSV rows, a column per question of the call (``questions``), then the
    other apps' ``columns`` (grants.export_columns: scores, ranks, decisions)."""
    with translation.override(language):
        yield from csv_lines(
            _headers(questions, columns),
            with_kinds(_rows(applications, questions, columns), _kinds(questions, columns)),
        )


def application_xlsx(applications, language, *, title="", questions=(), columns=()) -> bytes:
    """The list as an .xlsx workbook: one header row (bold, frozen, with filters), text as
    text, the amount as a number in euros, hours as a whole number and the submission time
    as a date and time in Berlin time; then a column per question (numbers, amounts and
    dates typed, the rest as text) and the other apps' ``columns``, typed as they say."""
    with translation.override(language):
        sheet = Sheet(
            title=_("Applications"),
            labels=_headers(questions, columns),
            rows=with_kinds(_rows(applications, questions, columns), _kinds(questions, columns)),
            widths=WIDTHS + [30] * len(questions) + [column.width for column in columns],
            filters=True,
        )
        return workbook_bytes([sheet], language=language, title=title)
