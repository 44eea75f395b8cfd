"""Delays and their reasons: every late milestone due in the period, with the reasons the
grantee gave (shortened for the page; the exports carry the same shortened text)."""

import pandas as pd
from django.utils.translation import gettext as _

from reporting import figures as fig
from reporting.report.context import Context
from reporting.tables import COUNT, DATE, REFERENCE, Column, Table

REASONS_MAX_CHARS = 400


def shortened(reasons: list[str]) -> str:
    text = " · ".join(reasons) or _("No reason given.")
    if len(text) > REASONS_MAX_CHARS:
        text = text[: REASONS_MAX_CHARS - 1].rstrip() + "…"
    return text


def delays_table(ctx: Context) -> Table:
    late = ctx.named(fig.delays(ctx.events, window=ctx.window))
    rows = [
        [
            row.reference,
            row.project,
            f"{row.position}. {row.milestone}",
            row.due_on.date(),
            None if pd.isna(row.reported_on) else row.reported_on.date(),
            int(row.days_late),
            shortened(row.reasons),
        ]
        for row in late.itertuples()
    ]
    return Table(
        key="delays",
        title=_("Delays and their reasons"),
        columns=[
            Column("reference", _("Funding reference"), REFERENCE),
            Column("project", _("Project")),
            Column("milestone", _("Milestone")),
            Column("due_on", _("Due on"), DATE),
            Column("reported_on", _("Reported on"), DATE),
            Column("days_late", _("Days late"), COUNT),
            Column("reasons", _("Reasons given by the grantee")),
        ],
        rows=rows,
        empty_text=_("No milestone was late."),
    )
