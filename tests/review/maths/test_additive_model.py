"""The additive model (total = μ + application effect + juror offset + noise) against
values worked out by hand and against the textbook formulas computed the slow way."""

import numpy as np
import pytest

from review.maths.additive_model import (
    Data,
    competition_ranks,
    draw_ranks,
    draw_scores,
    fit,
    rank_summary,
)


def balanced():
    """Three applications P, Q, R, each scored by both jurors X and Y.

    X: 8, 6, 4 (mean 6)   Y: 6, 5, 1 (mean 4)   grand mean 5; application means 7, 5.5, 2.5.
    """
    return Data.of([0, 1, 2, 0, 1, 2], [0, 0, 0, 1, 1, 1], [8, 6, 4, 6, 5, 1])


def test_a_balanced_design_by_hand():
    """With τ² = β² = σ² (both ratios 1) the design is orthogonal: a juror's offset is their
    mean's distance from the grand mean times n·λ/(n·λ + 1) = 3/4, an application's score the
    grand mean plus its mean's distance times J·λ/(J·λ + 1) = 2/3.

    The residual sum of squares splits by strata: SS_E = 28 − 21 − 6 = 1, SS_A = 21 shrunk by
    1 + J·λ = 3, SS_B = 6 by 1 + n·λ = 4: 1 + 7 + 1.5 = 9.5, and E[σ²] = 9.5 / (6 − 3).
    The offsets' posterior precision / σ² is T = [[2.5, −1.5], [−1.5, 2.5]]: Var(b) = σ² · 0.625.
    A score's variance / σ² is ½ (the offsets' sum, which every application shares) + 1/18
    (the mean) + ⅓ (its own) = 8/9."""
    model = fit(balanced(), ratios=(1.0, 1.0))

    assert model.offsets.tolist() == pytest.approx([0.75, -0.75])
    assert model.scores.tolist() == pytest.approx([5 + 4 / 3, 5 + 1 / 3, 5 - 5 / 3])
    assert model.mean == pytest.approx(5.0)
    sigma2 = 9.5 / 3
    assert model.residual_sd == pytest.approx(np.sqrt(sigma2))
    assert model.offset_se.tolist() == pytest.approx([np.sqrt(sigma2 * 0.625)] * 2)
    assert model.score_se.tolist() == pytest.approx([np.sqrt(sigma2 * 8 / 9)] * 3)
    assert model.adjusted(balanced()).tolist() == pytest.approx(
        [7.25, 5.25, 3.25, 6.75, 5.75, 1.75]
    )


def dense_posterior(data: Data, ratio_a: float, ratio_b: float):
    """The mixed-model equations solved the slow way: C · θ = [X Z]ᵀ y with C = [X Z]ᵀ[X Z]
    + diag(0, I/λ_a, I/λ_b), the posterior covariance σ² C⁻¹, the residual yᵀPy = yᵀy − θᵀ
    [X Z]ᵀ y and the log posterior of the ratios −½[(N−1) log yᵀPy + n log λ_a + J log λ_b +
    log|C|] plus the half-Cauchy priors."""
    n, jurors, total = data.applications, data.jurors, data.total
    design = np.zeros((len(total), 1 + n + jurors))
    design[:, 0] = 1
    design[np.arange(len(total)), 1 + data.application] = 1
    design[np.arange(len(total)), 1 + n + data.juror] = 1
    penalty = np.r_[0.0, np.full(n, 1 / ratio_a), np.full(jurors, 1 / ratio_b)]
    c = design.T @ design + np.diag(penalty)
    solution = np.linalg.solve(c, design.T @ total)
    residual = total @ total - solution @ (design.T @ total)
    covariance = np.linalg.inv(c)
    prior = sum(0.5 * np.log(r) - np.log1p(r) for r in (ratio_a, ratio_b))
    log_posterior = prior - 0.5 * (
        (len(total) - 1) * np.log(residual)
        + n * np.log(ratio_a)
        + jurors * np.log(ratio_b)
        + np.linalg.slogdet(c)[1]
    )
    return solution, covariance, residual, log_posterior


def unbalanced():
    rng = np.random.default_rng(7)
    application = np.repeat(np.arange(12), [1, 2, 3, 2, 3, 1, 2, 3, 3, 2, 1, 2])
    juror = np.concatenate(
        [rng.choice(5, size, replace=False) for size in np.bincount(application)]
    )
    total = rng.uniform(2, 9, len(juror)).round(1)
    return Data.of(application, juror, total)


