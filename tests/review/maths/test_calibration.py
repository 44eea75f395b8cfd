"""Weighted totals, z-score calibration and leniency against values computed by hand."""

import math

import pandas as pd
import pytest

from review.maths.calibration import application_summary, calibrate, leniency, review_totals

CRITERIA = pd.DataFrame(
    {
        "criterion": [1, 2, 3],
        "weight": [40, 30, 30],
        "low": [0, 1, 0],  # criterion 2 is scored from 1 to 5
        "high": [10, 5, 10],
    }
)


def scores(rows):
    return pd.DataFrame(rows, columns=["review", "application", "juror", "criterion", "value"])


def test_weighted_total_scales_one_to_five_and_leaves_not_applicable_out():
    table = scores(
        [
            (1, 10, "A", 1, 8), (1, 10, "A", 2, 4), (1, 10, "A", 3, 6),
            # "not applicable" (NaN) for criterion 3: the other weights are scaled up.
            (2, 10, "B", 1, 8), (2, 10, "B", 2, 4), (2, 10, "B", 3, float("nan")),
        ]
    )  # fmt: skip

    totals = review_totals(table, CRITERIA)

    # (40·8 + 30·7.5 + 30·6) / 100 and (40·8 + 30·7.5) / 70, as (4 − 1) / 4 · 10 = 7.5.
    assert totals["total"].tolist() == pytest.approx([7.25, 545 / 70])
    assert totals[["review", "application", "juror"]].values.tolist() == [
        [1, 10, "A"],
        [2, 10, "B"],
    ]


def test_not_applicable_is_never_zero():
    with_na = scores([(1, 10, "A", 1, 8), (1, 10, "A", 3, float("nan"))])
    with_zero = scores([(1, 10, "A", 1, 8), (1, 10, "A", 3, 0)])

    assert review_totals(with_na, CRITERIA)["total"].tolist() == [8.0]
    assert review_totals(with_zero, CRITERIA)["total"].tolist() == [pytest.approx(320 / 70)]


def reviews():
    """A lenient juror A (9 and 7) and a harsh juror B (5 and 1), one review per application."""
    return pd.DataFrame(
        {
            "review": [1, 2, 3, 4],
            "application": ["P", "Q", "R", "S"],
            "juror": ["A", "A", "B", "B"],
            "total": [9.0, 7.0, 5.0, 1.0],
        }
    )


def test_z_score_calibration_by_hand():
    calibrated = calibrate(reviews())

    # All totals: mean 5.5, sd √(35/3). A: mean 8, sd √2; B: mean 3, sd √8.
    # P = 5.5 + √(35/3) · (9 − 8)/√2, R = 5.5 + √(35/3) · (5 − 3)/√8: the same.
    step = math.sqrt(35 / 3) / math.sqrt(2)
    assert calibrated["calibrated"].tolist() == pytest.approx(
        [5.5 + step, 5.5 - step, 5.5 + step, 5.5 - step]
    )


def test_a_juror_with_one_review_keeps_it_and_one_without_spread_is_shifted():
    table = pd.DataFrame(
        {
            "review": [1, 2, 3, 4],
            "application": ["P", "Q", "R", "S"],
            "juror": ["A", "B", "B", "C"],
            "total": [9.0, 4.0, 4.0, 2.0],
        }
    )

    calibrated = calibrate(table)

    # Mean of all totals 4.75. A has one review: raw. B gave 4 twice: shifted to the mean.
    assert calibrated["calibrated"].tolist() == pytest.approx([9.0, 4.75, 4.75, 2.0])


def test_leniency_by_hand():
    table = leniency(reviews())

    assert table["juror"].tolist() == ["A", "B"]
    assert table["mean"].tolist() == pytest.approx([8.0, 3.0])
    assert table["sd"].tolist() == pytest.approx([math.sqrt(2), math.sqrt(8)])
    assert table["count"].tolist() == [2, 2]
    assert table["offset"].tolist() == pytest.approx([2.5, -2.5])


def test_application_summary_by_hand():
    table = pd.DataFrame(
        {
            "review": [1, 2, 3, 4, 5],
            "application": ["P", "P", "P", "Q", "Q"],
            "juror": ["A", "B", "C", "A", "B"],
            "total": [9.0, 6.0, 3.0, 5.0, 5.0],
            "calibrated": [8.0, 6.0, 4.0, 5.0, 6.0],
        }
    )

    summary = application_summary(table).set_index("application")

    assert summary.loc["P"].tolist() == pytest.approx([6.0, 6.0, 3, 3.0, 9.0, 6.0])
    assert summary.loc["Q"].tolist() == pytest.approx([5.0, 5.5, 2, 5.0, 5.0, 0.0])
    assert list(summary.columns) == ["raw", "calibrated", "count", "lowest", "highest", "spread"]
