"""Targets per indicator (set by staff for the fund or a call) against what was achieved up
to the end of the period: the fund's against all calls, a call's against that call (budgets
and targets are per call, for all topics)."""

from django.utils.translation import gettext as _

from reporting import figures as fig
from reporting.report.context import Context
from reporting.report.labels import kind, label, value_of
from reporting.tables import COUNT, PERCENT, Column, Table


def _value(name: str, value):
    """A stored target (Decimal euros or a count) as the figure's cell value."""
    return value if kind(name) == "euro" else int(value)


def targets_table(ctx: Context) -> Table:
    to_date = ctx.window.to_date()
    overall = fig.figures(ctx.call_events, window=to_date).loc[fig.ALL]
    by_call = fig.figures(ctx.call_events, window=to_date, by=fig.BY_CALL)
    rows, kinds = [], []
    for call_id, name, target in ctx.data.targets:
        if call_id is None and ctx.call is not None:
            continue  # the fund's targets are not a call's
        if call_id is not None and ctx.call is not None and call_id != ctx.call.pk:
            continue
        if call_id is None:
            scope, raw = _("The whole fund"), overall[name]
        else:
            scope = ctx.call_name(call_id)
            raw = by_call.loc[call_id, name] if call_id in by_call.index else 0
        actual = value_of(name, raw)
        reached = float(actual / target) if target else None
        rows.append([label(name), scope, _value(name, target), actual, reached])
        kinds.append(kind(name))
    return Table(
        key="targets",
        title=_("Targets and results (to the end of the period)"),
        columns=[
            Column("indicator", _("Indicator")),
            Column("scope", _("Target of")),
            Column("target", _("Target"), COUNT),
            Column("actual", _("Achieved"), COUNT),
            Column("reached", _("Share of the target reached"), PERCENT),
        ],
        rows=rows,
        row_kinds=kinds,
        empty_text=_("No target has been set."),
    )
