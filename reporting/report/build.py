"""The whole report: every section built from one context, in one language."""

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from reporting import figures as fig
from reporting.data import ReportData
from reporting.filters import ReportFilter
from reporting.report import (
    delays,
    executive,
    money,
    outcomes,
    plan,
    projects,
    stages,
    summary,
    targets,
    topics,
    tracks,
)
from reporting.report.context import Context
from reporting.report.labels import row_values
from reporting.report.model import ProjectPage, Report
from reporting.tables import Table


class Parts:
    """What several tables of a report share, each computed once and only when a table
    asks for it: an export of one table computes what that table needs, not the report."""

    def __init__(self, ctx: Context):
        self.ctx = ctx

    @cached_property
    def period(self):
        return row_values(self.ctx.figures())

    @cached_property
    def to_date(self):
        ctx = self.ctx
        if not ctx.selection.has_period:
            return None
        return row_values(ctx.figures(window=ctx.window.to_date()))

    @cached_property
    def by_call(self):
        return self.ctx.figures(by=fig.BY_CALL)

    @cached_property
    def by_topic(self):
        return self.ctx.figures(by=fig.BY_TOPIC)

    @cached_property
    def funded(self):
        ctx = self.ctx
        return ctx.named(fig.projects(ctx.events, window=ctx.window))

    @cached_property
    def by_call_tables(self):
        return money.by_call_tables(self.ctx, self.by_call)

    @cached_property
    def track_tables(self):
        ctx = self.ctx
        return tracks.track_tables(ctx, ctx.figures(by=(fig.BY_CALL, fig.BY_TRACK)))

    @cached_property
    def level(self):
        return outcomes.level_table(self.ctx)

    @cached_property
    def comparison(self):
        return plan.comparison(self.ctx)


# The report's tables in their order (the order of the sheets of "all tables"); the tables
# by track, one per call, come between the two groups.
TABLES_BEFORE_TRACKS = {
    "key_figures": lambda p: summary.key_figures(p.period, p.to_date),
    "applications_by_call": lambda p: p.by_call_tables["applications_by_call"],
    "applications_by_stage": lambda p: stages.stage_table(p.ctx),
    "money_by_call": lambda p: p.by_call_tables["money_by_call"],
    "milestones_by_call": lambda p: p.by_call_tables["milestones_by_call"],
    "by_topic": lambda p: topics.topic_table(p.ctx, p.by_topic),
    "money_by_topic": lambda p: topics.money_table(p.ctx, p.by_topic),
    "by_quarter": lambda p: money.quarter_table(p.ctx, p.ctx.figures(by=fig.BY_QUARTER)),
    "outcomes_by_topic": lambda p: outcomes.outcomes_by_topic(p.ctx, p.by_topic, p.period),
    "delays": lambda p: delays.delays_table(p.ctx),
    "collaborations": lambda p: outcomes.collaborations_table(p.ctx),
    "follow_up": lambda p: outcomes.follow_up_table(p.funded),
    "projects": lambda p: projects.projects_table(p.ctx, p.funded),
    "project_index": lambda p: projects.project_index(p.ctx, p.funded),
}
TABLES_AFTER_TRACKS = {
    "collaborations_by_level": lambda p: p.level[0],
    "plan_by_call": lambda p: plan.plan_by_call_table(p.ctx),
    "plan_by_year": lambda p: plan.plan_by_year_table(p.ctx),
    "comparison": lambda p: p.comparison[0],
    "targets": lambda p: targets.targets_table(p.ctx),
    "definitions": lambda p: summary.definitions_table(),
}


def all_tables(parts: Parts) -> dict[str, Table]:
    return {
        **{key: make(parts) for key, make in TABLES_BEFORE_TRACKS.items()},
        **{table.key: table for table in parts.track_tables},
        **{key: make(parts) for key, make in TABLES_AFTER_TRACKS.items()},
    }


def one_table(parts: Parts, key: str) -> Table | None:
    """The table ``key`` alone (None when the report has no such table)."""
    make = TABLES_BEFORE_TRACKS.get(key) or TABLES_AFTER_TRACKS.get(key)
    if make is not None:
        return make(parts)
    return next((table for table in parts.track_tables if table.key == key), None)


def build(ctx: Context, *, made_at, fund_name, appendix, texts) -> Report:
    parts = Parts(ctx)
    period, by_call, by_topic, funded = parts.period, parts.by_call, parts.by_topic, parts.funded
    tables = all_tables(parts)
    level_chart = parts.level[1]
    _table, now, before = parts.comparison
    cases = outcomes.cases(ctx)
    paragraphs = [
        executive.funded(period, ctx.selection),
        executive.delivered(period, cases),
        executive.late(period, tables["delays"], ctx.today),
        executive.changed(now, before, ctx.compared),
        executive.planned(tables["plan_by_call"]),
        executive.against_targets(tables["targets"]),
    ]
    charts = {
        "money_by_call": money.money_chart(
            ctx, "chart-money", by_call, _("Committed and disbursed by call")
        ),
        "applications_by_topic": topics.applications_chart(ctx, by_topic),
        "milestones_by_call": money.milestone_chart(ctx, by_call),
        "collaborations_by_level": level_chart,
    }
    report = Report(
        selection=ctx.selection,
        language=ctx.language,
        today=ctx.today,
        made_at=made_at,
        fund_name=fund_name,
        scope=ctx.scope(),
        headline=summary.headline(period),
        summary=summary.summary_text(ctx, period),
        key_figures=tables["key_figures"],
        tables=tables,
        charts=charts,
        topics=topics.topic_sections(ctx, by_topic, ctx.figures(by=(fig.BY_TOPIC, fig.BY_CALL))),
        track_tables=parts.track_tables,
        project_count=len(funded),
        executive=[p for p in paragraphs if p is not None],
        cases=cases,
        logo=settings.FUND_LOGO,
    )
    if appendix:
        report.projects = projects.project_pages(ctx, funded, texts or {})
    report.named_grants = frozenset(ctx.named_grants)
    return report


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
        ctx = Context(data, selection, today=today, language=language)
        return build(ctx, made_at=made_at, fund_name=fund_name, appendix=appendix, texts=texts)


@dataclass
class TableExport:
    """One table of a report, with what an export says about it."""

    table: Table
    scope: list[tuple[str, str]]
    fund_name: str
    made_at: dt.datetime


def build_table(
    data: ReportData,
    selection: ReportFilter,
    key: str,
    *,
    language: str,
    today: dt.date,
    made_at: dt.datetime,
    fund_name: str,
) -> TableExport | None:
    """The table ``key`` of the report of ``selection``, the same as the whole report's
    (None when the report has no such table)."""
    with translation.override(language):
        ctx = Context(data, selection, today=today, language=language)
        table = one_table(Parts(ctx), key)
        if table is None:
            return None
        return TableExport(table, ctx.scope(), fund_name, made_at)


def appendix_grant_ids(data: ReportData, selection: ReportFilter, today: dt.date) -> list[int]:
    ctx = Context(data, selection, today=today, language="en")
    funded = ctx.named(fig.projects(ctx.events, window=ctx.window))
    return [int(g) for g in funded["grant_id"]]


def project_page(
    data: ReportData, grant_id: int, *, language: str, today: dt.date, texts: dict
) -> ProjectPage | None:
    """The one-page summary of one funded project (the dashboard's project page)."""
    with translation.override(language):
        ctx = Context(data, ReportFilter(), today=today, language=language)
        funded = ctx.named(fig.projects(ctx.events))
        pages = projects.project_pages(ctx, funded[funded["grant_id"] == grant_id], texts)
        return next(iter(pages), None)