def test_the_fast_solution_agrees_with_the_dense_mixed_model_equations():
    data = unbalanced()
    solution, covariance, residual, _ = dense_posterior(data, 0.8, 0.3)
    n = data.applications
    # μ + a_i: the sum of two coordinates; its variance from the covariance matrix.
    loading = np.zeros((n, len(solution)))
    loading[:, 0] = 1
    loading[np.arange(n), 1 + np.arange(n)] = 1
    sigma2 = residual / (len(data.total) - 3)

    model = fit(data, ratios=(0.8, 0.3))

    assert model.scores == pytest.approx(loading @ solution)
    assert model.offsets == pytest.approx(solution[1 + n :])
    assert model.score_se == pytest.approx(
        np.sqrt(sigma2 * np.einsum("ij,jk,ik->i", loading, covariance, loading))
    )
    assert model.offset_se == pytest.approx(np.sqrt(sigma2 * np.diag(covariance)[1 + n :]))
    assert model.residual_sd == pytest.approx(np.sqrt(sigma2))


def test_the_ratios_posterior_agrees_with_the_dense_formula():
    """The weights over the grid of ratios are the dense log posterior, normalised."""
    data = unbalanced()
    model = fit(data)
    points = {(p.given_a.log_ratio, p.log_ratio_b): p.weight for p in model.points}
    (top, top_weight), (other, other_weight) = sorted(points.items(), key=lambda kv: -kv[1])[:2]

    difference = dense_posterior(data, *np.exp(top))[3] - dense_posterior(data, *np.exp(other))[3]

    assert np.log(top_weight / other_weight) == pytest.approx(difference)
    assert sum(points.values()) == pytest.approx(1.0)


def test_offsets_recover_known_biases():
    """Nine jurors with known biases, 60 applications with 3 reviews each and little noise:
    the offsets come out as the biases (less their mean) within 0.1."""
    rng = np.random.default_rng(3)
    biases = np.array([1.5, -1.5, 0.5, 0, 0, -0.5, 0.8, -0.3, -0.5])
    application = np.repeat(np.arange(60), 3)
    juror = np.concatenate([rng.choice(9, 3, replace=False) for _ in range(60)])
    quality = rng.normal(5, 1.5, 60)
    total = quality[application] + biases[juror] + rng.normal(0, 0.2, len(juror))

    model = fit(Data.of(application, juror, total))

    assert np.abs(model.offsets - (biases - biases.mean())).max() < 0.1
    assert model.residual_sd == pytest.approx(0.2, abs=0.05)
    assert model.juror_sd == pytest.approx(biases.std(ddof=1), abs=0.4)


def test_a_juror_with_one_review_is_shrunk_toward_zero():
    """X and Y score four applications alike; Z scores one of them 3 points above X and Y.
    Z's offset is pulled well below 3 (one review cannot tell a lenient juror from noise)
    and less sure than X's and Y's; with three such reviews, Z's offset grows."""
    base = ([0, 1, 2, 3, 0, 1, 2, 3], [0, 0, 0, 0, 1, 1, 1, 1], [8, 6, 4, 2, 8.5, 6.5, 3.5, 2])
    once = Data.of(base[0] + [1], base[1] + [2], base[2] + [9.5])
    thrice = Data.of(base[0] + [0, 1, 2], base[1] + [2, 2, 2], base[2] + [11.25, 9.5, 6.75])

    one, three = fit(once), fit(thrice)

    def above_the_others(model):
        return model.offsets[2] - model.offsets[:2].mean()

    assert 1 < above_the_others(one) < 2.5
    assert above_the_others(three) > 2.8
    assert one.offset_se[2] > one.offset_se[0]
    assert one.offset_se[2] > three.offset_se[2]


def test_a_juror_without_spread_does_not_explode():
    """7.0/7.0/7.05 against 7.0/7.0/7.0: nearly the same figures (z-scores jumped by 3)."""
    others = ([0, 1, 2, 0, 1, 2], [1, 1, 1, 2, 2, 2], [6, 8, 4, 5, 9, 3])
    flat = fit(Data.of(others[0] + [0, 1, 2], others[1] + [0] * 3, others[2] + [7, 7, 7]))
    almost = fit(Data.of(others[0] + [0, 1, 2], others[1] + [0] * 3, others[2] + [7, 7, 7.05]))

    for model in (flat, almost):
        assert np.isfinite(model.scores).all() and np.isfinite(model.score_se).all()
    assert np.abs(flat.scores - almost.scores).max() < 0.05
    assert np.abs(flat.offsets - almost.offsets).max() < 0.05


def test_a_single_review_is_pulled_further_toward_the_mean_and_less_certain():
    """S1 has one review of 9, S3 three reviews of 9 (by the same jurors as the others):
    S1's score ends below S3's and its standard error above it."""
    data = spread_design()
    model = fit(data)
    s1, s3 = SINGLE, TRIPLE

    assert model.mean < model.scores[s1] < model.scores[s3] <= 9
    assert model.score_se[s1] > model.score_se[s3]


