"""The report's opening: the headline figures, the key-figures table (in the period and
since the fund began) and the summary paragraph."""

from django.utils.translation import gettext as _

from reporting import figures as fig
from reporting.report.context import Context
from reporting.report.labels import kind, label, value_of
from reporting.report.model import Headline
from reporting.summaries import report_summary
from reporting.tables import COUNT, Column, Table

HEADLINE = ("received", "funded", "acceptance_rate", "committed", "disbursed", "gap",
            "late", "repositories", "datasets", "public_bodies")  # fmt: skip


def headline(period: dict) -> list[Headline]:
    return [Headline(n, label(n), value_of(n, period[n]), kind(n)) for n in HEADLINE]


def key_figures(period: dict, to_date: dict | None) -> Table:
    """Every figure of the period; with a period, also everything up to its end."""
    names = list(fig.FIGURES)
    columns = [Column("figure", _("Figure"))]
    if to_date is None:
        columns.append(Column("value", _("Value"), COUNT))
        rows = [[label(n), value_of(n, period[n])] for n in names]
    else:
        columns += [
            Column("period", _("In the period"), COUNT),
            Column("to_date", _("Since the fund began, to the end of the period"), COUNT),
        ]
        rows = [[label(n), value_of(n, period[n]), value_of(n, to_date[n])] for n in names]
    return Table(
        key="key_figures",
        title=_("Key figures"),
        columns=columns,
        rows=rows,
        row_kinds=[kind(n) for n in names],
    )


def summary_text(ctx: Context, period: dict) -> str:
    return report_summary(period, date_from=ctx.selection.date_from, date_to=ctx.selection.date_to)
