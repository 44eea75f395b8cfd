"""The calibrated ranking's model: every review's total is the application's effect plus
the juror's offset plus noise,

    total = μ + a_application + b_juror + e,
    a ~ N(0, τ²),  b ~ N(0, β²),  e ~ N(0, σ²),

a Bayesian hierarchical model like the one the Swiss National Science Foundation ranks with
(Heyard, Ott, Salanti and Egger 2022, "Rethinking the funding line at the SNSF: Bayesian
ranking and lottery"). Because the offsets are random effects, a juror seen in few reviews
gets an offset shrunk toward 0: two reviews cannot tell a harsh juror from two weak
applications. The application effects are shrunk toward the mean in the same way, the
more the fewer reviews an application has.

Priors: flat on μ, 1/σ² on σ², and half-Cauchy(0, 1) on the ratios τ/σ and β/σ (weakly
informative and free of the score scale). Given the two variance ratios λ_a = τ²/σ² and
λ_b = β²/σ² everything else is Gaussian and solved in closed form (the mixed-model
equations, with the application effects absorbed first, so the only dense matrix is jurors
× jurors); the ratios' own posterior is evaluated on a grid of their logarithms, and all
results average over that grid. Nothing is iterated, nothing is random except the draws
for the rank intervals, which come from a seeded generator: the same reviews give the same
ranking.

``fit`` returns per application the calibrated score (posterior mean of μ + a) and its
standard error, per juror the offset (posterior mean of b) and its standard error.
``draw_scores`` draws all application effects *jointly* from the posterior (so the draws
carry the uncertainty of the offsets, of μ and of the variance ratios), from which
``rank_summary`` takes each application's expected rank and its 90 % rank interval.
"""

from dataclasses import dataclass

import numpy as np

# Logarithms of the variance ratios τ²/σ² and β²/σ² on the grid: ratios of standard
# deviations from about 0.01 to 33 times the noise.
LOG_RATIO_GRID = np.arange(-9.0, 7.01, 0.25)
# Grid points whose posterior weight is below this share of the largest are left out.
NEGLIGIBLE = 1e-6
COARSE = 4  # first pass over every 4th value of λ_a
DRAWS = 2000
SEED = 20260701
CONFIDENCE = 0.90
# Floor for the residual sum of squares: identical totals everywhere must not divide by 0.
TINY = 1e-9


@dataclass(frozen=True)
class Data:
    """Reviews as integer codes: ``application`` in 0..n−1, ``juror`` in 0..J−1."""

    application: np.ndarray
    juror: np.ndarray
    total: np.ndarray
    applications: int
    jurors: int

    @classmethod
    def of(cls, application, juror, total, *, applications=None, jurors=None) -> "Data":
        application = np.asarray(application, dtype=int)
        juror = np.asarray(juror, dtype=int)
        total = np.asarray(total, dtype=float)
        return cls(
            application,
            juror,
            total,
            int(applications if applications is not None else application.max(initial=-1) + 1),
            int(jurors if jurors is not None else juror.max(initial=-1) + 1),
        )


