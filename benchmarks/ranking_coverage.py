"""Benchmark: does the calibrated ranking keep its promises? Simulated juries with a known
truth (review.maths.simulation), ranked by the model the staff pages use
(review.maths.additive_model), and the time of one full ranking at the design's scale.

Run from the project root:  .venv/bin/python benchmarks/ranking_coverage.py   (a few minutes)

Scenarios: 2, 3 and 5 reviews per application; jurors with 2–3 reviews each (a small panel
or a two-stage call: 100 applications, 80 to 200 jurors) or with 30 and more (150
applications, 9 jurors); a reliability of one review (alpha) of 0.5 and 0.7; jurors' true
offsets drawn with a standard deviation of 0.6 points. Two more: the demo's pattern (one
juror +1.6, one −1.7, the others close to 0) and a call where a third of the applications
got only one review. Every scenario is repeated REPETITIONS times with seeds 1000, 1001, …

Definitions (per scenario, pooled over the repetitions):

* ``coverage``: the share of applications whose true rank (by true quality) lies inside
  their 90 % rank interval (nominal 0.90; target ≥ 0.85);
* ``coverage_near_line``: the same among the applications whose true rank lies within
  ±10 % of n of the funding line, drawn under the top quarter (rank n/4): where a wrong
  interval decides who enters the lottery;
* ``top_quarter_share``: the share of the truly best quarter that the calibrated ranking
  puts into its top quarter; ``top_quarter_share_uncalibrated``: the same for the raw mean
  (target: calibrated ≥ raw in every scenario);
* ``alpha``: Krippendorff's alpha of the simulated totals, for orientation.

``seconds_1000x30``: the full calibrated ranking (review.maths.calibration.
calibrated_ranking: the model, 2,000 joint draws, expected ranks and intervals, the
per-application and per-juror tables) for 1,000 applications × 30 jurors with 3 reviews
each, median of 5 runs, wall-clock (target ≤ 1 s; ``cpu_seconds_1000x30``: the CPU time, which
a busy shared machine does not inflate). Prints one JSON object.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

# Like config/__init__.py: one BLAS thread, as in the web process.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from review.maths import simulation  # noqa: E402
from review.maths.calibration import calibrated_ranking  # noqa: E402

REPETITIONS = 150
SMALL_PANEL, LARGE_PANEL = 100, 150


def scenarios() -> list[simulation.Scenario]:
    result = []
    for reviews in (2, 3, 5):
        for alpha in (0.5, 0.7):
            result.append(
                simulation.Scenario(
                    f"{reviews} reviews per application, 2-3 per juror, alpha {alpha}",
                    SMALL_PANEL,
                    reviews,
                    round(SMALL_PANEL * reviews / 2.5),
                    alpha,
                )
            )
            result.append(
                simulation.Scenario(
                    f"{reviews} reviews per application, "
                    f"{LARGE_PANEL * reviews // 9}+ per juror, alpha {alpha}",
                    LARGE_PANEL,
                    reviews,
                    9,
                    alpha,
                )
            )
    result.append(
        simulation.Scenario(
            "demo pattern: one juror +1.6, one -1.7, 3 reviews, 50 per juror, alpha 0.6",
            LARGE_PANEL,
            3,
            9,
            0.6,
            juror_sd=0.3,
            offsets=(1.6, -1.7),
        )
    )
    result.append(
        simulation.Scenario(
            "a third of the applications with one review, else 3, alpha 0.6",
            LARGE_PANEL,
            3,
            9,
            0.6,
            single_review_share=1 / 3,
        )
    )
    return result


def seconds_1000x30() -> tuple[float, float]:
    scenario = simulation.Scenario("1000x30", 1000, 3, 30, 0.6)
    jury = simulation.simulate(scenario, np.random.default_rng(1))
    data = jury.data
    reviews = pd.DataFrame(
        {
            "review": np.arange(len(data.total)),
            "application": data.application,
            "juror": data.juror,
            "total": data.total,
        }
    )
    calibrated_ranking(reviews)  # warm-up
    walls, cpus = [], []
    for _ in range(5):
        start, cpu = time.perf_counter(), time.process_time()
        calibrated_ranking(reviews)
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return round(statistics.median(walls), 3), round(statistics.median(cpus), 3)


def main() -> None:
    results = []
    for scenario in scenarios():
        outcomes = [simulation.run(scenario, 1000 + index) for index in range(REPETITIONS)]
        results.append(simulation.summarise(scenario, outcomes))
        print(json.dumps(results[-1]), file=sys.stderr, flush=True)
    wall, cpu = seconds_1000x30()
    print(
        json.dumps(
            {"scenarios": results, "seconds_1000x30": wall, "cpu_seconds_1000x30": cpu}, indent=2
        )
    )


if __name__ == "__main__":
    main()
