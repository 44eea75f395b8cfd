"""The grid the additive model averages its variance ratios over."""

import numpy as np

from review.maths.additive_model import LOG_RATIO_GRID


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
