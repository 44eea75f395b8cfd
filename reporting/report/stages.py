"""Applications per stage of the two-stage calls: concepts received, invited, not invited,
and the full proposals submitted and funded from them. The other figures of the report count the full
proposals only (one row a project), so that a project is never received twice."""

from collections import Counter

from django.utils.translation import gettext as _

from grants.states import ApplicationState
from reporting.report.context import Context
from reporting.tables import COUNT, Column, Table

COLUMNS = ("concepts", "invited", "not_invited", "full_submitted", "full_funded")


def _selected(ctx: Context, row) -> bool:
    """The report's selection: a call (either stage), a topic, the concept's submission in
    the period."""
    if ctx.call is not None and ctx.call.pk not in (row.call_id, row.full_call_id):
        return False
    if ctx.selection.call and ctx.call is None:
        return False
    if ctx.topic is not None and row.topic_id != ctx.topic.pk:
        return False
    if ctx.selection.topic and ctx.topic is None:
        return False
    window = ctx.window
    return (window.start is None or row.submitted_on >= window.start) and (
        window.end is None or row.submitted_on <= window.end
    )


def stage_table(ctx: Context) -> Table:
    counts: dict[int, Counter] = {}
    for row in ctx.data.stages:
        if not _selected(ctx, row):
            continue
        counted = counts.setdefault(row.call_id, Counter())
        counted["concepts"] += 1
        counted["invited"] += row.state == ApplicationState.INVITED
        counted["not_invited"] += row.state == ApplicationState.NOT_INVITED
        counted["full_submitted"] += row.full_submitted
        counted["full_funded"] += row.full_funded
    return Table(
        key="applications_by_stage",
        title=_("Applications per stage"),
        columns=[
            Column("call", _("Concept call (stage 1)")),
            Column("concepts", _("Concepts received"), COUNT),
            Column("invited", _("Invited to the full proposal"), COUNT),
            Column("not_invited", _("Not invited"), COUNT),
            Column("full_submitted", _("Full proposals submitted (stage 2)"), COUNT),
            Column("full_funded", _("Funded (stage 2)"), COUNT),
        ],
        rows=[
            [ctx.call_name(pk), *(counts[pk][name] for name in COLUMNS)]
            for pk in ctx.ordered_calls(counts)
        ],
        empty_text=_("No two-stage call in the selection."),
    )
