"""Plan against actual (reporting.plan) on frames built by hand: budgets per call and per
budget year against what was committed and paid, to the end of the period."""

import datetime as dt
import math

import pandas as pd

from reporting import figures, plan
from reporting.figures import Frames
from reporting.periods import Window
from tests.reporting.test_figures import TODAY, call, grant, ts


def world():
    frames = Frames.from_rows(
        calls=[
            call(1, year=2025, budget=1_000_000),
            call(2, year=2026, budget=500_000),
            call(3, year=2026, budget=0),  # no budget set, no money: left out
        ],
        grants=[
            grant(1, call=1, award=300_000, signed="2025-03-01"),
            grant(2, call=1, award=200_000, signed="2026-01-15"),
            grant(3, call=2, award=400_000, signed="2026-05-01", committed=120_000),
        ],
        payments=[
            (1, True, 100_000, ts("2025-06-01")),
            (1, True, 50_000, ts("2026-02-01")),
            (3, False, 120_000, ts("2026-05-10")),  # released for the terminated grant
            (3, True, 120_000, ts("2026-05-20")),
        ],
    )
    return frames, figures.prepare(frames, today=TODAY)


def test_plan_per_call_everything_to_date():
    frames, events = world()

    table = plan.plan_by_call(events, frames.calls)

    assert list(table.index) == [1, 2]
    assert table.loc[1, ["budget", "committed", "disbursed", "left"]].tolist() == [
        1_000_000, 500_000, 150_000, 500_000,
    ]  # fmt: skip
    assert table.loc[1, "committed_share"] == 0.5
    assert table.loc[1, "disbursed_share"] == 0.3
    # The terminated grant commits what was released for it.
    assert table.loc[2, ["committed", "disbursed", "left"]].tolist() == [120_000, 120_000, 380_000]
    assert table.loc[2, "disbursed_share"] == 1.0


def test_plan_per_call_to_the_end_of_the_period():
    frames, events = world()

    table = plan.plan_by_call(
        events, frames.calls, window=Window(dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    )

    # Up to 31 January 2026: both grants of call 1 signed, one payment made; call 2 untouched
    # but it has a budget.
    assert table.loc[1, ["committed", "disbursed"]].tolist() == [500_000, 100_000]
    assert table.loc[2, ["committed", "disbursed", "left"]].tolist() == [0, 0, 500_000]
    assert math.isnan(table.loc[2, "disbursed_share"])


def test_a_call_with_money_but_no_budget_has_no_share():
    frames = Frames.from_rows(calls=[call(1, budget=0)], grants=[grant(1, call=1, award=10)])
    events = figures.prepare(frames, today=TODAY)

    table = plan.plan_by_call(events, frames.calls)

    assert table.loc[1, ["budget", "committed", "left"]].tolist() == [0, 10, -10]
    assert math.isnan(table.loc[1, "committed_share"])


def test_plan_per_budget_year():
    frames, events = world()

    table = plan.plan_by_year(events, frames.calls)

    assert list(table.index) == [2025, 2026]
    assert table.loc[2025, ["budget", "committed", "disbursed"]].tolist() == [
        1_000_000, 300_000, 100_000,
    ]  # fmt: skip
    assert table.loc[2026, ["budget", "committed", "disbursed"]].tolist() == [
        500_000, 320_000, 170_000,
    ]  # fmt: skip
    assert table.loc[2026, "left"] == 180_000
    assert table.loc[2025, "committed_share"] == 0.3


def test_plan_per_budget_year_stops_at_the_end_of_the_period():
    frames, events = world()

    table = plan.plan_by_year(events, frames.calls, window=Window(None, dt.date(2025, 12, 31)))

    assert list(table.index) == [2025]
    assert table.loc[2025, ["committed", "disbursed"]].tolist() == [300_000, 100_000]


def test_no_calls_no_plan():
    events = figures.prepare(Frames(), today=TODAY)

    assert plan.plan_by_call(events, Frames().calls).empty
    assert plan.plan_by_year(events, Frames().calls).empty


def test_selected_calls():
    frames, _events = world()

    assert plan.selected_calls(frames, None)["call_id"].tolist() == [1, 2, 3]
    assert plan.selected_calls(frames, [2])["call_id"].tolist() == [2]
    assert plan.selected_calls(frames, [])["call_id"].tolist() == []
    assert isinstance(plan.selected_calls(frames, [2]), pd.DataFrame)


def test_shares_of_a_single_cent_and_none_of_nothing():
    """A share needs a base above zero: one cent is a base, zero is none (not infinity)."""
    frames = Frames.from_rows(
        calls=[call(1, budget=1), call(2, budget=100)],
        grants=[grant(1, call=1, award=1), grant(2, call=2, award=90, committed=0)],
        payments=[(1, True, 1, ts("2026-02-01")), (2, True, 40, ts("2026-02-01"))],
    )
    events = figures.prepare(frames, today=TODAY)

    by_call = plan.plan_by_call(events, frames.calls)
    by_year = plan.plan_by_year(events, frames.calls)

    assert (by_call.loc[1, "committed_share"], by_call.loc[1, "disbursed_share"]) == (1.0, 1.0)
    # Call 2 commits nothing (a terminated grant with nothing released) but paid 40 cents.
    assert by_call.loc[2, ["committed", "disbursed"]].tolist() == [0, 40]
    assert math.isnan(by_call.loc[2, "disbursed_share"])
    assert by_year.loc[2026, ["budget", "committed", "disbursed"]].tolist() == [101, 1, 41]


def test_a_year_of_one_cent_stays_and_a_year_without_money_is_left_out():
    frames = Frames.from_rows(
        calls=[call(1, year=2025, budget=1), call(2, year=2027, budget=0)],
        grants=[grant(1, call=1, award=1, signed="2025-03-01")],
        payments=[(1, True, 1, ts("2025-04-01"))],
    )
    events = figures.prepare(frames, today=TODAY)

    table = plan.plan_by_year(events, frames.calls)

    assert list(table.index) == [2025]
    assert table.loc[2025, ["budget", "committed", "disbursed", "left"]].tolist() == [1, 1, 1, 0]
