"""The report package's parts on hand-built frames (no database): names and order of calls
and topics, the scope, grouped tables, shortened reasons, labels of stored choices, the
milestones of a project page and the targets' scope."""

import datetime as dt
import math
from decimal import Decimal

import pandas as pd
import pytest
from django.utils import translation

from grants.states import GovernmentLevel
from reporting.data import CallInfo, ReportData, TopicInfo
from reporting.figures import FIGURES, Frames
from reporting.filters import ReportFilter
from reporting.report import delays, labels, outcomes, projects, targets
from reporting.report.context import Context
from tests.reporting.test_figures import application, call, grant, milestone

TODAY = dt.date(2026, 6, 15)
CALLS = {
    1: CallInfo(1, "2025-2", "Runde 2025/2", "Round 2025/2", 2025, 2, "decided", 1_000_000),
    2: CallInfo(2, "2026-1", "Runde 2026/1", "Round 2026/1", 2026, 1, "open", 0),
    3: CallInfo(3, "2025-1", "Runde 2025/1", "Round 2025/1", 2025, 1, "archived", 0),
}
TOPICS = {
    1: TopicInfo(1, "data-security", "Datensicherheit", "Data Security"),
    2: TopicInfo(2, "open-data", "Offene Daten", "Open Data"),
    3: TopicInfo(3, "zz-other", "Anderes", "Other"),
}


def context(selection=None, language="en", targets_set=(), **rows):
    rows.setdefault("calls", [call(pk, budget=CALLS[pk].budget) for pk in CALLS])
    report_data = ReportData(
        frames=Frames.from_rows(**rows), calls=CALLS, topics=TOPICS, targets=list(targets_set)
    )
    return Context(report_data, selection or ReportFilter(), today=TODAY, language=language)


def test_calls_by_year_and_round_and_topics_in_the_funds_order():
    ctx = context()

    assert ctx.ordered_calls([2, 1, 3, 99]) == [99, 3, 1, 2]  # an unknown call first
    assert ctx.ordered_topics([3, 1, 2, float("nan")]) == [2, 1, 3]
    assert ctx.section_topics() == [2, 1, 3]
    assert context(ReportFilter(topic="open-data")).section_topics() == [2]


def test_names_in_the_reports_language_and_a_dash_for_the_unknown():
    ctx, german = context(), context(language="de")

    assert (ctx.call_name(1), german.call_name(1), ctx.call_name(42)) == (
        "Round 2025/2", "Runde 2025/2", "–",
    )  # fmt: skip
    assert (ctx.topic_name(2), german.topic_name(2.0), ctx.topic_name(float("nan"))) == (
        "Open Data", "Offene Daten", "–",
    )  # fmt: skip


def test_the_scope_says_what_the_report_covers():
    with translation.override("en"):
        everything = context().scope()
        narrow = context(
            ReportFilter(call="2025-2", topic="open-data", date_from=dt.date(2026, 1, 1))
        ).scope()

    assert everything == [("Call", "All calls"), ("Topic", "All topics"),
                          ("Period", "Since the fund began")]  # fmt: skip
    assert narrow == [("Call", "Round 2025/2"), ("Topic", "Open Data"),
                      ("Period", "Since 1 January 2026")]  # fmt: skip


def test_an_unknown_call_or_topic_selects_nothing():
    ctx = context(ReportFilter(call="gone"), applications=[application(1, call=1)])

    assert ctx.call is None
    assert ctx.events.applications.empty
    assert context(
        ReportFilter(topic="gone"), applications=[application(1)]
    ).events.applications.empty


def test_a_grouped_table_in_the_order_given():
    ctx = context(applications=[application(1, call=1), application(2, call=3),
                                application(3, call=3, funded=True)])  # fmt: skip
    from reporting import figures as fig
    from reporting.tables import Column

    with translation.override("en"):
        table = ctx.grouped_table("t", "T", Column("call", "Call"), ("received", "funded"),
                                  ctx.figures(by=fig.BY_CALL), ctx.ordered_calls, ctx.call_name)  # fmt: skip

    assert table.rows == [["Round 2025/1", 2, 1], ["Round 2025/2", 1, 0]]
    assert [c.label for c in table.columns] == ["Call", "Applications received",
                                                "Funded (agreement signed)"]  # fmt: skip


def test_reasons_are_shortened_to_what_a_page_holds():
    with translation.override("en"):
        assert delays.shortened([]) == "No reason given."
        assert delays.shortened(["Ill.", "Data late."]) == "Ill. · Data late."
        long = delays.shortened(["x" * 500])
    # The limit written out: changing it changes every report, so a test must say so.
    assert long == "x" * 399 + "…"
    assert delays.shortened(["y" * 400]) == "y" * 400
    assert delays.shortened(["y" * 401]) == "y" * 399 + "…"


