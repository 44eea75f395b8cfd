"""Outcomes and collaboration with government: outcomes by topic, the public bodies working
with the projects (listed and by level of government), and follow-up funding."""

import pandas as pd
from django.utils.translation import gettext as _

from grants.states import CollaborationKind, GovernmentLevel
from reporting import figures as fig
from reporting.charts import Chart, Series, bar_chart
from reporting.report.context import Context
from reporting.report.labels import kind, label, label_of, value_of
from reporting.report.model import Case
from reporting.tables import (
    COUNT,
    DATE,
    EURO,
    REFERENCE,
    Column,
    Table,
    euros_from_cents,
    format_count,
)

OUTCOMES = ("repositories", "datasets", "releases", "security_audits", "vulnerabilities_fixed",
            "users_reached", "organisations_reached", "contributors", "collaborations",
            "collaborating_projects", "public_bodies", "follow_up_projects",
            "follow_up_funding")  # fmt: skip


def outcomes_by_topic(ctx: Context, by_topic: pd.DataFrame, overall: dict) -> Table:
    topics = ctx.ordered_topics(by_topic.index)
    columns = [Column("outcome", _("Outcome"))]
    columns += [Column(f"topic_{pk}", ctx.topic_name(pk), COUNT) for pk in topics]
    columns.append(Column("all", _("All topics"), COUNT))
    rows = [
        [label(n)] + [value_of(n, by_topic.loc[pk, n]) for pk in topics] + [value_of(n, overall[n])]
        for n in OUTCOMES
    ]
    return Table(
        key="outcomes_by_topic",
        title=_("Outcomes by topic"),
        columns=columns,
        rows=rows,
        row_kinds=[kind(n) for n in OUTCOMES],
    )


def collaborations_table(ctx: Context) -> Table:
    listed = ctx.named(fig.collaboration_list(ctx.events, window=ctx.window))
    return Table(
        key="collaborations",
        title=_("Collaboration with government"),
        columns=[
            Column("reference", _("Funding reference"), REFERENCE),
            Column("project", _("Project")),
            Column("body", _("Public body")),
            Column("level", _("Level")),
            Column("kind", _("Collaboration")),
            Column("first_reported", _("First reported"), DATE),
        ],
        rows=[
            [
                row.reference,
                row.title,
                row.body,
                label_of(GovernmentLevel, row.level),
                label_of(CollaborationKind, row.kind),
                row.accepted_on.date(),
            ]
            for row in listed.itertuples()
        ],
        empty_text=_("No public body has been reported yet."),
    )


def level_table(ctx: Context) -> tuple[Table, Chart]:
    counts = fig.collaborations_by(ctx.events, window=ctx.window, column="level")
    rows = [[label_of(GovernmentLevel, level), int(count)] for level, count in counts.items()]
    table = Table(
        key="collaborations_by_level",
        title=_("Collaborations by level of government"),
        columns=[
            Column("level", _("Level")),
            Column("count", _("Collaborations"), COUNT),
        ],
        rows=rows,
        empty_text=_("No public body has been reported yet."),
    )
    chart = bar_chart(
        key="chart-levels",
        title=table.title,
        categories=[text for text, _count in rows],
        series=[Series(_("Collaborations"), [count for _text, count in rows])],
        format_value=format_count,
        empty_text=_("No public body has been reported yet."),
    )
    return table, chart


def follow_up_table(projects: pd.DataFrame) -> Table:
    funded = projects[projects["follow_up"] > 0]
    return Table(
        key="follow_up",
        title=_("Follow-up funding"),
        columns=[
            Column("reference", _("Funding reference"), REFERENCE),
            Column("project", _("Project")),
            Column("funder", _("Funder")),
            Column("amount", _("Amount"), EURO),
        ],
        rows=[
            [p.reference, p.title, p.funder, euros_from_cents(p.follow_up)]
            for p in funded.itertuples()
        ],
        empty_text=_("No follow-up funding has been reported yet."),
    )


def cases(ctx: Context) -> list[Case]:
    """Every collaboration first reported in the period, as a case with its project's code
    (the address only with the grantee's consent, as everywhere), by reference and body."""
    listed = ctx.named(fig.collaboration_list(ctx.events, window=ctx.window))
    code = ctx.events.grants.set_index("grant_id")["code_url"].to_dict()
    return [
        Case(
            grant_id=int(row.grant_id),
            body=row.body,
            level=label_of(GovernmentLevel, row.level),
            kind=label_of(CollaborationKind, row.kind),
            description=row.description,
            reference=row.reference,
            title=row.title,
            first_reported=row.accepted_on.date(),
            code_url=code.get(row.grant_id, ""),
        )
        for row in listed.itertuples()
    ]