@dataclass(frozen=True)
class _Sufficient:
    """The sums the model needs, computed once. The reviews are kept sorted by application
    (``order``), so that per-application sums are ``np.add.reduceat`` at ``starts``; the
    design is sparse (each application has a few jurors), and no applications × jurors
    matrix is ever built."""

    count: np.ndarray  # reviews per application (each at least 1)
    sums: np.ndarray  # sum of totals per application
    juror_count: np.ndarray
    juror_sums: np.ndarray
    application: np.ndarray  # per review, sorted by application
    juror: np.ndarray  # per review, in the same order
    starts: np.ndarray  # where each application's reviews begin
    pair_index: np.ndarray  # j1 · J + j2 for every ordered pair of one application's jurors
    pair_application: np.ndarray  # the application of each such pair
    squares: float
    n: int

    @classmethod
    def of(cls, data: Data, *, offsets: bool = True) -> "_Sufficient":
        jurors = data.jurors if offsets else 0
        order = np.argsort(data.application, kind="stable")
        application = data.application[order]
        juror = data.juror[order] if offsets else np.zeros(0, dtype=int)
        count = np.bincount(application, minlength=data.applications)
        if (count == 0).any():
            raise ValueError("Every application needs at least one review.")
        starts = np.concatenate([[0], np.cumsum(count)[:-1]])
        # Ordered pairs (r, r') of reviews of the same application, r and r' included.
        first, second = _pairs_within(count, starts) if offsets else (order[:0], order[:0])
        return cls(
            count=count.astype(float),
            sums=np.bincount(data.application, data.total, minlength=data.applications),
            juror_count=np.bincount(juror, minlength=jurors).astype(float),
            juror_sums=np.bincount(juror, data.total[order][: len(juror)], minlength=jurors),
            application=application,
            juror=juror,
            starts=starts,
            pair_index=juror[first] * jurors + juror[second] if offsets else first,
            pair_application=application[first],
            squares=float(data.total @ data.total),
            n=len(data.total),
        )

    @property
    def jurors(self) -> int:
        return len(self.juror_count)

    def to_jurors(self, per_application: np.ndarray) -> np.ndarray:
        """pairsᵀ · x: for each juror, the sum of x over the applications they reviewed."""
        return np.bincount(self.juror, per_application[self.application], minlength=self.jurors)

    def to_applications(self, per_juror: np.ndarray) -> np.ndarray:
        """pairs · v, for v a vector (jurors) or a matrix (jurors × columns)."""
        if not self.jurors:
            return np.zeros((len(self.count), *per_juror.shape[1:]))
        return np.add.reduceat(per_juror[self.juror], self.starts, axis=0)

    def draws_to_applications(self, per_juror: np.ndarray) -> np.ndarray:
        """pairs · v for each row of a draws × jurors matrix: draws × applications."""
        if not self.jurors:
            return np.zeros((per_juror.shape[0], len(self.count)))
        return np.add.reduceat(per_juror[:, self.juror], self.starts, axis=1)

    def juror_cross(self, per_application: np.ndarray) -> np.ndarray:
        """pairsᵀ · diag(x) · pairs: jurors × jurors."""
        weights = per_application[self.pair_application]
        flat = np.bincount(self.pair_index, weights, minlength=self.jurors**2)
        return flat.reshape(self.jurors, self.jurors)


def _pairs_within(count: np.ndarray, starts: np.ndarray):
    """Positions (r, r') of every ordered pair of reviews of the same application."""
    firsts, seconds = [], []
    for size in np.unique(count):
        begin = starts[count == size][:, None]
        p, q = np.meshgrid(np.arange(size), np.arange(size), indexing="ij")
        firsts.append((begin + p.ravel()).ravel())
        seconds.append((begin + q.ravel()).ravel())
    return np.concatenate(firsts), np.concatenate(seconds)


