"""Drawdown requests (Mittelabruf): staff ask the ministry for the money to pay what falls
due. A request covers every milestone of a signed agreement due by the end of its period
that no earlier request covered; it is recorded with who, when, period, amount and the
SHA-256 of its PDF and XLSX, and a milestone is in one request only (a unique row)."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import may
from core import spreadsheets as sheets
from core.errors import WorkflowError
from core.forms import FIRST_DAY, LAST_DAY
from core.identity import fund_name, reference_prefix
from core.pdf import render_template_pdf
from core.storage import store_generated_file
from grants import events
from grants.contracts import budget_queries
from grants.contracts.budget import drawdown_lines
from grants.models import Drawdown, DrawdownLine, Fund
from workflow.audit import log_event

FOLDER = "drawdowns"
PERIOD_DAYS_MAX = 366


def the_fund() -> Fund | None:
    """The fund this installation runs (core.identity), or the only one there is."""
    return (
        Fund.objects.filter(reference_prefix=reference_prefix()).first()
        or Fund.objects.order_by("pk").first()
    )


def _check_period(period_start: dt.date, period_end: dt.date) -> None:
    errors = {}
    if not (FIRST_DAY <= period_start <= LAST_DAY and FIRST_DAY <= period_end <= LAST_DAY):
        errors["period_end"] = [_("Choose dates between 2000 and 2099.")]
    elif period_start > period_end:
        errors["period_end"] = [_("The period must end on or after its first day.")]
    elif (period_end - period_start).days >= PERIOD_DAYS_MAX:
        errors["period_end"] = [_("A drawdown covers at most one year.")]
    if errors:
        raise WorkflowError(_("The drawdown request was not made."), field_errors=errors)


def drawdown_workbook(drawdown: Drawdown, lines: list, language: str) -> bytes:
    labels = [_("Funding reference"), _("Milestone"), _("Due on"), _("Amount")]
    rows = [
        [(line.funding_reference, sheets.TEXT), (line.position, sheets.COUNT),
         (line.due_on, sheets.DATE), (line.amount, sheets.EURO)]
        for line in lines
    ]  # fmt: skip
    about = [
        ("", _("Drawdown request")),
        (_("Fund"), fund_name()),
        (_("Reference"), drawdown.reference),
        (_("Period"), f"{drawdown.period_start.isoformat()} – {drawdown.period_end.isoformat()}"),
        (_("Amount requested"), str(drawdown.amount)),
    ]
    return sheets.workbook_bytes(
        [sheets.Sheet(title=_("Milestones"), labels=labels, rows=rows, widths=[22, 12, 14, 16])],
        language=language,
        title=_("Drawdown request %(reference)s") % {"reference": drawdown.reference},
        about=about,
    )


def make_drawdown(*, actor, period_start: dt.date, period_end: dt.date, language: str) -> Drawdown:
    """Record a drawdown request for the milestones due by ``period_end`` not yet requested,
    with its PDF and XLSX. Refused when nothing is left to request."""
    _check_period(period_start, period_end)
    language = "de" if language.startswith("de") else "en"
    with transaction.atomic():
        if not may(actor, "grants.make_drawdown"):
            raise WorkflowError(_("You may not do this now."))
        fund = the_fund()
        if fund is None:
            raise WorkflowError(_("There is no fund yet."))
        Fund.objects.select_for_update().filter(pk=fund.pk).first()  # one request at a time
        lines = drawdown_lines(budget_queries.budget_milestones(fund), period_end=period_end)
        if not lines:
            raise WorkflowError(
                _("Nothing falls due by %(date)s that has not been requested already.")
                % {"date": period_end.isoformat()}
            )
        number = (Drawdown.objects.filter(fund=fund).aggregate(n=Max("number"))["n"] or 0) + 1
        drawdown = Drawdown(
            fund=fund,
            number=number,
            period_start=period_start,
            period_end=period_end,
            amount=sum(line.amount for line in lines),
            created_by=actor,
            language=language,
        )
        drawdown.created_at = timezone.now()
        overdue = [line for line in lines if line.due_on < period_start]
        pdf = render_template_pdf(
            "grants/pdf/drawdown.html",
            {"drawdown": drawdown, "lines": lines, "carried": sum(line.amount for line in overdue)},
            language=language,
        )
        stored_pdf = store_generated_file(pdf.content, folder=FOLDER, suffix=".pdf")
        stored_xlsx = store_generated_file(
            drawdown_workbook(drawdown, lines, language), folder=FOLDER, suffix=".xlsx"
        )
        drawdown.pdf_name, drawdown.pdf_sha256 = stored_pdf.stored_name, stored_pdf.sha256
        drawdown.xlsx_name, drawdown.xlsx_sha256 = stored_xlsx.stored_name, stored_xlsx.sha256
        drawdown.save()
        try:
            with transaction.atomic():
                DrawdownLine.objects.bulk_create(
                    DrawdownLine(drawdown=drawdown, milestone_id=line.pk, amount=line.amount,
                                 due_on=line.due_on)
                    for line in lines
                )  # fmt: skip
        except IntegrityError:
            raise WorkflowError(
                _(
                    "Another drawdown request took some of these milestones meanwhile. Please try again."
                )
            ) from None
        log_event(
            subject=drawdown,
            action=events.DRAWDOWN_REQUESTED,
            actor=actor,
            data={
                "amount": drawdown.amount,
                "period": [period_start, period_end],
                "milestones": len(lines),
                "pdf_sha256": drawdown.pdf_sha256,
                "xlsx_sha256": drawdown.xlsx_sha256,
            },
        )
    return drawdown
