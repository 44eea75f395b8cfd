"""The grid the additive model averages its variance ratios over."""

import numpy as np
import pytest

from review.maths.additive_model import LOG_RATIO_GRID, Data, fit
from tests.review.maths.test_additive_model import dense_posterior


def test_the_grid_spans_the_documented_ratios_in_quarter_steps():
    """The module promises ratios of standard deviations (√λ = e^(log λ / 2)) from about 0.01
    to 33 times the noise. The half-Cauchy prior still has weight below the lowest point,
    so moving that end moves every calibrated score (by about 0.002 points for −10): the
    range is a decision, written down here, not a detail."""
    steps = np.diff(LOG_RATIO_GRID)

    assert len(LOG_RATIO_GRID) == 65
    assert (LOG_RATIO_GRID[0], LOG_RATIO_GRID[-1]) == (-9.0, 7.0)
    assert np.allclose(steps, 0.25, rtol=0, atol=1e-12)
    assert round(float(np.exp(LOG_RATIO_GRID[0] / 2)), 3) == 0.011
    assert round(float(np.exp(LOG_RATIO_GRID[-1] / 2)), 1) == 33.1


def test_with_little_data_the_weights_are_the_dense_posterior_on_the_whole_grid():
    """Three reviews tell little about either ratio: every one of the 65 × 65 grid points
    keeps a weight, each the dense formula's posterior normalised over the grid, and
    each point once (the search for the living rows must neither miss nor repeat one)."""
    data = Data.of([0, 0, 1], [0, 1, 0], [6.0, 8.0, 5.0])
    dense = np.array(
        [
            [dense_posterior(data, np.exp(a), np.exp(b))[3] for b in LOG_RATIO_GRID]
            for a in LOG_RATIO_GRID
        ]
    )
    expected = np.exp(dense - dense.max())
    expected /= expected.sum()

    model = fit(data)

    weights = {(p.given_a.log_ratio, p.log_ratio_b): p.weight for p in model.points}
    assert len(model.points) == len(weights) == 65 * 65
    assert expected.min() > 1e-6 * expected.max()
    got = np.array([[weights[(a, b)] for b in LOG_RATIO_GRID] for a in LOG_RATIO_GRID])
    assert got == pytest.approx(expected, rel=1e-6)


def test_when_every_juror_agrees_exactly_nothing_is_shrunk():
    """60 applications, three jurors each, who give each application the very same total:
    nothing is noise, so the posterior of τ/σ sits at the top of the grid alone (at the
    grid's next row its weight is far below a millionth) and every score is the
    application's own total."""
    rng = np.random.default_rng(1)
    application = np.repeat(np.arange(60), 3)
    juror = np.concatenate([rng.choice(6, 3, replace=False) for _ in range(60)])
    quality = rng.uniform(2, 9, 60).round(1)

    model = fit(Data.of(application, juror, quality[application]))

    assert {p.given_a.log_ratio for p in model.points} == {7.0}
    assert np.abs(model.scores - quality).max() < 0.01
    assert model.residual_sd < 0.05
