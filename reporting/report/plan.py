"""Plan against actual (budget per call and per budget year against committed and paid) and
the comparison with the previous period of the same length."""

import pandas as pd
from django.utils.translation import gettext as _

from reporting import plan
from reporting.report.context import Context
from reporting.report.labels import kind, label, row_values, value_of
from reporting.summaries import span_text
from reporting.tables import (
    CHANGE,
    COUNT,
    EURO,
    PERCENT,
    REFERENCE,
    Change,
    Column,
    Table,
    euros_from_cents,
)

COMPARED = ("received", "approved", "funded", "committed", "disbursed", "milestones_due",
            "late", "repositories", "datasets", "collaborations", "public_bodies")  # fmt: skip


def _plan_columns(first: Column) -> list[Column]:
    return [
        first,
        Column("budget", _("Budget"), EURO),
        Column("committed", label("committed"), EURO),
        Column("committed_share", _("Share of the budget committed"), PERCENT),
        Column("disbursed", label("disbursed"), EURO),
        Column("disbursed_share", _("Share of the commitments paid"), PERCENT),
        Column("left", _("Budget left"), EURO),
    ]


def _plan_rows(table: pd.DataFrame, name_of) -> list[list]:
    def share(value):
        return None if pd.isna(value) else float(value)

    return [
        [
            name_of(row.Index),
            euros_from_cents(row.budget),
            euros_from_cents(row.committed),
            share(row.committed_share),
            euros_from_cents(row.disbursed),
            share(row.disbursed_share),
            euros_from_cents(row.left),
        ]
        for row in table.itertuples()
    ]


def plan_by_call_table(ctx: Context) -> Table:
    table = plan.plan_by_call(ctx.call_events, ctx.selected_calls, window=ctx.window)
    table = table.loc[ctx.ordered_calls(table.index)]
    return Table(
        key="plan_by_call",
        title=_("Plan against actual by call (to the end of the period)"),
        columns=_plan_columns(Column("call", _("Call"))),
        rows=_plan_rows(table, ctx.call_name),
        empty_text=_("No call has a budget yet."),
    )


def plan_by_year_table(ctx: Context) -> Table:
    table = plan.plan_by_year(ctx.call_events, ctx.selected_calls, window=ctx.window)
    return Table(
        key="plan_by_year",
        title=_("Plan against actual by budget year"),
        columns=_plan_columns(Column("year", _("Budget year"), REFERENCE)),
        rows=_plan_rows(table, str),
        empty_text=_("No call has a budget yet."),
    )


def comparison(ctx: Context) -> tuple[Table, dict, dict]:
    """The figures of the compared period against the one before, with the change."""
    current, previous = ctx.compared
    now = row_values(ctx.figures(window=current))
    before = row_values(ctx.figures(window=previous))
    rows = []
    for name in COMPARED:
        difference = value_of(name, now[name]) - value_of(name, before[name])
        rows.append(
            [
                label(name),
                value_of(name, before[name]),
                value_of(name, now[name]),
                Change(difference, kind(name)),
            ]
        )
    table = Table(
        key="comparison",
        title=_("%(current)s against %(previous)s")
        % {
            "current": span_text(current.start, current.end),
            "previous": span_text(previous.start, previous.end),
        },
        columns=[
            Column("figure", _("Figure")),
            Column("previous", _("Previous period"), COUNT),
            Column("current", _("This period"), COUNT),
            Column("change", _("Change"), CHANGE),
        ],
        rows=rows,
        row_kinds=[kind(name) for name in COMPARED],
    )
    return table, now, before
