"""A report, ready to show: the figures of a selection (reporting.figures) turned into
labelled tables, charts and paragraphs in one language. The dashboard, the PDF and the
CSV/XLSX exports are all made from the same ``Report``."""

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from core.formats import euro
from grants.states import ApplicationState, CollaborationKind, GovernmentLevel
from reporting import figures as fig
from reporting.charts import Chart, Series, bar_chart
from reporting.data import ReportData
from reporting.filters import ReportFilter
from reporting.summaries import first_upper, period_text, project_summary, report_summary
from reporting.tables import (
    COUNT,
    DATE,
    EURO,
    PERCENT,
    URL,
    Column,
    Table,
    euros_from_cents,
    format_count,
)

TOPIC_ORDER = ("open-data", "civic-tech", "data-security")
REASONS_MAX_CHARS = 400

FIGURE_LABELS = {
    "received": (gettext_lazy("Applications received"), COUNT),
    "eligible": (gettext_lazy("Eligible"), COUNT),
    "funded": (gettext_lazy("Funded"), COUNT),
    "acceptance_rate": (gettext_lazy("Acceptance rate"), PERCENT),
    "requested": (gettext_lazy("Requested"), EURO),
    "grants_signed": (gettext_lazy("Grant agreements signed"), COUNT),
    "committed": (gettext_lazy("Committed"), EURO),
    "disbursed": (gettext_lazy("Disbursed"), EURO),
    "gap": (gettext_lazy("Committed, not yet disbursed"), EURO),
    "spent": (gettext_lazy("Spent according to proof of use"), EURO),
    "milestones_due": (gettext_lazy("Milestones due"), COUNT),
    "on_time": (gettext_lazy("Reported on time"), COUNT),
    "late": (pgettext_lazy("milestones", "Late"), COUNT),
    "pending": (gettext_lazy("Not due yet"), COUNT),
    "accepted": (gettext_lazy("Accepted"), COUNT),
    "repositories": (gettext_lazy("Code repositories under an open licence"), COUNT),
    "datasets": (gettext_lazy("Datasets opened"), COUNT),
    "releases": (gettext_lazy("Releases"), COUNT),
    "security_audits": (gettext_lazy("Security audits"), COUNT),
    "vulnerabilities_fixed": (gettext_lazy("Vulnerabilities fixed"), COUNT),
    "users_reached": (gettext_lazy("Users reached"), COUNT),
    "organisations_reached": (gettext_lazy("Organisations reached"), COUNT),
    "contributors": (gettext_lazy("Contributors"), COUNT),
    "collaborations": (gettext_lazy("Collaborations with government"), COUNT),
    "collaborating_projects": (gettext_lazy("Projects working with government"), COUNT),
    "public_bodies": (gettext_lazy("Public bodies"), COUNT),
    "follow_up_projects": (gettext_lazy("Projects with follow-up funding"), COUNT),
    "follow_up_funding": (gettext_lazy("Follow-up funding"), EURO),
}
HEADLINE = ("received", "funded", "acceptance_rate", "committed", "disbursed", "gap",
            "late", "repositories", "datasets", "public_bodies")  # fmt: skip
TOPIC_FIGURES = ("received", "funded", "acceptance_rate", "committed", "disbursed",
                 "milestones_due", "late", "repositories", "datasets", "security_audits",
                 "vulnerabilities_fixed", "users_reached", "collaborations",
                 "follow_up_funding")  # fmt: skip
OUTCOMES = ("repositories", "datasets", "releases", "security_audits", "vulnerabilities_fixed",
            "users_reached", "organisations_reached", "contributors", "collaborations",
            "collaborating_projects", "public_bodies", "follow_up_projects",
            "follow_up_funding")  # fmt: skip
EURO_FIGURES = {name for name, (_label, kind) in FIGURE_LABELS.items() if kind == EURO}


def value_of(name: str, raw):
    """A figure as a typed cell value: euros from cents, a share or None, counts as int."""
    if name == "acceptance_rate":
        return None if raw is None or pd.isna(raw) else float(raw)
    if name in EURO_FIGURES:
        return euros_from_cents(raw)
    return int(raw)


@dataclass
class Headline:
    key: str
    label: str
    value: object
    kind: str


@dataclass
class TopicSection:
    slug: str
    name: str
    figures: Table
    chart: Chart


