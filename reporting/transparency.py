"""The public transparency page: where the fund's money went, by round, topic and year,
from the same records as the 360Giving export (reporting.opendata)."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.formats import euro
from reporting.charts import Chart, Series, bar_chart
from reporting.opendata import PublishedGrant, published_grants
from reporting.tables import COUNT, EURO, Column, Table

ZERO = Decimal("0.00")


@dataclass
class Transparency:
    committed: Decimal
    paid: Decimal
    projects: list[PublishedGrant]
    tables: dict[str, Table]
    charts: dict[str, Chart]

    @property
    def count(self) -> int:
        return len(self.projects)


def _sum_table(key, title, first_label, groups: dict, order) -> Table:
    return Table(
        key=key,
        title=title,
        columns=[
            Column("group", first_label),
            Column("projects", _("Projects"), COUNT),
            Column("committed", _("Committed"), EURO),
            Column("paid", _("Paid"), EURO),
        ],
        rows=[
            [label, groups[key]["projects"], groups[key]["committed"], groups[key]["paid"]]
            for key, label in order
        ],
        empty_text=_("No grant has been published yet."),
    )


def _chart(key, title, table: Table) -> Chart:
    return bar_chart(
        key=key,
        title=title,
        categories=[row[0] for row in table.rows],
        series=[
            Series(_("Committed"), [row[2] for row in table.rows]),
            Series(_("Paid"), [row[3] for row in table.rows]),
        ],
        format_value=euro,
        empty_text=_("No grant has been published yet."),
    )


def transparency() -> Transparency:
    language = (get_language() or "de")[:2]
    records = list(published_grants())

    def empty():
        return {"projects": 0, "committed": ZERO, "paid": ZERO}

    by_call, by_topic, by_year = defaultdict(empty), defaultdict(empty), defaultdict(empty)
    call_names, call_order, topic_names = {}, {}, {}
    for record in records:
        call_names[record.call_slug] = record.call_title(language)
        call_order[record.call_slug] = (record.call_year, record.call_slug)
        topic_names[record.topic_slug] = record.topic_name(language) or "–"
        for groups, key in ((by_call, record.call_slug), (by_topic, record.topic_slug)):
            groups[key]["projects"] += 1
            groups[key]["committed"] += record.committed
            groups[key]["paid"] += record.disbursed
        # Committed in the year of the award, paid in the year of each transfer.
        by_year[record.award_date.year]["projects"] += 1
        by_year[record.award_date.year]["committed"] += record.committed
        for payment in record.disbursements:
            by_year[payment.paid_on.year]["paid"] += payment.amount
    tables = {
        "by_call": _sum_table(
            "by_call",
            _("By funding round"),
            _("Funding round"),
            by_call,
            [(slug, call_names[slug]) for slug in sorted(by_call, key=call_order.get)],
        ),
        "by_topic": _sum_table(
            "by_topic",
            _("By topic"),
            _("Topic"),
            by_topic,
            [(slug, topic_names[slug]) for slug in sorted(by_topic)],
        ),
        "by_year": _sum_table(
            "by_year",
            _("By year (committed in the year of the award, paid in the year of the transfer)"),
            _("Year"),
            by_year,
            [(year, str(year)) for year in sorted(by_year)],
        ),
    }
    charts = {
        "by_call": _chart(
            "chart-rounds", _("Committed and paid by funding round"), tables["by_call"]
        ),
        "by_topic": _chart("chart-topics", _("Committed and paid by topic"), tables["by_topic"]),
        "by_year": _chart("chart-years", _("Committed and paid by year"), tables["by_year"]),
    }
    return Transparency(
        committed=sum((r.committed for r in records), ZERO),
        paid=sum((r.disbursed for r in records), ZERO),
        projects=records,
        tables=tables,
        charts=charts,
    )
