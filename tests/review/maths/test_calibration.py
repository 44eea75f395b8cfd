"""Weighted totals and the calibrated ranking (review.maths.calibration) against values
worked out by hand."""

import dataclasses

import pandas as pd
import pytest

from review.maths.additive_model import Data, fit
from review.maths.calibration import calibrated_ranking, review_totals

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


def test_totals_come_one_per_review_in_review_order_whatever_the_input_order():
    table = scores([(2, 11, "B", 1, 5), (1, 10, "A", 1, 8), (2, 11, "B", 2, 1)])

    totals = review_totals(table, CRITERIA)

    assert totals[["review", "application", "juror"]].values.tolist() == [
        [1, 10, "A"],
        [2, 11, "B"],
    ]
    assert totals["total"].tolist() == pytest.approx([8.0, 200 / 70])


def test_not_applicable_is_never_zero():
    with_na = scores([(1, 10, "A", 1, 8), (1, 10, "A", 3, float("nan"))])
    with_zero = scores([(1, 10, "A", 1, 8), (1, 10, "A", 3, 0)])

    assert review_totals(with_na, CRITERIA)["total"].tolist() == [8.0]
    assert review_totals(with_zero, CRITERIA)["total"].tolist() == [pytest.approx(320 / 70)]


def reviews():
    """Scores that are exactly quality + bias: lenient L (+2), harsh H (−2), neutral N;
    true quality A 6, B 5, C 7, D 4, E 6.5, F 5.5. The raw means say A = B = C = 7."""
    rows = [
        ("L", "A", 8), ("L", "B", 7), ("L", "C", 9), ("L", "D", 6),
        ("H", "C", 5), ("H", "D", 2), ("H", "E", 4.5), ("H", "F", 3.5),
        ("N", "A", 6), ("N", "C", 7), ("N", "E", 6.5),
    ]  # fmt: skip
    return pd.DataFrame(
        [(index, app, juror, total) for index, (juror, app, total) in enumerate(rows)],
        columns=["review", "application", "juror", "total"],
    )


def test_the_model_sees_through_lenient_and_harsh_jurors():
    result = calibrated_ranking(reviews())
    table = result.applications.set_index("application")
    jurors = result.jurors.set_index("juror")

    # The true order, although the raw means tie A, B and C.
    assert table["rank"].sort_values().index.tolist() == ["C", "E", "A", "F", "B", "D"]
    assert table["rank"].tolist() == [3, 5, 1, 6, 2, 4]
    # Offsets: L two points above N, H two below (the scores hold nothing else).
    assert jurors.loc["L", "offset"] - jurors.loc["N", "offset"] == pytest.approx(2, abs=0.1)
    assert jurors.loc["N", "offset"] - jurors.loc["H", "offset"] == pytest.approx(2, abs=0.1)
    assert result.jurors["juror"].tolist() == ["L", "N", "H"]  # most lenient first
    assert result.jurors["count"].tolist() == [4, 3, 4]
    assert result.jurors["mean"].tolist() == pytest.approx([7.5, 6.5, 3.75])
    # Calibrated scores a quality difference apart: C − A = 1, A − D = 2, E − F = 1.
    assert table.loc["C", "calibrated"] - table.loc["A", "calibrated"] == pytest.approx(1, abs=0.1)
    assert table.loc["A", "calibrated"] - table.loc["D", "calibrated"] == pytest.approx(2, abs=0.1)
    assert table.loc["E", "calibrated"] - table.loc["F", "calibrated"] == pytest.approx(1, abs=0.1)
    # Raw figures by hand; after the offsets the jurors agree.
    assert table[["count", "raw", "lowest", "highest"]].loc["C"].tolist() == [3, 7.0, 5.0, 9.0]
    assert table[["count", "raw", "lowest", "highest"]].loc["F"].tolist() == [1, 3.5, 3.5, 3.5]
    assert (table["spread"] < 0.1).all()
    assert table.loc["F", "spread"] == 0.0
    assert (table["low"] <= table["rank"]).all() and (table["rank"] <= table["high"]).all()
    assert result.juror_sd > 1.5 and result.residual_sd < 0.5


def test_the_calibrated_figures_are_the_models():
    data = reviews()
    codes = {name: index for index, name in enumerate("ABCDEF")}
    jurors = {name: index for index, name in enumerate("HLN")}
    fitted = fit(
        Data.of(data["application"].map(codes), data["juror"].map(jurors), data["total"].tolist())
    )

    result = calibrated_ranking(data)

    assert result.applications["calibrated"].tolist() == pytest.approx(fitted.scores.tolist())
    assert result.applications["se"].tolist() == pytest.approx(fitted.score_se.tolist())
    by_juror = result.jurors.set_index("juror")
    assert by_juror.loc[["H", "L", "N"], "offset"].tolist() == pytest.approx(fitted.offsets)
    assert by_juror.loc[["H", "L", "N"], "offset_se"].tolist() == pytest.approx(fitted.offset_se)
    # The spread after offsets: C's totals less their juror's offset.
    adjusted = [9 - fitted.offsets[1], 5 - fitted.offsets[0], 7 - fitted.offsets[2]]
    c = result.applications.set_index("application").loc["C"]
    assert c["adjusted_lowest"] == pytest.approx(min(adjusted))
    assert c["spread"] == pytest.approx(max(adjusted) - min(adjusted))


def test_the_raw_basis_ranks_by_raw_means_with_ties():
    result = calibrated_ranking(reviews(), calibrated=False)
    table = result.applications.set_index("application")

    # A = B = C = 7 share rank 1; then E 5.5, D 4, F 3.5.
    assert table["rank"].to_dict() == {"A": 1, "B": 1, "C": 1, "D": 5, "E": 4, "F": 6}
    assert (table["low"] <= table["rank"]).all() and (table["rank"] <= table["high"]).all()
    # The intervals come from a model without the jurors' offsets: it cannot tell that C
    # met the harsh juror, so each of the three at 7 may rank anywhere from 1 to 5 (the
    # calibrated model puts C at 1 for certain).
    assert (table.loc[["A", "B", "C"], "low"] == 1).all()
    assert (table.loc[["A", "B", "C"], "high"] >= 5).all()
    # The calibrated column is the same whatever the basis.
    assert table["calibrated"].tolist() == pytest.approx(
        calibrated_ranking(reviews()).applications["calibrated"].tolist()
    )


def test_the_order_of_the_reviews_changes_nothing():
    shuffled = reviews().sample(frac=1, random_state=7)
    assert shuffled["application"].tolist() != sorted(shuffled["application"])

    result, expected = calibrated_ranking(shuffled), calibrated_ranking(reviews())

    assert result.applications["application"].tolist() == list("ABCDEF")
    pd.testing.assert_frame_equal(result.applications, expected.applications)
    pd.testing.assert_frame_equal(result.jurors, expected.jurors)


def test_the_result_cannot_be_changed_afterwards():
    result = calibrated_ranking(reviews())

    with pytest.raises(dataclasses.FrozenInstanceError):
        result.residual_sd = 0.0


def test_no_reviews_no_rows():
    empty = pd.DataFrame(columns=["review", "application", "juror", "total"])

    result = calibrated_ranking(empty)

    assert result.applications.empty and result.jurors.empty
    assert result.residual_sd is None