@dataclass(frozen=True)
class _GivenApplicationRatio:
    """Everything that depends on λ_a only: the application effects and μ absorbed, leaving
    the jurors' block T0 (its eigenvectors make every λ_b cheap)."""

    log_ratio: float
    d: np.ndarray  # count + 1/λ_a: an application effect's posterior precision / σ²
    shrink: np.ndarray  # 1 − count/d: how far an application's mean is pulled toward μ
    s_mu: float  # μ's posterior precision / σ² once the application effects are absorbed
    s_mu_b: np.ndarray  # how μ and the offsets are entangled (jurors' shared applications)
    r_mu: float  # μ's right-hand side
    q0: float  # residual sum of squares before the offsets
    logdet0: float  # log-determinant of the absorbed blocks
    eigenvalues: np.ndarray
    eigenvectors: np.ndarray
    projected: np.ndarray  # eigenvectorsᵀ · r_b

    @classmethod
    def of(cls, s: _Sufficient, log_ratio: float) -> "_GivenApplicationRatio":
        d = s.count + np.exp(-log_ratio)
        shrink = 1 - s.count / d
        s_mu = float(s.count @ shrink)
        s_mu_b = s.juror_count - s.to_jurors(s.count / d)
        r_mu = float(s.sums @ shrink)
        t0 = np.diag(s.juror_count) - s.juror_cross(1 / d) - np.outer(s_mu_b, s_mu_b) / s_mu
        r_b = s.juror_sums - s.to_jurors(s.sums / d) - s_mu_b * r_mu / s_mu
        eigenvalues, eigenvectors = np.linalg.eigh(t0)
        return cls(
            log_ratio=log_ratio,
            d=d,
            shrink=shrink,
            s_mu=s_mu,
            s_mu_b=s_mu_b,
            r_mu=r_mu,
            q0=s.squares - float(s.sums**2 @ (1 / d)) - r_mu**2 / s_mu,
            logdet0=float(np.log(d).sum() + np.log(s_mu)),
            eigenvalues=np.clip(eigenvalues, 0.0, None),
            eigenvectors=eigenvectors,
            projected=eigenvectors.T @ r_b,
        )

    def precision(self, log_ratio_b: float) -> np.ndarray:
        """Eigenvalues of the offsets' posterior precision / σ² for λ_b."""
        return self.eigenvalues + np.exp(-log_ratio_b)

    def log_posterior(self, log_ratios_b: np.ndarray, s: _Sufficient) -> np.ndarray:
        """log p(λ_a, λ_b | totals) up to a constant, for many λ_b at once (σ², μ and all
        effects integrated out)."""
        precision = self.eigenvalues[None, :] + np.exp(-log_ratios_b)[:, None]
        residual = self.q0 - (self.projected**2 / precision).sum(axis=1)
        residual = np.maximum(residual, TINY * max(s.n, 1))
        objective = (
            max(s.n - 1, 0) * np.log(residual)
            + len(self.d) * self.log_ratio
            + len(self.eigenvalues) * log_ratios_b
            + self.logdet0
            + np.log(precision).sum(axis=1)
        )
        return -objective / 2 + _log_prior(self.log_ratio) + _log_prior(log_ratios_b)


def _log_prior(log_ratio):
    """Half-Cauchy(0, 1) on ρ = √λ, as a density of log λ: ρ / (1 + ρ²) up to a constant."""
    return 0.5 * log_ratio - np.log1p(np.exp(log_ratio))


@dataclass(frozen=True)
class _GridPoint:
    """The Gaussian posterior given (λ_a, λ_b), in the form the draws need."""

    weight: float
    given_a: _GivenApplicationRatio
    log_ratio_b: float
    residual: float  # y'Py: σ² | totals ~ residual / χ²(n − 1)
    offsets: np.ndarray  # posterior mean of b
    mu: float
    scores: np.ndarray  # posterior mean of μ + a
    score_var: np.ndarray  # posterior variance / σ²
    offset_var: np.ndarray  # posterior variance / σ²

    @classmethod
    def of(cls, s: _Sufficient, given_a: _GivenApplicationRatio, log_ratio_b, weight, spread):
        """``spread``: pairs · eigenvectors / d, the same for every λ_b (computed once)."""
        g = given_a
        precision = g.precision(log_ratio_b)
        vectors = g.eigenvectors
        offsets = vectors @ (g.projected / precision)
        residual = max(g.q0 - float((g.projected**2 / precision).sum()), TINY * max(s.n, 1))
        mu = (g.r_mu - float(g.s_mu_b @ offsets)) / g.s_mu
        scores = mu * g.shrink + (s.sums - s.to_applications(offsets)) / g.d
        # μ + a_i is linear in the offsets (loading h_i), plus μ's and a_i's own noise.
        loadings = np.outer(g.shrink, (g.s_mu_b / g.s_mu) @ vectors) + spread
        score_var = (loadings**2 / precision).sum(axis=1) + g.shrink**2 / g.s_mu + 1 / g.d
        offset_var = (vectors**2 / precision).sum(axis=1)
        return cls(weight, g, log_ratio_b, residual, offsets, mu, scores, score_var, offset_var)

    def sigma2_mean(self, n: int) -> float:
        dof = n - 1
        return self.residual / (dof - 2) if dof > 2 else self.residual / max(dof, 1)

    def draw(self, s: _Sufficient, count: int, rng: np.random.Generator) -> np.ndarray:
        """``count`` joint draws of all μ + a_i (count × applications)."""
        g = self.given_a
        sigma = np.sqrt(self.residual / rng.chisquare(max(s.n - 1, 1), size=count))
        precision = g.precision(self.log_ratio_b)
        noise_b = rng.standard_normal((count, len(precision))) / np.sqrt(precision)
        offsets = self.offsets + sigma[:, None] * (noise_b @ g.eigenvectors.T)
        mu = (g.r_mu - offsets @ g.s_mu_b) / g.s_mu + sigma * rng.standard_normal(count) / np.sqrt(
            g.s_mu
        )
        noise_a = rng.standard_normal((count, len(g.d))) / np.sqrt(g.d)
        return (
            mu[:, None] * g.shrink
            + (s.sums - s.draws_to_applications(offsets)) / g.d
            + sigma[:, None] * noise_a
        )


