"""Bootstrap rank intervals against distributions worked out by hand."""

import numpy as np
import pandas as pd

from review.maths.bootstrap import competition_ranks, rank_intervals


def table(values):
    return pd.DataFrame(
        [(app, value) for app, scores in values.items() for value in scores],
        columns=["application", "calibrated"],
    )


def test_competition_ranks_share_the_better_rank():
    assert competition_ranks(np.array([5.0, 9.0, 5.0, 1.0])).tolist() == [2, 1, 2, 4]


def test_single_reviews_have_no_uncertainty():
    result = rank_intervals(table({"a": [9], "b": [7], "c": [5], "d": [5]}))

    assert result[["application", "rank", "low", "high"]].values.tolist() == [
        ["a", 1, 1, 1],
        ["b", 2, 2, 2],
        ["c", 3, 3, 3],
        ["d", 3, 3, 3],
    ]


def test_intervals_by_hand():
    """A has 10 and 0: a resample averages 10 (¼), 5 (½) or 0 (¼), so A ranks 1st, 2nd or
    3rd among B (6) and C (4) with probabilities ¼, ½, ¼: 90 % interval 1–3. B is 2nd only
    when A draws 10 (¼): 1–2. C is 2nd only when A draws 0 (¼): 2–3."""
    result = rank_intervals(table({"A": [10, 0], "B": [6], "C": [4]}))

    assert result.set_index("application")[["mean", "rank", "low", "high"]].to_dict("index") == {
        "A": {"mean": 5.0, "rank": 2, "low": 1, "high": 3},
        "B": {"mean": 6.0, "rank": 1, "low": 1, "high": 2},
        "C": {"mean": 4.0, "rank": 3, "low": 2, "high": 3},
    }


def test_resampling_follows_the_hand_computed_probabilities():
    reviews = table({"A": [10, 0], "B": [6]})
    rng_ranks = []
    for seed in range(3):
        result = rank_intervals(reviews, resamples=4000, seed=seed)
        rng_ranks.append(result.set_index("application").loc["A", ["low", "high"]].tolist())

    assert rng_ranks == [[1, 2]] * 3


def test_a_fixed_seed_gives_the_same_intervals_every_time():
    rng = np.random.default_rng(1)
    values = {f"app{i}": list(rng.uniform(0, 10, size=3)) for i in range(40)}

    first, second = rank_intervals(table(values)), rank_intervals(table(values))

    assert first.equals(second)
    assert (first["low"] <= first["rank"]).all()
    assert (first["rank"] <= first["high"]).all()


def test_no_reviews_no_rows():
    assert rank_intervals(table({})).empty


def test_competition_ranks_row_by_row():
    matrix = np.array([[1.0, 3.0, 3.0, 2.0], [4.0, 4.0, 4.0, 4.0], [0.5, 0.1, 0.9, 0.3]])

    assert competition_ranks(matrix).tolist() == [[4, 1, 1, 3], [1, 1, 1, 1], [2, 4, 1, 3]]
