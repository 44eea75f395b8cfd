"""The additive model where its figures could divide by zero: reviews that all agree."""

import numpy as np
import pytest

from review.maths.additive_model import Data, draw_scores, fit, rank_summary


@pytest.mark.parametrize(
    ("application", "juror"),
    [([0, 0, 1, 1], [0, 1, 0, 1]), ([0, 0, 1, 1, 2, 2], [0, 1, 0, 1, 0, 1])],
    ids=["2 applications", "3 applications"],
)
def test_identical_totals_everywhere_give_finite_figures_and_no_noise(application, juror):
    """Every juror gives every application 5: nothing to tell apart, no residual at all.
    The residual is floored (TINY per review) so that σ, the offsets' and the scores'
    standard errors stay finite numbers near 0 instead of 0/0."""
    model = fit(Data.of(application, juror, [5.0] * len(application)))
    summary = rank_summary(draw_scores(model, draws=200))
    figures = [model.score_se, model.offset_se, model.offsets]
    figures += [[model.residual_sd, model.application_sd, model.juror_sd, model.mean]]

    assert model.scores == pytest.approx([5.0] * (max(application) + 1), abs=1e-9)
    assert all(np.isfinite(values).all() for values in figures)
    assert model.residual_sd < 1e-3
    assert model.score_se.max() < 1e-3
    assert summary.low.min() == 1
