"""The calibrated ranking on simulated juries with a known truth: a small, seeded version of
benchmarks/ranking_coverage.py that fails when the intervals' coverage collapses (the
bootstrap's was about 0.69 for a nominal 0.90)."""

import dataclasses

import numpy as np
import pytest

from review.maths import additive_model as model
from review.maths import simulation
from review.maths.simulation import Scenario

SCENARIOS = [
    Scenario("3 reviews, 9 jurors", 80, 3, 9, 0.6),
    Scenario("2 reviews, 2-3 per juror", 60, 2, 48, 0.5),
    Scenario("a third with one review", 80, 3, 9, 0.6, single_review_share=1 / 3),
]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda scenario: scenario.name)
def test_the_90_percent_intervals_cover_the_true_rank(scenario):
    outcomes = [simulation.run(scenario, seed, draws=1000) for seed in range(6)]
    summary = simulation.summarise(scenario, outcomes)

    assert summary["coverage"] >= 0.8
    assert summary["coverage_near_line"] >= 0.8
    assert summary["repetitions"] == 6


def test_single_reviews_get_wider_intervals_on_average():
    scenario = SCENARIOS[2]
    outcomes = [simulation.run(scenario, seed, draws=1000) for seed in range(4)]

    assert all(o.width_by_reviews[1] > o.width_by_reviews[3] for o in outcomes)


def test_the_assignment_balances_loads_with_different_jurors():
    rng = np.random.default_rng(0)
    chosen = simulation.assign(50, 20, np.full(50, 2), rng)

    loads = np.bincount(np.concatenate(chosen), minlength=20)
    assert set(loads.tolist()) <= {5}  # 100 reviews over 20 jurors
    assert all(len(set(jurors.tolist())) == 2 for jurors in chosen)


def test_the_noise_gives_the_scenarios_reliability():
    """var(quality) / (var(quality) + var(offsets) + var(noise)) = alpha: with quality sd
    1.5 and offsets sd 0.6, alpha 0.5 needs noise variance 2.25 − 0.36."""
    assert Scenario("x", 10, 2, 5, 0.5).noise_sd == pytest.approx(np.sqrt(2.25 - 0.36))
    # Fixed offsets count with their own squares: (1.6² + 1.7² + 7 · 0.3²) / 9.
    fixed = Scenario("y", 10, 2, 9, 0.6, juror_sd=0.3, offsets=(1.6, -1.7))
    assert fixed.noise_sd == pytest.approx(np.sqrt(2.25 / 0.6 - 2.25 - (5.45 + 0.63) / 9))
    with pytest.raises(ValueError, match="exceed"):
        _ = Scenario("z", 10, 2, 5, 0.9, juror_sd=1.0).noise_sd


def test_top_share_and_true_ranks_by_hand():
    quality = np.array([3.0, 9.0, 1.0, 7.0, 5.0, 2.0, 8.0, 0.0])
    estimate = np.array([3.0, 9.0, 1.0, 2.0, 5.0, 7.0, 8.0, 0.0])

    assert simulation.true_ranks(quality).tolist() == [5, 1, 7, 3, 4, 6, 2, 8]
    # The top quarter (2 of 8): truly 1 and 6; estimated 1 and 6 too.
    assert simulation.top_share(estimate, quality) == 1.0
    assert simulation.top_share(-quality, quality) == 0.0


def test_a_simulated_total_is_the_middle_plus_quality_offset_and_noise():
    scenario = Scenario("truth", 400, 3, 30, 0.5, juror_sd=0.6)
    jury = simulation.simulate(scenario, np.random.default_rng(11))
    data = jury.data

    noise = data.total - simulation.MIDDLE - jury.quality[data.application]
    noise -= jury.offsets[data.juror]
    inside = (data.total > 0) & (data.total < 10)  # clipped totals hide their noise
    assert inside.mean() > 0.95
    # 1,200 reviews: the mean noise is 0 within four standard errors (sd / √n ≈ 0.04),
    # its sd the scenario's within 5 % (plus the rounding to 0.1).
    assert abs(noise[inside].mean()) < 0.16
    assert noise[inside].std() == pytest.approx(scenario.noise_sd, rel=0.05)
    assert np.allclose(data.total * 10, np.round(data.total * 10))  # one decimal