@dataclass(frozen=True)
class Fit:
    scores: np.ndarray  # calibrated score per application: posterior mean of μ + a
    score_se: np.ndarray
    offsets: np.ndarray  # per juror: posterior mean of b (leniency; + is lenient)
    offset_se: np.ndarray
    mean: float  # μ
    residual_sd: float  # σ: the noise of one review
    application_sd: float  # τ: how much applications differ
    juror_sd: float  # β: how much jurors' offsets differ
    points: tuple  # the grid points carrying the posterior (for the draws)
    sufficient: _Sufficient

    def adjusted(self, data: Data) -> np.ndarray:
        """Each review's total less its juror's offset."""
        return data.total - self.offsets[data.juror]


def fit(data: Data, *, offsets: bool = True, ratios: tuple | None = None) -> Fit:
    """The posterior of the model given the reviews in ``data``. ``offsets=False`` fits
    the model without juror offsets (b = 0): the uncalibrated view. ``ratios`` = (τ²/σ²,
    β²/σ²) fixes the variance ratios instead of averaging over their posterior."""
    s = _Sufficient.of(data, offsets=offsets)
    if ratios is None:
        grid, grid_b = LOG_RATIO_GRID, LOG_RATIO_GRID if s.jurors else np.zeros(1)
    else:
        grid, grid_b = np.log([ratios[0]]), np.log([ratios[1]])
    given, surface = _posterior_surface(s, grid, grid_b)
    weights = np.exp(surface - surface.max())
    weights[weights < NEGLIGIBLE] = 0.0
    weights /= weights.sum()
    spreads = {
        i: s.to_applications(given[i].eigenvectors) / given[i].d[:, None]
        for i in np.unique(np.nonzero(weights)[0])
    }
    points = tuple(
        _GridPoint.of(s, given[i], grid_b[j], weights[i, j], spreads[i])
        for i, j in zip(*np.nonzero(weights), strict=True)
    )
    w = np.array([p.weight for p in points])
    sigma2 = np.array([p.sigma2_mean(s.n) for p in points])
    scores = _mixture_mean(w, [p.scores for p in points])
    offsets_mean = _mixture_mean(w, [p.offsets for p in points])
    score_var = _mixture_var(w, sigma2, [p.scores for p in points], [p.score_var for p in points])
    offset_var = _mixture_var(
        w, sigma2, [p.offsets for p in points], [p.offset_var for p in points]
    )
    log_a = np.array([p.given_a.log_ratio for p in points])
    log_b = np.array([p.log_ratio_b for p in points])
    return Fit(
        scores=scores,
        score_se=np.sqrt(score_var),
        offsets=offsets_mean,
        offset_se=np.sqrt(offset_var),
        mean=float(w @ np.array([p.mu for p in points])),
        residual_sd=float(np.sqrt(w @ sigma2)),
        application_sd=float(np.sqrt(w @ (sigma2 * np.exp(log_a)))),
        juror_sd=float(np.sqrt(w @ (sigma2 * np.exp(log_b)))) if s.jurors else 0.0,
        points=points,
        sufficient=s,
    )


