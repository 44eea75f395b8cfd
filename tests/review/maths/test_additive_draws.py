"""The additive model's draws and spreads against the posterior worked out the slow way.

With the variance ratios fixed, the posterior of θ = (μ, a, b) given σ² is Gaussian with
mean C⁻¹[X Z]ᵀy and covariance σ² C⁻¹, and σ² | totals ~ yᵀPy / χ²(ν), ν = N − 1 (N
reviews; see ``dense_posterior``). So every μ + a_i is Student-t with ν degrees of
freedom, centre its score and scale² (yᵀPy / ν) · ℓᵢᵀ C⁻¹ ℓᵢ, and the draws of all
applications share one σ and one set of offsets: their correlations are those of C⁻¹.
"""

import numpy as np
import pytest

from review.maths.additive_model import Data, draw_scores, fit
from tests.review.maths.test_additive_model import dense_posterior, unbalanced

RATIOS = (0.8, 0.3)
# Student's t quantiles (statistical tables): ν -> (75th, 95th percentile).
T_QUANTILES = {1: (1.0, 6.314), 2: (0.8165, 2.920), 5: (0.7267, 2.015)}


def slow_posterior(data):
    """(centres of μ + a_i, their scale matrix yᵀPy · LC⁻¹Lᵀ before dividing by ν, yᵀPy)."""
    solution, covariance, residual, _ = dense_posterior(data, *RATIOS)
    n = data.applications
    loading = np.zeros((n, len(solution)))
    loading[:, 0] = 1
    loading[np.arange(n), 1 + np.arange(n)] = 1
    return loading @ solution, residual * loading @ covariance @ loading.T, residual


def test_the_joint_draws_have_the_slow_posteriors_means_variances_and_correlations():
    """27 reviews, ν = 26: each draw's variance is E[σ²] · ℓᵀC⁻¹ℓ with E[σ²] = yᵀPy/(ν − 2).
    100,000 draws: means within 4 standard errors, variances within 2 % (one degree of
    freedom more or less moves them 4 %), correlations within 0.02."""
    data = unbalanced()
    centre, scale, _ = slow_posterior(data)
    nu = len(data.total) - 1
    variance = scale / (nu - 2)

    draws = draw_scores(fit(data, ratios=RATIOS), draws=100_000)

    standard_error = np.sqrt(np.diag(variance) / len(draws))
    assert np.abs(draws.mean(axis=0) - centre).max() < 4 * standard_error.max()
    assert draws.var(axis=0) / np.diag(variance) == pytest.approx(np.ones(12), abs=0.02)
    expected = variance / np.sqrt(np.outer(np.diag(variance), np.diag(variance)))
    assert np.abs(np.corrcoef(draws.T) - expected).max() < 0.02
    assert expected[np.triu_indices(12, 1)].max() > 0.2  # the draws are truly joint


FEW = {
    1: ([0, 0], [0, 1], [6.0, 8.0]),
    2: ([0, 0, 1], [0, 1, 0], [6.0, 8.0, 5.0]),
    5: ([0, 0, 1, 1, 2, 2], [0, 1, 0, 2, 1, 2], [6.0, 8.0, 5.0, 3.5, 7.0, 4.0]),
}


@pytest.mark.parametrize("nu", sorted(FEW))
def test_with_few_reviews_the_draws_have_students_t_tails(nu):
    """Two, three and six reviews: σ is barely known, so each draw, standardised by the slow
    posterior's centre and scale, follows Student's t with ν = N − 1 (for ν = 1 a Cauchy:
    no variance at all). Its 75th and 95th percentiles of |t| (the 50 % and 90 % central
    intervals) agree with the tables within a few percent."""
    data = Data.of(*FEW[nu])
    centre, scale, _ = slow_posterior(data)

    draws = draw_scores(fit(data, ratios=RATIOS), draws=100_000)

    standardised = np.abs(draws - centre) / np.sqrt(np.diag(scale) / nu)
    middle, tail = np.quantile(standardised, [0.5, 0.9])
    assert middle == pytest.approx(T_QUANTILES[nu][0], rel=0.03)
    assert tail == pytest.approx(T_QUANTILES[nu][1], rel=0.04)


@pytest.mark.parametrize(
    ("reviews", "divisor"),
    [(2, 1), (3, 2), (4, 1), (5, 2), (6, 3)],
)
def test_the_noise_and_the_spreads_are_read_off_the_residual(reviews, divisor):
    """σ² is estimated by its posterior mean yᵀPy / (ν − 2) where that exists (ν > 2), and
    by yᵀPy / ν below (ν = 1, 2: the mean is infinite); with the ratios fixed, τ² = λ_a σ²
    and β² = λ_b σ². The divisors by hand: N = 2 → 1, 3 → 2, 4 → 3 − 2 = 1, 5 → 2, 6 → 3."""
    application = [0, 0, 1, 1, 2, 2][:reviews]
    juror = [0, 1, 0, 2, 1, 2][:reviews]
    total = [6.0, 8.0, 5.0, 3.5, 7.0, 4.0][:reviews]
    data = Data.of(application, juror, total)
    _, _, residual = slow_posterior(data)
    sigma2 = residual / divisor

    model = fit(data, ratios=RATIOS)

    assert model.residual_sd == pytest.approx(np.sqrt(sigma2), rel=1e-9)
    assert model.application_sd == pytest.approx(np.sqrt(sigma2 * RATIOS[0]), rel=1e-9)
    assert model.juror_sd == pytest.approx(np.sqrt(sigma2 * RATIOS[1]), rel=1e-9)