def test_the_figures_of_one_run_by_their_definitions():
    scenario = Scenario("one run", 80, 3, 9, 0.6, single_review_share=1 / 4)
    outcome = simulation.run(scenario, 5, draws=400)
    # The same jury and draws again (the run is seeded), the figures taken by hand.
    jury = simulation.simulate(scenario, np.random.default_rng(5))
    fitted = model.fit(jury.data)
    summary = model.rank_summary(model.draw_scores(fitted, draws=400, seed=5))
    truth = simulation.true_ranks(jury.quality)

    # The line lies under rank 20 (a quarter of 80); near it: true ranks 12 to 28 (±8).
    assert sorted(truth[outcome.near_line].tolist()) == list(range(12, 29))
    assert outcome.covered.tolist() == ((summary.low <= truth) & (truth <= summary.high)).tolist()
    counts = np.bincount(jury.data.application, minlength=80)
    widths = summary.high - summary.low
    assert set(outcome.width_by_reviews) == {1, 3}
    for reviews in (1, 3):
        assert outcome.width_by_reviews[reviews] == pytest.approx(widths[counts == reviews].mean())


def test_simulated_truth_and_totals_look_like_the_scenario():
    scenario = Scenario("wide", 400, 3, 30, 0.2)  # noisy: many totals beyond 0 and 10
    jury = simulation.simulate(scenario, np.random.default_rng(3))
    total = jury.data.total

    # Qualities and offsets centred on 0 (within four standard errors), totals on 5.5.
    assert abs(jury.quality.mean()) < 4 * 1.5 / np.sqrt(400)
    assert abs(jury.offsets.mean()) < 4 * 0.6 / np.sqrt(30)
    assert abs(total.mean() - 5.5) < 0.3
    # Clipped to the scale, rounded to one decimal (not to whole numbers).
    assert (total.min(), total.max()) == (0.0, 10.0)
    assert (total == 0).sum() > 5 and (total == 10).sum() > 5
    assert (total != np.round(total)).mean() > 0.5


def test_raw_means_and_the_top_share_of_a_tiny_jury_by_hand():
    data = model.Data.of(
        np.array([0, 0, 1, 2, 2, 2]), np.array([0, 1, 0, 0, 1, 2]), [4.0, 6.0, 7.0, 1, 2, 6]
    )
    assert simulation.raw_means(data).tolist() == [5.0, 7.0, 3.0]
    # Three applications: a quarter rounds down to none, so the top is the best one.
    assert simulation.top_share(np.array([1.0, 3.0, 2.0]), np.array([0.0, 9.0, 1.0])) == 1.0
    assert simulation.top_share(np.array([3.0, 1.0, 2.0]), np.array([0.0, 9.0, 1.0])) == 0.0


def test_a_scenario_whose_offsets_leave_no_noise_at_all_is_refused():
    # 1.5² · (1 / 0.5 − 1) = 2.25, all of it taken by offsets of sd 1.5: no noise left.
    with pytest.raises(ValueError, match="exceed"):
        _ = Scenario("none left", 10, 2, 5, 0.5, juror_sd=1.5).noise_sd


def test_a_summary_of_hand_made_outcomes():
    def outcome(covered, near, top, raw_top, alpha):
        return simulation.Outcome(
            covered=np.array(covered),
            near_line=np.array(near),
            top_quarter_share=top,
            top_quarter_share_uncalibrated=raw_top,
            alpha=alpha,
            width_by_reviews={},
        )

    outcomes = [
        outcome([True, True, False], [True, False, True], 0.5, 0.25, 0.612),
        outcome([True, True, True], [True, True, False], 1.0, 0.5, 0.6),
        outcome([True, False, True], [False, True, True], 0.25, 0.125, 0.55),
    ]

    summary = simulation.summarise(Scenario("hand", 3, 2, 3, 0.6), outcomes)

    # 7 of 9 covered; near the line 6, of which 4 covered; shares 1.75 / 3 and 0.875 / 3;
    # alpha 1.762 / 3.
    assert summary == {
        "name": "hand",
        "coverage": 0.778,
        "coverage_near_line": 0.667,
        "top_quarter_share": 0.583,
        "top_quarter_share_uncalibrated": 0.292,
        "alpha": 0.59,
        "repetitions": 3,
    }
    with pytest.raises(dataclasses.FrozenInstanceError):
        outcomes[0].alpha = 1.0


def test_a_scenario_and_a_simulated_jury_cannot_change_once_made():
    """A scenario is shared by every repetition of a run, and a jury's true quality is what
    the figures are judged against: neither may change under a reader."""
    scenario = Scenario("frozen", 4, 2, 3, 0.6)
    jury = simulation.simulate(scenario, np.random.default_rng(1))

    with pytest.raises(dataclasses.FrozenInstanceError):
        scenario.reviews = 3
    with pytest.raises(dataclasses.FrozenInstanceError):
        jury.quality = np.zeros(4)
    assert jury.data.applications == 4 and len(jury.data.total) == 8
