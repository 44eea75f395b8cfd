"""Do the jurors agree? Krippendorff's alpha (interval level), computed by the
``krippendorff`` package from a jurors × applications matrix with gaps.

1 means perfect agreement, 0 agreement no better than chance, below 0 systematic
disagreement. It is undefined (None) when fewer than two values can be compared.
"""

import math

import krippendorff
import numpy as np
import pandas as pd


def alpha(matrix: np.ndarray) -> float | None:
    """``matrix``: raters × units, NaN where a rater did not rate a unit."""
    matrix = np.asarray(matrix, dtype=float)
    rated = (~np.isnan(matrix)).sum(axis=0)
    pairable = matrix[:, rated >= 2]
    values = pairable[~np.isnan(pairable)]
    if values.size < 2 or np.unique(values).size < 2:
        return None
    result = float(krippendorff.alpha(reliability_data=pairable, level_of_measurement="interval"))
    return None if math.isnan(result) else result


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