@dataclass
class ProjectPage:
    grant_id: int
    reference: str
    title: str
    topic: str
    call: str
    state: str
    recipient: str
    code_url: str
    summary: str
    facts: list[tuple[str, object, str]]
    milestones: Table
    collaborations: list[dict]
    description: str = ""
    final_summary: str = ""


@dataclass
class Report:
    selection: ReportFilter
    language: str
    today: dt.date
    made_at: dt.datetime
    fund_name: str
    scope: list[tuple[str, str]]
    headline: list[Headline]
    summary: str
    key_figures: Table
    tables: dict[str, Table]
    charts: dict[str, Chart]
    topics: list[TopicSection]
    projects: list[ProjectPage] = field(default_factory=list)
    project_count: int = 0
    # The grants of the projects the report names anywhere (archived with its file).
    named_grants: frozenset[int] = frozenset()

    @property
    def title(self) -> str:
        return _("Progress report of the %(fund)s") % {"fund": self.fund_name}


class Builder:
    def __init__(self, data: ReportData, selection: ReportFilter, *, today: dt.date, language):
        self.data, self.selection, self.today, self.language = data, selection, today, language
        call = next((c for c in data.calls.values() if c.slug == selection.call), None)
        topic = next((t for t in data.topics.values() if t.slug == selection.topic), None)
        self.call, self.topic = call, topic
        self.events = fig.prepare(data.frames, today=today).select(
            call_ids=[call.pk] if call else ([] if selection.call else None),
            topic_ids=[topic.pk] if topic else ([] if selection.topic else None),
        )
        self.window = selection.window
        self.named_grants: set[int] = set()

    def named(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The rows of ``frame`` that a table or page may name to the reader: none of a
        project withheld from them (ReportData.withheld). Totals count every project.
        Every frame whose rows name a project passes here, so the builder knows which
        projects the report names."""
        if self.data.withheld:
            frame = frame[~frame["grant_id"].isin(self.data.withheld)]
        self.named_grants.update(int(grant_id) for grant_id in frame["grant_id"])
        return frame

    # Names.

    def call_name(self, pk) -> str:
        call = self.data.calls.get(pk)
        return call.title(self.language) if call else "–"

    def topic_name(self, pk) -> str:
        topic = self.data.topics.get(None if pd.isna(pk) else int(pk))
        return topic.name(self.language) if topic else "–"

    def ordered_calls(self, keys):
        return sorted(
            keys,
            key=lambda pk: (
                (self.data.calls[pk].year, self.data.calls[pk].round_number)
                if pk in self.data.calls
                else (0, 0)
            ),
        )

    def ordered_topics(self, keys):
        def order(pk):
            slug = self.data.topics[pk].slug if pk in self.data.topics else ""
            return (TOPIC_ORDER.index(slug) if slug in TOPIC_ORDER else len(TOPIC_ORDER), slug)

        return sorted((int(k) for k in keys if not pd.isna(k)), key=order)

    # Figures.

    def figures(self, events=None, *, window=None, by=None) -> pd.DataFrame:
        return fig.figures(
            self.events if events is None else events,
            window=self.window if window is None else window,
            by=by,
        )

    def scope(self) -> list[tuple[str, str]]:
        return [
            (_("Call"), self.call.title(self.language) if self.call else _("All calls")),
            (_("Topic"), self.topic.name(self.language) if self.topic else _("All topics")),
            (
                _("Period"),
                first_upper(period_text(self.selection.date_from, self.selection.date_to)),
            ),
        ]

    def key_figures(self, period: dict, to_date: dict | None) -> Table:
        names = list(fig.FIGURES)
        columns = [Column("figure", _("Figure"), width=50 if to_date is None else 44)]
        if to_date is None:
            columns.append(Column("value", _("Value"), COUNT))
            rows = [[str(FIGURE_LABELS[n][0]), value_of(n, period[n])] for n in names]
        else:
            columns += [
                Column("period", _("In the period"), COUNT),
                Column("to_date", _("Since the fund began, to the end of the period"), COUNT),
            ]
            rows = [
                [str(FIGURE_LABELS[n][0]), value_of(n, period[n]), value_of(n, to_date[n])]
                for n in names
            ]
        return Table(
            key="key_figures",
            title=_("Key figures"),
            columns=columns,
            rows=rows,
            row_kinds=[FIGURE_LABELS[n][1] for n in names],
        )

    def grouped_table(self, key, title, first, names, grouped, order, name_of) -> Table:
        """One row per group (call, topic, quarter) with the figures ``names``."""
        columns = [first] + [
            Column(n, str(FIGURE_LABELS[n][0]), FIGURE_LABELS[n][1]) for n in names
        ]
        rows = [
            [name_of(group)] + [value_of(n, grouped.loc[group, n]) for n in names]
            for group in order(grouped.index)
        ]
        return Table(key=key, title=title, columns=columns, rows=rows, empty_text=_("No data."))

    def outcomes_by_topic(self, by_topic: pd.DataFrame, overall: dict) -> Table:
        topics = self.ordered_topics(by_topic.index)
        columns = [Column("outcome", _("Outcome"), width=32)]
        columns += [Column(f"topic_{pk}", self.topic_name(pk), COUNT) for pk in topics]
        columns.append(Column("all", _("All topics"), COUNT))
        rows = [
            [str(FIGURE_LABELS[n][0])]
            + [value_of(n, by_topic.loc[pk, n]) for pk in topics]
            + [value_of(n, overall[n])]
            for n in OUTCOMES
        ]
        return Table(
            key="outcomes_by_topic",
            title=_("Outcomes by topic"),
            columns=columns,
            rows=rows,
            row_kinds=[FIGURE_LABELS[n][1] for n in OUTCOMES],
        )

    def projects_table(self, projects: pd.DataFrame) -> Table:
        states = {state: str(state.label) for state in ApplicationState}
        columns = [
            Column("reference", _("Funding reference")),
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
                self.topic_name(p.topic_id),
                self.call_name(p.call_id),
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

    def project_index(self, projects: pd.DataFrame) -> Table:
        """The funded projects in brief: the index of the PDF's appendix."""
        return Table(
            key="project_index",
            title=_("Funded projects"),
            columns=[
                Column("reference", _("Funding reference"), width=12),
                Column("title", _("Project"), width=38),
                Column("topic", _("Topic"), width=14),
                Column("award", _("Award"), EURO, width=13),
                Column("disbursed", _("Disbursed"), EURO, width=13),
                Column("milestones_accepted", _("Milestones accepted"), COUNT, width=10),
            ],
            rows=[
                [
                    p.reference,
                    p.title,
                    self.topic_name(p.topic_id),
                    euros_from_cents(p.award),
                    euros_from_cents(p.disbursed),
                    int(p.milestones_accepted),
                ]
                for p in projects.itertuples()
            ],
            empty_text=_("No funded project in this selection."),
        )

    def delays_table(self) -> Table:
        late = self.named(fig.delays(self.events, window=self.window))
        rows = []
        for row in late.itertuples():
            reasons = " · ".join(row.reasons) or _("No reason given.")
            if len(reasons) > REASONS_MAX_CHARS:
                reasons = reasons[: REASONS_MAX_CHARS - 1].rstrip() + "…"
            rows.append(
                [
                    row.reference,
                    row.project,
                    f"{row.position}. {row.milestone}",
                    row.due_on.date(),
                    None if pd.isna(row.reported_on) else row.reported_on.date(),
                    int(row.days_late),
                    reasons,
                ]
            )
        return Table(
            key="delays",
            title=_("Delays and their reasons"),
            columns=[
                Column("reference", _("Funding reference"), width=12),
                Column("project", _("Project"), width=18),
                Column("milestone", _("Milestone"), width=16),
                Column("due_on", _("Due on"), DATE, width=10),
                Column("reported_on", _("Reported on"), DATE, width=10),
                Column("days_late", _("Days late"), COUNT, width=7),
                Column("reasons", _("Reasons given by the grantee"), width=27),
            ],
            rows=rows,
            empty_text=_("No milestone was late."),
        )

    def collaborations_table(self) -> Table:
        listed = self.named(fig.collaboration_list(self.events, window=self.window))
        return Table(
            key="collaborations",
            title=_("Collaboration with government"),
            columns=[
                Column("reference", _("Funding reference"), width=12),
                Column("project", _("Project"), width=24),
                Column("body", _("Public body"), width=22),
                Column("level", _("Level"), width=13),
                Column("kind", _("Collaboration"), width=17),
                Column("first_reported", _("First reported"), DATE, width=12),
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

    def follow_up_table(self, projects: pd.DataFrame) -> Table:
        funded = projects[projects["follow_up"] > 0]
        return Table(
            key="follow_up",
            title=_("Follow-up funding"),
            columns=[
                Column("reference", _("Funding reference"), width=12),
                Column("project", _("Project"), width=40),
                Column("funder", _("Funder"), width=30),
                Column("amount", _("Amount"), EURO, width=18),
            ],
            rows=[
                [p.reference, p.title, p.funder, euros_from_cents(p.follow_up)]
                for p in funded.itertuples()
            ],
            empty_text=_("No follow-up funding has been reported yet."),
        )

    def level_table(self) -> tuple[Table, Chart]:
        counts = fig.collaborations_by(self.events, window=self.window, column="level")
        labels = [label_of(GovernmentLevel, level) for level in counts.index]
        table = Table(
            key="collaborations_by_level",
            title=_("Collaborations by level of government"),
            columns=[
                Column("level", _("Level"), width=60),
                Column("count", _("Collaborations"), COUNT),
            ],
            rows=[[label, int(count)] for label, count in zip(labels, counts, strict=True)],
            empty_text=_("No public body has been reported yet."),
        )
        chart = bar_chart(
            key="chart-levels",
            title=table.title,
            categories=labels,
            series=[Series(_("Collaborations"), [int(c) for c in counts])],
            format_value=format_count,
            empty_text=_("No public body has been reported yet."),
        )
        return table, chart

    def money_chart(self, key, by_call: pd.DataFrame, title) -> Chart:
        calls = [
            pk
            for pk in self.ordered_calls(by_call.index)
            if by_call.loc[pk, "committed"] or by_call.loc[pk, "disbursed"]
        ]
        return bar_chart(
            key=key,
            title=title,
            categories=[self.call_name(pk) for pk in calls],
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

    # The whole report.

    def build(self, *, made_at, fund_name, appendix=False, texts=None) -> Report:
        period = row_values(self.figures())
        to_date = (
            row_values(self.figures(window=self.window.to_date()))
            if self.selection.has_period
            else None
        )
        by_call = self.figures(by=fig.BY_CALL)
        by_topic = self.figures(by=fig.BY_TOPIC)
        by_quarter = self.figures(by=fig.BY_QUARTER)
        by_topic_call = self.figures(by=(fig.BY_TOPIC, fig.BY_CALL))
        projects = self.named(fig.projects(self.events, window=self.window))
        call_column = Column("call", _("Call"), width=24)
        tables = {
            "key_figures": self.key_figures(period, to_date),
            "applications_by_call": self.grouped_table(
                "applications_by_call", _("Applications by call"), call_column,
                fig.APPLICATION_FIGURES, by_call, self.ordered_calls, self.call_name,
            ),
            "money_by_call": self.grouped_table(
                "money_by_call", _("Money by call"), call_column, fig.MONEY_FIGURES,
                by_call, self.ordered_calls, self.call_name,
            ),
            "milestones_by_call": self.grouped_table(
                "milestones_by_call", _("Milestones by call"), call_column,
                fig.MILESTONE_FIGURES, by_call, self.ordered_calls, self.call_name,
            ),
            "by_topic": self.topic_table(by_topic),
            "by_quarter": self.grouped_table(
                "by_quarter", _("By quarter"), Column("quarter", _("Quarter"), width=12),
                ("received", "funded", "committed", "disbursed", "milestones_due", "late"),
                by_quarter, sorted, str,
            ),
            "outcomes_by_topic": self.outcomes_by_topic(by_topic, period),
            "delays": self.delays_table(),
            "collaborations": self.collaborations_table(),
            "follow_up": self.follow_up_table(projects),
            "projects": self.projects_table(projects),
            "project_index": self.project_index(projects),
        }  # fmt: skip
        level_table, level_chart = self.level_table()
        tables["collaborations_by_level"] = level_table
        topic_ids = self.ordered_topics(by_topic.index)
        charts = {
            "money_by_call": self.money_chart(
                "chart-money", by_call, _("Committed and disbursed by call")
            ),
            "applications_by_topic": bar_chart(
                key="chart-topics",
                title=_("Applications received and funded by topic"),
                categories=[self.topic_name(pk) for pk in topic_ids],
                series=[
                    Series(_("Received"), [int(by_topic.loc[pk, "received"]) for pk in topic_ids]),
                    Series(_("Funded"), [int(by_topic.loc[pk, "funded"]) for pk in topic_ids]),
                ],
                format_value=format_count,
                empty_text=_("No data."),
            ),
            "milestones_by_call": self.milestone_chart(by_call),
            "collaborations_by_level": level_chart,
        }
        report = Report(
            selection=self.selection,
            language=self.language,
            today=self.today,
            made_at=made_at,
            fund_name=fund_name,
            scope=self.scope(),
            headline=[
                Headline(n, str(FIGURE_LABELS[n][0]), value_of(n, period[n]), FIGURE_LABELS[n][1])
                for n in HEADLINE
            ],
            summary=report_summary(
                period, date_from=self.selection.date_from, date_to=self.selection.date_to
            ),
            key_figures=tables["key_figures"],
            tables=tables,
            charts=charts,
            topics=[
                self.topic_section(pk, by_topic, by_topic_call) for pk in self.section_topics()
            ],
            project_count=len(projects),
        )
        if appendix:
            report.projects = self.project_pages(projects, texts or {})
        report.named_grants = frozenset(self.named_grants)
        return report

    def section_topics(self) -> list[int]:
        if self.topic is not None:
            return [self.topic.pk]
        return self.ordered_topics(self.data.topics)

    def topic_table(self, by_topic: pd.DataFrame) -> Table:
        table = self.grouped_table(
            "by_topic",
            _("Applications and money by topic"),
            Column("topic", _("Topic"), width=16),
            ("received", "funded", "acceptance_rate", "requested", "committed", "disbursed"),
            by_topic,
            self.ordered_topics,
            self.topic_name,
        )
        shares = fig.topic_shares(by_topic)
        table.columns.insert(2, Column("share", _("Share of applications"), PERCENT))
        for row, pk in zip(table.rows, self.ordered_topics(by_topic.index), strict=True):
            row.insert(2, value_of("acceptance_rate", shares.loc[pk]))
        return table

    def milestone_chart(self, by_call: pd.DataFrame) -> Chart:
        calls = self.ordered_calls(by_call.index)
        calls = [pk for pk in calls if by_call.loc[pk, "milestones_due"]]
        return bar_chart(
            key="chart-milestones",
            title=_("Milestones due by call: on time, late, not due yet"),
            categories=[self.call_name(pk) for pk in calls],
            series=[
                Series(str(FIGURE_LABELS[name][0]), [int(by_call.loc[pk, name]) for pk in calls])
                for name in ("on_time", "late", "pending")
            ],
            format_value=format_count,
            empty_text=_("No milestone is due in this selection."),
        )

    def topic_section(self, topic_id: int, by_topic, by_topic_call) -> TopicSection:
        """A topic's figures and chart, from the tables per topic and per topic and call."""
        values = row_values(by_topic, topic_id)
        if topic_id in by_topic_call.index.get_level_values("topic_id"):
            by_call = by_topic_call.xs(topic_id, level="topic_id")
        else:
            by_call = by_topic_call.iloc[0:0].droplevel("topic_id")
        name = self.topic_name(topic_id)
        slug = self.data.topics[topic_id].slug
        return TopicSection(
            slug=slug,
            name=name,
            figures=Table(
                key=f"topic_{slug}",
                title=_("Key figures: %(topic)s") % {"topic": name},
                columns=[
                    Column("figure", _("Figure"), width=60),
                    Column("value", _("Value"), COUNT),
                ],
                rows=[[str(FIGURE_LABELS[n][0]), value_of(n, values[n])] for n in TOPIC_FIGURES],
                row_kinds=[FIGURE_LABELS[n][1] for n in TOPIC_FIGURES],
            ),
            chart=self.money_chart(
                f"chart-topic-{slug}",
                by_call,
                _("%(topic)s: committed and disbursed by call") % {"topic": name},
            ),
        )

    def project_pages(self, projects: pd.DataFrame, texts: dict) -> list[ProjectPage]:
        collaborations = fig.collaboration_list(self.events)
        by_grant = {gid: rows for gid, rows in collaborations.groupby("grant_id")}  # noqa: C416 (a GroupBy is no mapping)
        milestones = self.events.milestones.sort_values(["grant_id", "position"])
        milestones_by_grant = {gid: rows for gid, rows in milestones.groupby("grant_id")}  # noqa: C416
        pages = []
        for record in projects.to_dict("records"):
            # numpy numbers as Python ones (ngettext wants an int).
            project = {k: v.item() if isinstance(v, np.generic) else v for k, v in record.items()}
            gid = project["grant_id"]
            partners = by_grant.get(gid)
            partner_rows = [] if partners is None else partners.to_dict("records")
            bodies = [
                f"{row['body']} ({label_of(CollaborationKind, row['kind'])})"
                for row in partner_rows
            ]
            topic, call = self.topic_name(project["topic_id"]), self.call_name(project["call_id"])
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
                    facts=self.project_facts(project),
                    milestones=self.milestone_table(gid, milestones_by_grant.get(gid)),
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

    def project_facts(self, project: dict) -> list[tuple[str, object, str]]:
        return [
            (_("Award"), euros_from_cents(project["award"]), EURO),
            (_("Disbursed"), euros_from_cents(project["disbursed"]), EURO),
            (_("Start"), project["starts_on"].date(), DATE),
            (_("End"), project["ends_on"].date(), DATE),
            (str(FIGURE_LABELS["repositories"][0]), project["repositories"], COUNT),
            (str(FIGURE_LABELS["datasets"][0]), project["datasets"], COUNT),
            (str(FIGURE_LABELS["releases"][0]), project["releases"], COUNT),
            (str(FIGURE_LABELS["users_reached"][0]), project["users_reached"], COUNT),
            (
                str(FIGURE_LABELS["follow_up_funding"][0]),
                euros_from_cents(project["follow_up"]),
                EURO,
            ),
        ]

    def milestone_table(self, grant_id, rows) -> Table:
        table = Table(
            key=f"milestones_{grant_id}",
            title=_("Milestones"),
            columns=[
                Column("position", _("No."), COUNT, width=6),
                Column("title", _("Milestone"), width=36),
                Column("due_on", _("Due on"), DATE, width=14),
                Column("reported_on", _("Reported on"), DATE, width=14),
                Column("accepted_on", _("Accepted on"), DATE, width=14),
                Column("amount", _("Amount"), EURO, width=16),
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


def row_values(table: pd.DataFrame, key=fig.ALL) -> dict:
    """One row of figures as plain Python numbers (a row of mixed columns comes out of
    pandas as floats): counts and cents as int, the rate as float or NaN. A group without
    a row has nothing: zeros."""
    if key not in table.index:
        return {name: float("nan") if name == "acceptance_rate" else 0 for name in fig.FIGURES}
    values = table.loc[key]
    return {
        name: float(values[name]) if name == "acceptance_rate" else int(values[name])
        for name in fig.FIGURES
    }


def label_of(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def build_report(
    data: ReportData,
    selection: ReportFilter,
    *,
    language: str,
    today: dt.date,
    made_at: dt.datetime,
    fund_name: str,
    appendix: bool = False,
    texts: dict | None = None,
) -> Report:
    """The report of ``selection`` in ``language`` (all labels and paragraphs translated)."""
    with translation.override(language):
        builder = Builder(data, selection, today=today, language=language)
        return builder.build(made_at=made_at, fund_name=fund_name, appendix=appendix, texts=texts)


def appendix_grant_ids(data: ReportData, selection: ReportFilter, today: dt.date) -> list[int]:
    builder = Builder(data, selection, today=today, language="en")
    projects = builder.named(fig.projects(builder.events, window=builder.window))
    return [int(g) for g in projects["grant_id"]]


def project_page(
    data: ReportData, grant_id: int, *, language: str, today: dt.date, texts: dict
) -> ProjectPage | None:
    """The one-page summary of one funded project (the dashboard's project page)."""
    with translation.override(language):
        builder = Builder(data, ReportFilter(), today=today, language=language)
        projects = builder.named(fig.projects(builder.events))
        pages = builder.project_pages(projects[projects["grant_id"] == grant_id], texts)
        return pages[0] if pages else None
