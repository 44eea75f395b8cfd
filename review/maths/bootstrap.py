"""How certain is a rank? A 90 % bootstrap interval per application.

Each of ``resamples`` rounds draws, for every application, as many reviews as it has, with
replacement, from its own reviews, averages them, and ranks all applications by these
averages (rank 1 is the best; equal averages share the better rank). The interval runs
from the 5th to the 95th percentile of an application's ranks over all rounds. Applications
with few or disagreeing reviews get wide intervals. The generator is seeded, so the same
reviews always give the same intervals.
"""

import numpy as np
import pandas as pd

RESAMPLES = 1000
SEED = 20260701
CONFIDENCE = 0.90


def competition_ranks(values: np.ndarray) -> np.ndarray:
    """Rank 1 for the largest value; ties share the better rank ("1, 2, 2, 4"). Works on a
    vector, or row by row on a matrix."""
    values = np.asarray(values, dtype=float)
    matrix = np.atleast_2d(values)
    order = np.argsort(-matrix, axis=1, kind="stable")
    ordered = np.take_along_axis(matrix, order, axis=1)
    positions = np.broadcast_to(np.arange(matrix.shape[1]), matrix.shape)
    starts = np.ones(matrix.shape, dtype=bool)
    starts[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    # Each value's rank is the position where its run of equal values begins, plus one.
    first = np.maximum.accumulate(np.where(starts, positions, 0), axis=1) + 1
    ranks = np.empty(matrix.shape, dtype=int)
    np.put_along_axis(ranks, order, first, axis=1)
    return ranks[0] if values.ndim == 1 else ranks


def rank_intervals(
    reviews: pd.DataFrame,
    *,
    value: str = "calibrated",
    resamples: int = RESAMPLES,
    seed: int = SEED,
    confidence: float = CONFIDENCE,
) -> pd.DataFrame:
    """``reviews``: one row per review with columns application and ``value``. Returns one
    row per application: application, mean, rank, low, high."""
    if reviews.empty:
        return pd.DataFrame(columns=["application", "mean", "rank", "low", "high"])
    grouped = reviews.groupby("application", sort=True)[value]
    applications = np.array(list(grouped.groups))
    means = grouped.mean().to_numpy()
    rng = np.random.default_rng(seed)
    sampled = np.empty((resamples, len(applications)))
    counts = grouped.count().to_numpy()
    values_of = [group.to_numpy(dtype=float) for _name, group in grouped]
    # Applications with the same number of reviews are resampled together.
    for count in np.unique(counts):
        columns = np.flatnonzero(counts == count)
        matrix = np.stack([values_of[column] for column in columns])  # apps × count
        picks = rng.integers(0, count, size=(resamples, len(columns), count))
        sampled[:, columns] = np.take_along_axis(
            np.broadcast_to(matrix, (resamples, *matrix.shape)), picks, axis=2
        ).mean(axis=2)
    ranks = competition_ranks(sampled)
    tail = (1 - confidence) / 2
    low = np.quantile(ranks, tail, axis=0, method="inverted_cdf")
    high = np.quantile(ranks, 1 - tail, axis=0, method="inverted_cdf")
    return pd.DataFrame(
        {
            "application": applications,
            "mean": means,
            "rank": competition_ranks(means),
            "low": low.astype(int),
            "high": high.astype(int),
        }
    )