SINGLE, TRIPLE = 10, 11


NOISE = [(-1.0, 0.4, 0.6), (0.8, -0.9, 0.1), (0.2, 0.7, -0.9), (-0.3, -0.6, 0.9), (1.1, -0.2, -0.9)]


def spread_design(mean=9.0):
    """Ten applications with three reviews each by jurors 0–2 (means 1 to 10, the jurors
    disagreeing by about a point), then SINGLE with one review of ``mean`` and TRIPLE with
    three reviews of ``mean``."""
    application, juror, total = [], [], []
    for index in range(10):
        for j, shift in enumerate(NOISE[index % 5]):
            application.append(index)
            juror.append(j)
            total.append(1 + index + shift)
    application += [SINGLE, TRIPLE, TRIPLE, TRIPLE]
    juror += [1, 0, 1, 2]
    total += [mean, mean - 0.5, mean, mean + 0.5]
    return Data.of(application, juror, total)


@pytest.mark.parametrize("mean", [1.0, 2.0, 5.5, 7.0, 9.0, 10.0])
def test_fewer_reviews_never_give_a_narrower_interval(mean):
    """The same mean from one review and from three: the single review's 90 % interval is
    at least as wide (the bootstrap gave it the narrowest), and wider in the crowd."""
    summary = rank_summary(draw_scores(fit(spread_design(mean))))
    width = summary.high - summary.low

    assert width[SINGLE] >= width[TRIPLE]
    if mean in (5.5, 7.0):
        assert width[SINGLE] > width[TRIPLE]


def test_ties_share_the_rank_and_the_interval():
    """P and Q got the same totals from the same jurors: same score, same rank, and (only two
    applications) each is first in about half of the draws: both intervals are 1–2."""
    data = Data.of([0, 0, 1, 1], [0, 1, 0, 1], [7, 5, 7, 5])
    model = fit(data)
    summary = rank_summary(draw_scores(model))

    assert model.scores[0] == pytest.approx(model.scores[1])
    assert competition_ranks(np.round(model.scores, 9)).tolist() == [1, 1]
    assert summary.low.tolist() == [1, 1] and summary.high.tolist() == [2, 2]
    assert summary.expected == pytest.approx([1.5, 1.5], abs=0.05)


def test_competition_ranks_share_the_better_rank():
    assert competition_ranks(np.array([5.0, 9.0, 5.0, 1.0])).tolist() == [2, 1, 2, 4]
    assert competition_ranks(np.array([3.0, 3.0, 3.0])).tolist() == [1, 1, 1]


def test_draw_ranks_row_by_row():
    draws = np.array([[1.0, 3.0, 2.0], [0.5, 0.1, 0.9]])

    assert draw_ranks(draws).tolist() == [[3, 1, 2], [2, 3, 1]]


def test_the_expected_rank_and_interval_from_draws_by_hand():
    """Twenty draws: A ranks 1st in 18, 2nd in 2. Mean 1.1; the 5th percentile (inverted cdf,
    the first draw's rank at 1/20) is 1, the 95th (19/20) is 2."""
    draws = np.array([[2.0, 1.0]] * 18 + [[0.0, 1.0]] * 2)

    summary = rank_summary(draws)

    assert summary.expected.tolist() == pytest.approx([1.1, 1.9])
    assert summary.low.tolist() == [1, 1]
    assert summary.high.tolist() == [2, 2]


def test_without_offsets_the_model_follows_the_raw_means():
    """No juror offsets: with equal numbers of reviews the scores keep the raw means' order,
    shrunk toward the grand mean."""
    data = balanced()
    model = fit(data, offsets=False, ratios=(1.0, 1.0))

    # Each application: grand mean + 2/3 of its distance (J·λ/(J·λ + 1) with J = 2).
    assert model.scores.tolist() == pytest.approx([5 + 4 / 3, 5 + 1 / 3, 5 - 5 / 3])
    assert model.offsets.tolist() == [] and model.juror_sd == 0.0


def test_the_same_reviews_give_the_same_draws():
    data = unbalanced()

    first, second = draw_scores(fit(data), seed=5), draw_scores(fit(data), seed=5)

    assert np.array_equal(first, second)
    assert first.shape == (2000, 12)


def test_one_review_alone():
    model = fit(Data.of([0], [0], [7.0]))
    summary = rank_summary(draw_scores(model))

    assert model.scores.tolist() == pytest.approx([7.0])
    assert np.isfinite(model.score_se).all()
    assert (summary.low.tolist(), summary.high.tolist()) == ([1], [1])


def test_an_application_without_reviews_is_refused():
    with pytest.raises(ValueError, match="at least one review"):
        fit(Data.of([0, 2], [0, 0], [5.0, 6.0]))
