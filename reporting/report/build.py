"""The whole report: every section built from one context, in one language."""

import datetime as dt

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


def build(ctx: Context, *, made_at, fund_name, appendix, texts) -> Report:
    period = row_values(ctx.figures())
    to_date = (
        row_values(ctx.figures(window=ctx.window.to_date())) if ctx.selection.has_period else None
    )
    by_call = ctx.figures(by=fig.BY_CALL)
    by_topic = ctx.figures(by=fig.BY_TOPIC)
    by_quarter = ctx.figures(by=fig.BY_QUARTER)
    by_topic_call = ctx.figures(by=(fig.BY_TOPIC, fig.BY_CALL))
    funded = ctx.named(fig.projects(ctx.events, window=ctx.window))
    by_call_tables = money.by_call_tables(ctx, by_call)
    track_tables = tracks.track_tables(ctx, ctx.figures(by=(fig.BY_CALL, fig.BY_TRACK)))
    tables = {
        "key_figures": summary.key_figures(period, to_date),
        "applications_by_call": by_call_tables["applications_by_call"],
        "applications_by_stage": stages.stage_table(ctx),
        "money_by_call": by_call_tables["money_by_call"],
        "milestones_by_call": by_call_tables["milestones_by_call"],
        "by_topic": topics.topic_table(ctx, by_topic),
        "money_by_topic": topics.money_table(ctx, by_topic),
        "by_quarter": money.quarter_table(ctx, by_quarter),
        "outcomes_by_topic": outcomes.outcomes_by_topic(ctx, by_topic, period),
        "delays": delays.delays_table(ctx),
        "collaborations": outcomes.collaborations_table(ctx),
        "follow_up": outcomes.follow_up_table(funded),
        "projects": projects.projects_table(ctx, funded),
        "project_index": projects.project_index(ctx, funded),
    }
    tables |= {table.key: table for table in track_tables}
    level_table, level_chart = outcomes.level_table(ctx)
    tables["collaborations_by_level"] = level_table
    tables["plan_by_call"] = plan.plan_by_call_table(ctx)
    tables["plan_by_year"] = plan.plan_by_year_table(ctx)
    tables["comparison"], now, before = plan.comparison(ctx)
    tables["targets"] = targets.targets_table(ctx)
    tables["definitions"] = summary.definitions_table()
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
        topics=topics.topic_sections(ctx, by_topic, by_topic_call),
        track_tables=track_tables,
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