def _posterior_surface(s: _Sufficient, grid: np.ndarray, grid_b: np.ndarray):
    """The log posterior of (λ_a, λ_b) on the grid. λ_a costs a jurors × jurors eigen-
    decomposition each, so every COARSE-th value is tried first and the full grid used only
    where the posterior is not negligible."""
    computed = {}

    def rows(indices):
        for i in indices:
            if i not in computed:
                given = _GivenApplicationRatio.of(s, grid[i])
                computed[i] = (given, given.log_posterior(grid_b, s))
        return [computed[i] for i in indices]

    coarse = list(range(0, len(grid), COARSE))
    best = np.array([surface.max() for _given, surface in rows(coarse)])
    alive = np.flatnonzero(best >= best.max() + np.log(NEGLIGIBLE))
    first = max(coarse[alive.min()] - COARSE, 0)
    last = min(coarse[alive.max()] + COARSE, len(grid) - 1)
    fine = rows(range(first, last + 1))
    return [given for given, _ in fine], np.stack([surface for _, surface in fine])


def _mixture_mean(weights, means) -> np.ndarray:
    return weights @ np.stack(means)


def _mixture_var(weights, sigma2, means, scaled_vars) -> np.ndarray:
    means, scaled_vars = np.stack(means), np.stack(scaled_vars)
    overall = weights @ means
    return weights @ (sigma2[:, None] * scaled_vars + means**2) - overall**2


def draw_scores(model: Fit, *, draws: int = DRAWS, seed: int = SEED) -> np.ndarray:
    """Joint posterior draws of every application's μ + a: draws × applications."""
    rng = np.random.default_rng(seed)
    weights = np.array([p.weight for p in model.points])
    counts = rng.multinomial(draws, weights / weights.sum())
    parts = [
        point.draw(model.sufficient, count, rng)
        for point, count in zip(model.points, counts, strict=True)
        if count
    ]
    return np.concatenate(parts)


def competition_ranks(values: np.ndarray) -> np.ndarray:
    """Rank 1 for the largest value; equal values share the better rank ("1, 2, 2, 4")."""
    values = np.asarray(values, dtype=float)
    order = np.argsort(-values, kind="stable")
    ordered = values[order]
    starts = np.ones(len(values), dtype=bool)
    starts[1:] = ordered[1:] != ordered[:-1]
    # Each value's rank is the position where its run of equal values begins, plus one.
    first = np.maximum.accumulate(np.where(starts, np.arange(len(values)), 0)) + 1
    ranks = np.empty(len(values), dtype=int)
    ranks[order] = first
    return ranks


def draw_ranks(sampled: np.ndarray) -> np.ndarray:
    """Each draw's ranks (1 = best). Draws are continuous, so ties have probability 0."""
    order = np.argsort(-sampled, axis=1)
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(1, sampled.shape[1] + 1)[None, :], axis=1)
    return ranks


@dataclass(frozen=True)
class RankSummary:
    expected: np.ndarray  # mean rank over the draws
    low: np.ndarray
    high: np.ndarray


def rank_summary(sampled: np.ndarray, *, confidence: float = CONFIDENCE) -> RankSummary:
    ranks = draw_ranks(sampled)
    tail = (1 - confidence) / 2
    low, high = np.quantile(ranks, [tail, 1 - tail], axis=0, method="inverted_cdf")
    return RankSummary(ranks.mean(axis=0), low.astype(int), high.astype(int))