def test_stored_choices_by_their_label_and_figures_as_typed_values():
    with translation.override("en"):
        assert labels.label_of(GovernmentLevel, "state") == "Federal state"
        assert labels.label_of(GovernmentLevel, "galactic") == "galactic"
    assert labels.value_of("committed", 4_750_050) == Decimal("47500.50")
    assert labels.value_of("acceptance_rate", float("nan")) is None
    assert labels.value_of("acceptance_rate", 0.25) == 0.25
    assert labels.value_of("received", 3.0) == 3 and isinstance(
        labels.value_of("received", 3.0), int
    )
    missing = labels.row_values(Frames().applications, "missing")
    assert math.isnan(missing.pop("acceptance_rate"))  # no rate, not a rate of 0
    assert missing == {name: 0 for name in FIGURES if name != "acceptance_rate"}


def test_a_project_pages_milestones_and_facts():
    ctx = context(
        grants=[grant(1, award=4_000_000)],
        milestones=[milestone(1, 1, due="2026-02-01", reported="2026-02-03", position=2),
                    milestone(2, 1, due="2026-01-01", position=1)],
    )  # fmt: skip
    rows = ctx.events.milestones.sort_values("position")

    with translation.override("en"):
        table = projects.milestone_table(1, rows)
        empty = projects.milestone_table(2, None)

    assert table.rows == [
        [1, "M2", dt.date(2026, 1, 1), None, None, Decimal("10.00")],
        [2, "M1", dt.date(2026, 2, 1), dt.date(2026, 2, 3), None, Decimal("10.00")],
    ]
    assert (empty.rows, empty.empty_text) == ([], "No milestones.")


def test_targets_of_the_fund_and_of_calls_against_what_each_achieved():
    ctx = context(
        targets_set=[(None, "funded", Decimal(4)), (1, "funded", Decimal(2)),
                     (3, "committed", Decimal("100.00"))],
        applications=[application(1, call=1, funded=True), application(2, call=3, funded=True)],
        grants=[grant(1, call=3, award=5_000, signed="2026-01-01")],
    )  # fmt: skip

    with translation.override("en"):
        rows = targets.targets_table(ctx).rows
        of_call = targets.targets_table(
            context(ReportFilter(call="2025-2"), targets_set=[(None, "funded", Decimal(4)),
                                                             (1, "funded", Decimal(2))],
                    applications=[application(1, call=1, funded=True)])
        ).rows  # fmt: skip

    assert rows == [
        ["Funded (agreement signed)", "The whole fund", 4, 2, 0.5],
        ["Funded (agreement signed)", "Round 2025/2", 2, 1, 0.5],
        ["Committed", "Round 2025/1", Decimal("100.00"), Decimal("50.00"), 0.5],
    ]
    assert of_call == [["Funded (agreement signed)", "Round 2025/2", 2, 1, 0.5]]


def test_a_target_of_zero_has_no_share_and_a_call_without_events_achieved_nothing():
    ctx = context(targets_set=[(2, "datasets", Decimal(0)), (2, "releases", Decimal(3))])

    with translation.override("en"):
        rows = targets.targets_table(ctx).rows

    assert rows == [["Datasets opened", "Round 2026/1", 0, 0, None],
                    ["Releases", "Round 2026/1", 3, 0, 0.0]]  # fmt: skip


def test_a_target_in_euros_keeps_its_cents_and_a_count_is_a_whole_number():
    ctx = context(targets_set=[(2, "follow_up_funding", Decimal("12345.67")),
                               (2, "releases", Decimal(3))])  # fmt: skip

    with translation.override("en"):
        euros, releases = targets.targets_table(ctx).rows

    assert euros[2] == Decimal("12345.67")
    assert (releases[2], type(releases[2])) == (3, int)


def test_a_calls_report_shows_its_own_targets_and_not_the_funds():
    ctx = context(ReportFilter(call="2026-1"),
                  targets_set=[(None, "releases", Decimal(10)), (1, "releases", Decimal(4)),
                               (2, "releases", Decimal(3))])  # fmt: skip

    with translation.override("en"):
        rows = targets.targets_table(ctx).rows

    assert rows == [["Releases", "Round 2026/1", 3, 0, 0.0]]


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_compared_periods_follow_the_selection(language):
    ctx = context(ReportFilter(date_from=dt.date(2026, 4, 1), date_to=dt.date(2026, 6, 30)),
                  language=language)  # fmt: skip

    current, previous = ctx.compared

    assert (current.start, current.end) == (dt.date(2026, 4, 1), dt.date(2026, 6, 30))
    assert (previous.start, previous.end) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))


def test_the_follow_up_table_lists_every_project_with_any_follow_up_funding():
    funded = pd.DataFrame(
        {
            "reference": ["R1", "R2", "R3"],
            "title": ["None", "One cent", "Much"],
            "funder": ["", "Foundation", "Ministry"],
            "follow_up": [0, 1, 5_000_000],
        }
    )

    with translation.override("en"):
        table = outcomes.follow_up_table(funded)

    assert table.rows == [
        ["R2", "One cent", "Foundation", Decimal("0.01")],
        ["R3", "Much", "Ministry", Decimal("50000.00")],
    ]
