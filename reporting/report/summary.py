"""The report's opening: the headline figures, the key-figures table (in the period and
since the fund began) and the summary paragraph."""

from django.utils.translation import gettext as _

from reporting import figures as fig
from reporting.report.context import Context
from reporting.report.labels import definition, kind, label, value_of
from reporting.report.model import Headline
from reporting.summaries import report_summary
from reporting.tables import COUNT, Column, Table

HEADLINE = ("received", "approved", "funded", "acceptance_rate", "committed", "disbursed",
            "gap", "late", "repositories", "datasets", "public_bodies")  # fmt: skip


def headline(period: dict) -> list[Headline]:
    return [Headline(n, label(n), value_of(n, period[n]), kind(n), definition(n)) for n in HEADLINE]


def key_figures(period: dict, to_date: dict | None) -> Table:
    """Every figure of the period with its definition; with a period, also everything up
    to its end."""
    names = list(fig.FIGURES)
    columns = [Column("figure", _("Figure"))]
    if to_date is None:
        columns.append(Column("value", _("Value"), COUNT))
        rows = [[label(n), value_of(n, period[n]), definition(n)] for n in names]
    else:
        columns += [
            Column("period", _("In the period"), COUNT),
            Column("to_date", _("Since the fund began, to the end of the period"), COUNT),
        ]
        rows = [
            [label(n), value_of(n, period[n]), value_of(n, to_date[n]), definition(n)]
            for n in names
        ]
    columns.append(Column("definition", _("How it is counted")))
    return Table(
        key="key_figures",
        title=_("Key figures"),
        columns=columns,
        rows=rows,
        row_kinds=[kind(n) for n in names],
    )


def definitions_table() -> Table:
    """How every figure is counted (the same words as beside each figure)."""
    return Table(
        key="definitions",
        title=_("The figures and how they are counted"),
        columns=[Column("figure", _("Figure")), Column("definition", _("How it is counted"))],
        rows=[[label(n), definition(n)] for n in fig.FIGURES],
    )


def summary_text(ctx: Context, period: dict) -> str:
    selection = ctx.selection
    return report_summary(
        period, date_from=selection.date_from, date_to=selection.date_to, today=ctx.today
    )
