"""Simulated juries with a known truth, to check the calibrated ranking's promises
(benchmarks/ranking_coverage.py and tests/review/maths/test_simulation.py).

Each application has a true quality; each juror a true offset (leniency); a review's total
is 5.5 + quality + offset + noise, clipped to 0–10 and rounded to 0.1 (like the weighted
total of whole-number criteria, the model's normal noise is only an approximation). The
noise is set so that the reliability of one review, var(quality) / var(total), is the
scenario's ``alpha`` (Krippendorff's alpha of the totals comes out close to it; the
measured value is reported). Jurors are assigned like the real assignment does: each
application gets k different jurors, every juror about the same number of applications.

The funding line is drawn under the top quarter (rank n/4). The figures per repetition:

* coverage: the share of applications whose true rank (by true quality) lies inside the
  90 % rank interval;
* coverage near the line: the same among applications whose true rank is within ±10 % of
  n of the line;
* top-quarter share: the share of the truly best quarter that the calibrated ranking puts
  into its top quarter; ``uncalibrated``: the same for the raw means.
"""

from dataclasses import dataclass

import numpy as np

from review.maths import additive_model as model
from review.maths.alpha import alpha as krippendorff_alpha

QUALITY_SD = 1.5
MIDDLE = 5.5
LINE_SHARE = 0.25
NEAR_SHARE = 0.10


@dataclass(frozen=True)
class Scenario:
    name: str
    applications: int
    reviews: int  # per application
    jurors: int
    alpha: float  # reliability of one review
    juror_sd: float = 0.6  # spread of the jurors' true offsets
    offsets: tuple = ()  # fixed offsets of the first jurors (a lenient, a harsh one)
    single_review_share: float = 0.0  # applications that get one review only

    @property
    def noise_sd(self) -> float:
        fixed = np.square(self.offsets).sum()
        offsets = (fixed + (self.jurors - len(self.offsets)) * self.juror_sd**2) / self.jurors
        variance = QUALITY_SD**2 * (1 / self.alpha - 1) - offsets
        if variance <= 0:
            raise ValueError(f"{self.name}: juror offsets alone exceed the noise allowed")
        return float(np.sqrt(variance))


@dataclass(frozen=True)
class Jury:
    data: model.Data
    quality: np.ndarray
    offsets: np.ndarray


def assign(applications: int, jurors: int, counts: np.ndarray, rng) -> list[np.ndarray]:
    """For each application ``counts[i]`` different jurors, always among the least loaded."""
    load = np.zeros(jurors)
    chosen = []
    for count in counts:
        picked = np.lexsort((rng.random(jurors), load))[:count]
        load[picked] += 1
        chosen.append(picked)
    return chosen


def simulate(scenario: Scenario, rng: np.random.Generator) -> Jury:
    n, jurors = scenario.applications, scenario.jurors
    quality = rng.normal(0, QUALITY_SD, n)
    offsets = rng.normal(0, scenario.juror_sd, jurors)
    offsets[: len(scenario.offsets)] = scenario.offsets
    counts = np.full(n, scenario.reviews)
    counts[rng.random(n) < scenario.single_review_share] = 1
    chosen = assign(n, jurors, counts, rng)
    application = np.repeat(np.arange(n), counts)
    juror = np.concatenate(chosen)
    noise = rng.normal(0, scenario.noise_sd, len(juror))
    total = np.clip(MIDDLE + quality[application] + offsets[juror] + noise, 0, 10).round(1)
    data = model.Data.of(application, juror, total, applications=n, jurors=jurors)
    return Jury(data, quality, offsets)


def true_ranks(quality: np.ndarray) -> np.ndarray:
    return model.draw_ranks(quality[None, :])[0]


def raw_means(data: model.Data) -> np.ndarray:
    counts = np.bincount(data.application, minlength=data.applications)
    return np.bincount(data.application, data.total, minlength=data.applications) / counts


def top_share(estimate: np.ndarray, quality: np.ndarray) -> float:
    """Share of the truly best quarter among the quarter ``estimate`` puts on top."""
    top = max(int(len(quality) * LINE_SHARE), 1)
    chosen = set(np.argsort(-estimate, kind="stable")[:top])
    best = set(np.argsort(-quality)[:top])
    return len(chosen & best) / top


def measured_alpha(data: model.Data) -> float:
    matrix = np.full((data.jurors, data.applications), np.nan)
    matrix[data.juror, data.application] = data.total
    return krippendorff_alpha(matrix)


@dataclass(frozen=True)
class Outcome:
    covered: np.ndarray  # per application: true rank inside the interval
    near_line: np.ndarray  # per application: true rank near the line
    top_quarter_share: float
    top_quarter_share_uncalibrated: float
    alpha: float
    width_by_reviews: dict  # reviews → mean interval width


def run(scenario: Scenario, seed: int, *, draws: int = model.DRAWS) -> Outcome:
    rng = np.random.default_rng(seed)
    jury = simulate(scenario, rng)
    fitted = model.fit(jury.data)
    summary = model.rank_summary(model.draw_scores(fitted, draws=draws, seed=seed))
    truth = true_ranks(jury.quality)
    n = scenario.applications
    line = n * LINE_SHARE
    counts = np.bincount(jury.data.application, minlength=n)
    widths = summary.high - summary.low
    return Outcome(
        covered=(summary.low <= truth) & (truth <= summary.high),
        near_line=np.abs(truth - line) <= NEAR_SHARE * n,
        top_quarter_share=top_share(fitted.scores, jury.quality),
        top_quarter_share_uncalibrated=top_share(raw_means(jury.data), jury.quality),
        alpha=measured_alpha(jury.data),
        width_by_reviews={int(c): float(widths[counts == c].mean()) for c in np.unique(counts)},
    )


def summarise(scenario: Scenario, outcomes: list[Outcome]) -> dict:
    covered = np.concatenate([o.covered for o in outcomes])
    near = np.concatenate([o.near_line for o in outcomes])
    return {
        "name": scenario.name,
        "coverage": round(float(covered.mean()), 3),
        "coverage_near_line": round(float(covered[near].mean()), 3),
        "top_quarter_share": round(float(np.mean([o.top_quarter_share for o in outcomes])), 3),
        "top_quarter_share_uncalibrated": round(
            float(np.mean([o.top_quarter_share_uncalibrated for o in outcomes])), 3
        ),
        "alpha": round(float(np.mean([o.alpha for o in outcomes])), 2),
        "repetitions": len(outcomes),
    }
