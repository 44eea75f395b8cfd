"""The funded projects: the table of all of them, the appendix's index and one page per
project (facts, milestones, collaborations and its summary paragraph)."""

import numpy as np
import pandas as pd
from django.utils.translation import gettext as _

from grants.states import ApplicationState, CollaborationKind, GovernmentLevel
from reporting import figures as fig
from reporting.report.context import Context
from reporting.report.labels import label, label_of
from reporting.report.model import ProjectPage
from reporting.summaries import project_summary
from reporting.tables import COUNT, DATE, EURO, REFERENCE, URL, Column, Table, euros_from_cents


def projects_table(ctx: Context, projects: pd.DataFrame) -> Table:
    states = {state: str(state.label) for state in ApplicationState}
    columns = [
        Column("reference", _("Funding reference"), REFERENCE),
        Column("title", _("Project")),
        Column("topic", _("Topic")),
        Column("call", _("Call")),
        Column("state", _("State")),
        Column("grantee", _("Grantee (if published)")),
        Column("award", _("Award"), EURO),
        Column("disbursed", _("Disbursed"), EURO),
        Column("milestones_accepted", _("Milestones accepted"), COUNT),
        Column("milestones", _("Milestones"), COUNT),
        Column("milestones_late", _("Late"), COUNT),
        Column("code_url", _("Code"), URL),
    ]
    rows = [
        [
            p.reference,
            p.title,
            ctx.topic_name(p.topic_id),
            ctx.call_name(p.call_id),
            states[p.state],
            p.recipient,
            euros_from_cents(p.award),
            euros_from_cents(p.disbursed),
            int(p.milestones_accepted),
            int(p.milestones),
            int(p.milestones_late),
            p.code_url,
        ]
        for p in projects.itertuples()
    ]
    return Table(
        key="projects",
        title=_("Funded projects"),
        columns=columns,
        rows=rows,
        empty_text=_("No funded project in this selection."),
        row_ids=[int(p.grant_id) for p in projects.itertuples()],
    )


def project_index(ctx: Context, projects: pd.DataFrame) -> Table:
    """The funded projects in brief: the index of the PDF's appendix."""
    return Table(
        key="project_index",
        title=_("Funded projects"),
        columns=[
            Column("reference", _("Funding reference"), REFERENCE),
            Column("title", _("Project")),
            Column("topic", _("Topic")),
            Column("award", _("Award"), EURO),
            Column("disbursed", _("Disbursed"), EURO),
            Column("milestones_accepted", _("Milestones accepted"), COUNT),
        ],
        rows=[
            [
                p.reference,
                p.title,
                ctx.topic_name(p.topic_id),
                euros_from_cents(p.award),
                euros_from_cents(p.disbursed),
                int(p.milestones_accepted),
            ]
            for p in projects.itertuples()
        ],
        empty_text=_("No funded project in this selection."),
    )


def project_pages(ctx: Context, projects: pd.DataFrame, texts: dict) -> list[ProjectPage]:
    collaborations = fig.collaboration_list(ctx.events)
    by_grant = {gid: rows for gid, rows in collaborations.groupby("grant_id")}  # noqa: C416 (a GroupBy is no mapping)
    milestones = ctx.events.milestones.sort_values(["grant_id", "position"])
    milestones_by_grant = {gid: rows for gid, rows in milestones.groupby("grant_id")}  # noqa: C416
    pages = []
    for record in projects.to_dict("records"):
        # numpy numbers as Python ones (ngettext wants an int).
        project = {k: v.item() if isinstance(v, np.generic) else v for k, v in record.items()}
        gid = project["grant_id"]
        partners = by_grant.get(gid)
        partner_rows = [] if partners is None else partners.to_dict("records")
        bodies = [
            f"{row['body']} ({label_of(CollaborationKind, row['kind'])})" for row in partner_rows
        ]
        topic, call = ctx.topic_name(project["topic_id"]), ctx.call_name(project["call_id"])
        text = texts.get(gid, {})
        pages.append(
            ProjectPage(
                grant_id=gid,
                reference=project["reference"],
                title=project["title"],
                topic=topic,
                call=call,
                state=str(ApplicationState(project["state"]).label),
                recipient=project["recipient"],
                code_url=project["code_url"],
                summary=project_summary(project, topic=topic, call=call, bodies=bodies),
                facts=project_facts(project),
                milestones=milestone_table(gid, milestones_by_grant.get(gid)),
                collaborations=[
                    {
                        "body": row["body"],
                        "level": label_of(GovernmentLevel, row["level"]),
                        "kind": label_of(CollaborationKind, row["kind"]),
                    }
                    for row in partner_rows
                ],
                description=text.get("description", ""),
                final_summary=text.get("final_summary", ""),
            )
        )
    return pages


def project_facts(project: dict) -> list[tuple[str, object, str]]:
    return [
        (_("Award"), euros_from_cents(project["award"]), EURO),
        (_("Disbursed"), euros_from_cents(project["disbursed"]), EURO),
        (_("Start"), project["starts_on"].date(), DATE),
        (_("End"), project["ends_on"].date(), DATE),
        (label("repositories"), project["repositories"], COUNT),
        (label("datasets"), project["datasets"], COUNT),
        (label("releases"), project["releases"], COUNT),
        (label("users_reached"), project["users_reached"], COUNT),
        (label("follow_up_funding"), euros_from_cents(project["follow_up"]), EURO),
    ]


def milestone_table(grant_id, rows) -> Table:
    table = Table(
        key=f"milestones_{grant_id}",
        title=_("Milestones"),
        columns=[
            Column("position", _("No."), COUNT),
            Column("title", _("Milestone")),
            Column("due_on", _("Due on"), DATE),
            Column("reported_on", _("Reported on"), DATE),
            Column("accepted_on", _("Accepted on"), DATE),
            Column("amount", _("Amount"), EURO),
        ],
        empty_text=_("No milestones."),
    )
    if rows is None:
        return table
    for row in rows.itertuples():  # cancelled milestones are not among the events
        table.rows.append(
            [
                int(row.position),
                row.title,
                row.due_on.date(),
                None if pd.isna(row.reported_on) else row.reported_on.date(),
                None if pd.isna(row.accepted_on) else row.accepted_on.date(),
                euros_from_cents(row.amount),
            ]
        )
    return table
