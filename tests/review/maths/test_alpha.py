"""Krippendorff's alpha (interval) against hand-computed and published values."""

import numpy as np
import pandas as pd
import pytest

from review.maths.alpha import alpha, alpha_by_criterion, reliability_matrix

NAN = np.nan


def test_perfect_agreement_is_one():
    assert alpha(np.array([[1, 2, 3], [1, 2, 3]])) == pytest.approx(1.0)


def test_reversed_ratings_by_hand():
    """Two raters, two units: (1, 2) and (2, 1). Observed disagreement: each unit has two
    ordered pairs differing by 1 → D_o = (2 + 2) / 4 = 1. Expected: 8 of the 12 ordered pairs
    of the four values differ by 1 → D_e = 8 / 12. Alpha = 1 − 1 / (2/3) = −0.5."""
    assert alpha(np.array([[1, 2], [2, 1]])) == pytest.approx(-0.5)


def test_krippendorffs_published_example_with_gaps():
    data = [
        [NAN, NAN, NAN, NAN, NAN, 3, 4, 1, 2, 1, 1, 3, 3, NAN, 3],
        [1, NAN, 2, 1, 3, 3, 4, 3, NAN, NAN, NAN, NAN, NAN, NAN, NAN],
        [NAN, NAN, 2, 1, 3, 4, 4, NAN, 2, 1, 1, 3, 3, NAN, 4],
    ]

    assert alpha(np.array(data)) == pytest.approx(0.810845, abs=1e-6)


def test_undefined_without_pairs_or_without_variation():
    assert alpha(np.array([[1, NAN], [NAN, 2]])) is None
    assert alpha(np.array([[3, 3], [3, 3]])) is None


def test_per_criterion_from_rows():
    rows = pd.DataFrame(
        {
            "criterion": [1, 1, 1, 1, 2, 2, 2, 2],
            "juror": ["x", "y", "x", "y", "x", "y", "x", "y"],
            "application": [10, 10, 11, 11, 10, 10, 11, 11],
            "value": [1, 1, 2, 2, 1, 2, 2, NAN],
        }
    )

    assert reliability_matrix(rows[rows.criterion == 1], value="value").tolist() == [
        [1.0, 2.0],
        [1.0, 2.0],
    ]
    result = alpha_by_criterion(rows)
    assert result[1] == pytest.approx(1.0)
    # Criterion 2: only application 10 has two ratings, 1 and 2. D_o = 2 / 2 = 1 and
    # D_e = 2 / 2 = 1 (both ordered pairs differ by 1): alpha = 0.
    assert result[2] == pytest.approx(0.0)


@pytest.mark.parametrize("seed", range(8))
def test_the_closed_form_equals_the_krippendorff_package(seed):
    """The ``krippendorff`` package (coincidence matrices) as the oracle, on discrete scores
    with gaps, as jurors give them."""
    import krippendorff

    rng = np.random.default_rng(seed)
    matrix = np.full((9, 40), np.nan)
    for unit in range(40):
        raters = rng.choice(9, size=rng.integers(1, 4), replace=False)
        matrix[raters, unit] = rng.integers(0, 11, size=len(raters))

    assert alpha(matrix) == pytest.approx(
        krippendorff.alpha(reliability_data=matrix, level_of_measurement="interval")
    )


def test_continuous_totals_of_a_thousand_applications_need_little_memory():
    rng = np.random.default_rng(3)
    matrix = np.full((30, 1000), np.nan)
    for unit in range(1000):
        matrix[rng.choice(30, size=3, replace=False), unit] = rng.uniform(0, 10, size=3)

    result = alpha(matrix)

    assert -0.2 < result < 0.2  # random totals: agreement about chance
