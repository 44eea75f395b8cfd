"""Plan against actual, and the period before: pandas on reporting.figures' events.

- Per call: the call's budget against what its grant agreements commit and what has been
  paid for them, everything up to the end of the period (a budget is set for a whole call).
- Per budget year (the calendar year): the budgets of that year's calls against what was
  committed (agreements signed) and paid (transfers made) in that year.
Money in integer cents; shares as floats (NaN where the base is zero)."""

import pandas as pd

from reporting.figures import Events, Frames
from reporting.periods import EVERYTHING, Window

PLAN_COLUMNS = ("budget", "committed", "disbursed", "left", "committed_share", "disbursed_share")


def _shares(table: pd.DataFrame) -> pd.DataFrame:
    table["left"] = table["budget"] - table["committed"]
    table["committed_share"] = table["committed"] / table["budget"].where(table["budget"] > 0)
    table["disbursed_share"] = table["disbursed"] / table["committed"].where(table["committed"] > 0)
    return table[list(PLAN_COLUMNS)]


def plan_by_call(events: Events, calls: pd.DataFrame, *, window: Window = EVERYTHING):
    """One row per call that has a budget or money: budget, committed and disbursed up to
    the end of ``window``, what is left of the budget, and the shares."""
    to_date = window.to_date()
    grants = events.grants[to_date.mask(events.grants["date"])]
    paid = events.paid[to_date.mask(events.paid["date"])]
    table = pd.DataFrame(index=pd.Index(calls["call_id"], name="call_id"))
    table["budget"] = calls.set_index("call_id")["budget"]
    table["committed"] = grants.groupby("call_id")["committed"].sum()
    table["disbursed"] = paid.groupby("call_id")["amount"].sum()
    table = table.fillna(0).astype("int64")
    table = table[(table != 0).any(axis=1)]
    return _shares(table)


def plan_by_year(events: Events, calls: pd.DataFrame, *, window: Window = EVERYTHING):
    """One row per calendar year up to the end of ``window``: the budgets of the calls of
    that year, what was committed (signed) and paid (transferred) in it."""
    to_date = window.to_date()
    grants = events.grants[to_date.mask(events.grants["date"])]
    paid = events.paid[to_date.mask(events.paid["date"])]
    parts = [
        calls.groupby("year")["budget"].sum(),
        grants.groupby(grants["date"].dt.year)["committed"].sum().rename("committed"),
        paid.groupby(paid["date"].dt.year)["amount"].sum().rename("disbursed"),
    ]
    table = pd.concat(parts, axis=1).fillna(0).astype("int64")
    if window.end is not None:
        table = table[table.index <= window.end.year]
    table.index = table.index.astype("int64")
    table.index.name = "year"
    table = table[(table != 0).any(axis=1)].sort_index()
    return _shares(table)


def selected_calls(frames: Frames, call_ids) -> pd.DataFrame:
    """The calls frame, limited to ``call_ids`` (None: all)."""
    if call_ids is None:
        return frames.calls
    return frames.calls[frames.calls["call_id"].isin(list(call_ids))]
