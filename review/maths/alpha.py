"""Do the jurors agree? Krippendorff's alpha for interval data, from a raters × units matrix
with gaps (NaN where a juror did not rate an application).

1 means perfect agreement, 0 agreement no better than chance, below 0 systematic
disagreement. Undefined (None) when fewer than two values can be compared or they do not
vary.

Computed in closed form: with the interval metric (a − b)², the sum of squared differences
over all ordered pairs of m values is 2·m·SS (SS: the sum of squared deviations from their
mean), so

    D_o = (1/n) · Σ_units 2·m_u·SS_u / (m_u − 1)      (within applications)
    D_e = 2·SS / (n − 1)                              (all pairable values)
    alpha = 1 − D_o / D_e

with n the number of pairable values (those of units rated at least twice). This is exactly
the coincidence-matrix definition the ``krippendorff`` package implements (tests compare
both), but linear in the number of values: the package's matrices grow with the square of
the number of distinct values, which for weighted totals of 1,000 applications would need
tens of gigabytes.
"""

import numpy as np
import pandas as pd


def alpha(matrix) -> float | None:
    """``matrix``: raters × units, NaN where a rater did not rate a unit."""
    matrix = np.asarray(matrix, dtype=float)
    rated = ~np.isnan(matrix)
    per_unit = rated.sum(axis=0)
    pairable = per_unit >= 2
    if not pairable.any():
        return None
    values = np.where(rated[:, pairable], matrix[:, pairable], 0.0)
    counts = per_unit[pairable].astype(float)
    sums = values.sum(axis=0)
    squares = (values**2).sum(axis=0)
    unit_ss = squares - sums**2 / counts
    n = counts.sum()
    total_ss = squares.sum() - sums.sum() ** 2 / n
    expected = 2 * total_ss / (n - 1)
    if expected <= 1e-12:
        return None
    observed = (2 * counts * unit_ss / (counts - 1)).sum() / n
    return float(1 - observed / expected)


def reliability_matrix(rows: pd.DataFrame, *, value: str) -> np.ndarray:
    """Jurors × applications from rows with columns juror, application and ``value``."""
    table = rows.pivot_table(index="juror", columns="application", values=value, aggfunc="mean")
    return table.to_numpy(dtype=float)


def alpha_by_criterion(scores: pd.DataFrame) -> dict:
    """criterion → alpha of its scores (``value``; NaN for "not applicable")."""
    return {
        criterion: alpha(reliability_matrix(rows.dropna(subset=["value"]), value="value"))
        if rows["value"].notna().any()
        else None
        for criterion, rows in scores.groupby("criterion", sort=True)
    }
