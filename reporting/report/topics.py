"""The topics: applications and money by topic (with each topic's share), the chart of
applications by topic, and one section per topic with its figures and money chart."""

import pandas as pd
from django.utils.translation import gettext as _

from reporting import figures as fig
from reporting.charts import Chart, Series, bar_chart
from reporting.report.context import Context
from reporting.report.labels import definition, kind, label, row_values, value_of
from reporting.report.model import TopicSection
from reporting.report.money import money_chart
from reporting.tables import COUNT, PERCENT, Column, Table, format_count

TOPIC_FIGURES = ("received", "approved", "funded", "acceptance_rate", "committed", "disbursed",
                 "milestones_due", "late", "repositories", "datasets", "security_audits",
                 "vulnerabilities_fixed", "users_reached", "collaborations",
                 "follow_up_funding")  # fmt: skip


def topic_table(ctx: Context, by_topic: pd.DataFrame) -> Table:
    table = ctx.grouped_table(
        "by_topic",
        _("Applications by topic"),
        Column("topic", _("Topic")),
        ("received", "approved", "funded", "acceptance_rate"),
        by_topic,
        ctx.ordered_topics,
        ctx.topic_name,
    )
    shares = fig.topic_shares(by_topic)
    table.columns.insert(2, Column("share", _("Share of applications"), PERCENT))
    # The rows are the ordered topics, one each: a topic's share goes into its own row.
    for index, pk in enumerate(ctx.ordered_topics(by_topic.index)):
        table.rows[index].insert(2, value_of("acceptance_rate", shares.loc[pk]))
    return table


def money_table(ctx: Context, by_topic: pd.DataFrame) -> Table:
    return ctx.grouped_table(
        "money_by_topic",
        _("Money by topic"),
        Column("topic", _("Topic")),
        ("requested", "committed", "disbursed", "gap"),
        by_topic,
        ctx.ordered_topics,
        ctx.topic_name,
    )


def applications_chart(ctx: Context, by_topic: pd.DataFrame) -> Chart:
    topic_ids = ctx.ordered_topics(by_topic.index)
    return bar_chart(
        key="chart-topics",
        title=_("Applications received and funded by topic"),
        categories=[ctx.topic_name(pk) for pk in topic_ids],
        series=[
            Series(_("Received"), [int(by_topic.loc[pk, "received"]) for pk in topic_ids]),
            Series(_("Funded"), [int(by_topic.loc[pk, "funded"]) for pk in topic_ids]),
        ],
        format_value=format_count,
        empty_text=_("No data."),
    )


def topic_section(ctx: Context, topic_id: int, by_topic, by_topic_call) -> TopicSection:
    """A topic's figures and chart, from the tables per topic and per topic and call."""
    values = row_values(by_topic, topic_id)
    if topic_id in by_topic_call.index.get_level_values("topic_id"):
        by_call = by_topic_call.xs(topic_id, level="topic_id")
    else:
        by_call = by_topic_call.head(0).droplevel("topic_id")  # no rows, the same columns
    name = ctx.topic_name(topic_id)
    slug = ctx.data.topics[topic_id].slug
    return TopicSection(
        slug=slug,
        name=name,
        figures=Table(
            key=f"topic_{slug}",
            title=_("Key figures: %(topic)s") % {"topic": name},
            columns=[
                Column("figure", _("Figure")),
                Column("value", _("Value"), COUNT),
                Column("definition", _("How it is counted")),
            ],
            rows=[[label(n), value_of(n, values[n]), definition(n)] for n in TOPIC_FIGURES],
            row_kinds=[kind(n) for n in TOPIC_FIGURES],
        ),
        chart=money_chart(
            ctx,
            f"chart-topic-{slug}",
            by_call,
            _("%(topic)s: committed and disbursed by call") % {"topic": name},
        ),
    )


def topic_sections(ctx: Context, by_topic, by_topic_call) -> list[TopicSection]:
    return [topic_section(ctx, pk, by_topic, by_topic_call) for pk in ctx.section_topics()]
