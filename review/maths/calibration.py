"""Review scores: weighted totals, per-juror z-score calibration, leniency, per-application
summaries. pandas in, pandas out.

A review's *total* is the weighted mean of its criteria's scores, each put on 0–10 first
(a 1–5 score s counts as (s − 1) / 4 · 10). A criterion marked "not applicable" is left out
and the weights of the others are scaled up: it never counts as 0.

Calibration: some jurors score everything high, others low. Each juror's totals are turned
into z-scores (how many of their own standard deviations above their own mean), and put
back on the common scale with the mean and standard deviation of all totals:
``calibrated = μ + σ · (total − μ_juror) / σ_juror``. A juror with fewer than
``MIN_REVIEWS`` reviews cannot be calibrated and keeps their raw totals; a juror who gave
every application the same total is only shifted (``total − μ_juror + μ``).
"""

import numpy as np
import pandas as pd

MIN_REVIEWS = 2


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


def calibrate(reviews: pd.DataFrame) -> pd.DataFrame:
    """Adds ``calibrated`` to the rows of ``review_totals``."""
    reviews = reviews.copy()
    if reviews.empty:
        reviews["calibrated"] = pd.Series(dtype=float)
        return reviews
    overall_mean = reviews["total"].mean()
    overall_sd = reviews["total"].std(ddof=1) if len(reviews) > 1 else 0.0
    by_juror = reviews.groupby("juror")["total"]
    juror_mean = by_juror.transform("mean")
    juror_sd = by_juror.transform(lambda totals: totals.std(ddof=1) if len(totals) > 1 else 0.0)
    juror_count = by_juror.transform("count")
    scaled = overall_mean + overall_sd * (reviews["total"] - juror_mean) / juror_sd.where(
        juror_sd > 0
    )
    shifted = reviews["total"] - juror_mean + overall_mean
    calibrated = np.where(juror_sd > 0, scaled, shifted)
    reviews["calibrated"] = np.where(juror_count >= MIN_REVIEWS, calibrated, reviews["total"])
    return reviews


def leniency(reviews: pd.DataFrame) -> pd.DataFrame:
    """Per juror: mean, standard deviation and number of their totals, and how far their
    mean lies above (+) or below (−) the mean of all totals."""
    overall_mean = reviews["total"].mean() if len(reviews) else np.nan
    table = (
        reviews.groupby("juror")["total"]
        .agg(mean="mean", sd=lambda totals: totals.std(ddof=1), count="count")
        .reset_index()
    )
    table["offset"] = table["mean"] - overall_mean
    return table.sort_values(["offset", "juror"], ascending=[False, True], ignore_index=True)


def application_summary(reviews: pd.DataFrame) -> pd.DataFrame:
    """Per application: raw and calibrated mean, number of reviews, lowest and highest
    total and the spread between them."""
    table = (
        reviews.groupby("application")
        .agg(
            raw=("total", "mean"),
            calibrated=("calibrated", "mean"),
            count=("total", "count"),
            lowest=("total", "min"),
            highest=("total", "max"),
        )
        .reset_index()
    )
    table["spread"] = table["highest"] - table["lowest"]
    return table
