"""Review totals and the calibrated ranking, pandas in, pandas out (the numbers come from
review.maths.additive_model).

A review's *total* is the weighted mean of its criteria's scores, each put on 0–10 first
(a 1–5 score s counts as (s − 1) / 4 · 10). A criterion marked "not applicable" is left out
and the weights of the others are scaled up: it never counts as 0.

Calibration: some jurors score everything high, others low. The additive model (total =
application effect + juror offset + noise) estimates every juror's offset from all the
applications they share with other jurors, shrunk toward 0 for jurors with few reviews,
and the application's effect with the offsets taken out. Ranks and 90 % rank intervals
come from joint draws of all application effects. The raw view ranks by the plain mean of
the totals; its intervals come from the same model without offsets.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from review.maths import additive_model as model


def review_totals(scores: pd.DataFrame, criteria: pd.DataFrame) -> pd.DataFrame:
    """``scores``: one row per score with columns review, application, juror, criterion,
    value (NaN when not applicable). ``criteria``: criterion, weight, low, high.
    Returns one row per review: review, application, juror, total (reviews without any
    applicable score are left out)."""
    merged = scores.merge(criteria, on="criterion", how="inner")
    merged = merged[merged["value"].notna()]
    if merged.empty:
        return pd.DataFrame(columns=["review", "application", "juror", "total"])
    normalised = (merged["value"].astype(float) - merged["low"]) / (merged["high"] - merged["low"])
    merged = merged.assign(
        weighted=normalised * 10 * merged["weight"], weight=merged["weight"].astype(float)
    )
    grouped = merged.groupby(["review", "application", "juror"], as_index=False, sort=True)[
        ["weighted", "weight"]
    ].sum()
    grouped["total"] = grouped["weighted"] / grouped["weight"]
    return grouped[["review", "application", "juror", "total"]]


APPLICATION_COLUMNS = [
    "application",
    "count",
    "raw",
    "lowest",
    "highest",
    "calibrated",
    "se",
    "adjusted_lowest",
    "adjusted_highest",
    "spread",
    "rank",
    "expected_rank",
    "low",
    "high",
]
JUROR_COLUMNS = ["juror", "count", "mean", "offset", "offset_se"]


@dataclass(frozen=True)
class Calibration:
    """``applications``: one row per application (APPLICATION_COLUMNS): reviews, raw mean,
    lowest and highest total, calibrated score and its standard error, lowest and highest
    total after the jurors' offsets and the spread between them, the rank on the chosen
    basis, the expected rank and the 90 % rank interval [low, high]. ``jurors``: per juror
    the number of reviews, the mean total, the offset (+ lenient, − harsh) and its standard
    error, most lenient first. The standard deviations describe the jury as a whole: the
    noise of one review, how much applications and how much jurors' offsets differ."""

    applications: pd.DataFrame
    jurors: pd.DataFrame
    residual_sd: float | None = None
    application_sd: float | None = None
    juror_sd: float | None = None


def calibrated_ranking(
    reviews: pd.DataFrame,
    *,
    calibrated: bool = True,
    draws: int = model.DRAWS,
    seed: int = model.SEED,
) -> Calibration:
    """``reviews``: the rows of ``review_totals``. Ranked by the calibrated score, or by the
    raw mean when ``calibrated`` is False."""
    if reviews.empty:
        return Calibration(
            pd.DataFrame(columns=APPLICATION_COLUMNS), pd.DataFrame(columns=JUROR_COLUMNS)
        )
    applications, application_ids = pd.factorize(reviews["application"], sort=True)
    jurors, juror_ids = pd.factorize(reviews["juror"], sort=True)
    data = model.Data.of(
        applications,
        jurors,
        reviews["total"].to_numpy(dtype=float),
        applications=len(application_ids),
        jurors=len(juror_ids),
    )
    fitted = model.fit(data)
    table = (
        reviews.assign(adjusted=fitted.adjusted(data))
        .groupby("application", sort=True)
        .agg(
            count=("total", "count"),
            raw=("total", "mean"),
            lowest=("total", "min"),
            highest=("total", "max"),
            adjusted_lowest=("adjusted", "min"),
            adjusted_highest=("adjusted", "max"),
        )
        .reset_index()
    )
    table["spread"] = table["adjusted_highest"] - table["adjusted_lowest"]
    table["calibrated"] = fitted.scores
    table["se"] = fitted.score_se
    basis = fitted if calibrated else model.fit(data, offsets=False)
    summary = model.rank_summary(model.draw_scores(basis, draws=draws, seed=seed))
    # Ties (to rounding noise) share the better rank; the interval always holds the rank.
    ranked_by = fitted.scores if calibrated else table["raw"].to_numpy()
    rank = model.competition_ranks(np.round(ranked_by, 9))
    table["rank"] = rank
    table["expected_rank"] = summary.expected
    table["low"] = np.minimum(summary.low, rank)
    table["high"] = np.maximum(summary.high, rank)
    by_juror = reviews.groupby("juror", sort=True)["total"]
    juror_table = pd.DataFrame(
        {
            "juror": juror_ids,
            "count": by_juror.count().to_numpy(),
            "mean": by_juror.mean().to_numpy(),
            "offset": fitted.offsets,
            "offset_se": fitted.offset_se,
        }
    ).sort_values(["offset", "juror"], ascending=[False, True], ignore_index=True)
    return Calibration(
        table[APPLICATION_COLUMNS],
        juror_table,
        residual_sd=fitted.residual_sd,
        application_sd=fitted.application_sd,
        juror_sd=fitted.juror_sd,
    )
