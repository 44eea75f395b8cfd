"""Money and milestones by call and by quarter: the grouped tables and their charts."""

import pandas as pd
from django.utils.translation import gettext as _

from core.formats import euro
from reporting import figures as fig
from reporting.charts import Chart, Series, bar_chart
from reporting.report.context import Context
from reporting.report.labels import label
from reporting.tables import REFERENCE, Column, Table, euros_from_cents, format_count

# Per call the counts in decided calls add nothing: a call is decided or not.
CALL_APPLICATION_FIGURES = ("received", "eligible", "approved", "funded", "acceptance_rate",
                            "requested")  # fmt: skip
QUARTER_FIGURES = ("received", "funded", "committed", "disbursed", "milestones_due", "late")


def by_call_tables(ctx: Context, by_call: pd.DataFrame) -> dict[str, Table]:
    """Applications, money and milestones, one row per call."""
    call_column = Column("call", _("Call"))
    sections = (
        ("applications_by_call", _("Applications by call"), CALL_APPLICATION_FIGURES),
        ("money_by_call", _("Money by call"), fig.MONEY_FIGURES),
        ("milestones_by_call", _("Milestones by call"), fig.MILESTONE_FIGURES),
    )
    return {
        key: ctx.grouped_table(
            key, title, call_column, names, by_call, ctx.ordered_calls, ctx.call_name
        )
        for key, title, names in sections
    }


def quarter_table(ctx: Context, by_quarter: pd.DataFrame) -> Table:
    return ctx.grouped_table(
        "by_quarter",
        _("By quarter"),
        Column("quarter", _("Quarter"), REFERENCE),
        QUARTER_FIGURES,
        by_quarter,
        sorted,
        str,
    )


def money_chart(ctx: Context, key, by_call: pd.DataFrame, title) -> Chart:
    """Committed and disbursed, one pair of bars per call that has either."""
    calls = [
        pk
        for pk in ctx.ordered_calls(by_call.index)
        if by_call.loc[pk, "committed"] or by_call.loc[pk, "disbursed"]
    ]
    return bar_chart(
        key=key,
        title=title,
        categories=[ctx.call_name(pk) for pk in calls],
        series=[
            Series(
                _("Committed"), [euros_from_cents(by_call.loc[pk, "committed"]) for pk in calls]
            ),
            Series(
                _("Disbursed"), [euros_from_cents(by_call.loc[pk, "disbursed"]) for pk in calls]
            ),
        ],
        format_value=euro,
        empty_text=_("No data."),
    )


def milestone_chart(ctx: Context, by_call: pd.DataFrame) -> Chart:
    calls = [pk for pk in ctx.ordered_calls(by_call.index) if by_call.loc[pk, "milestones_due"]]
    return bar_chart(
        key="chart-milestones",
        title=_("Milestones due by call: on time, late, not due yet"),
        categories=[ctx.call_name(pk) for pk in calls],
        series=[
            Series(label(name), [int(by_call.loc[pk, name]) for pk in calls])
            for name in ("on_time", "late", "pending")
        ],
        format_value=format_count,
        empty_text=_("No milestone is due in this selection."),
    )
