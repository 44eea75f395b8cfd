"""The additive model's input: reviews as integer codes."""

import dataclasses

import pytest

from review.maths.additive_model import Data, draw_scores, fit, rank_summary


def test_no_reviews_make_no_applications_and_no_jurors():
    data = Data.of([], [], [])

    assert (data.applications, data.jurors) == (0, 0)
    assert data.total.dtype == float


def test_the_counts_come_from_the_largest_codes_unless_given():
    read = Data.of([0, 2], [1, 0], [7, 8])
    given = Data.of([0, 2], [1, 0], [7, 8], applications=5, jurors=4)

    assert (read.applications, read.jurors) == (3, 2)
    assert (given.applications, given.jurors) == (5, 4)


def test_the_reviews_cannot_change_once_read():
    data = Data.of([0], [0], [7])

    with pytest.raises(dataclasses.FrozenInstanceError):
        data.applications = 2


REVIEWS = ([0, 0, 1, 1, 2, 2, 3], [0, 1, 0, 2, 1, 2, 0], [8, 6, 5, 3, 7, 4, 6])


@pytest.mark.parametrize(
    ("codes", "reviewless"),
    [([0, 2, 1], 3), ([0, 1, 3], 2)],
    ids=["the last code", "a code between others"],
)
def test_a_juror_without_reviews_changes_nothing_and_keeps_the_priors_offset(codes, reviewless):
    """Four jurors given, one of them without a review (the last code, or one in between):
    the same figures as the three who reviewed alone, and an offset of 0 (nothing pulls
    it from the prior's centre) for the fourth."""
    application, juror, total = REVIEWS
    alone = fit(Data.of(application, juror, total))
    recoded = [codes[j] for j in juror]

    with_fourth = fit(Data.of(application, recoded, total, jurors=4))

    assert with_fourth.scores == pytest.approx(alone.scores, abs=1e-12)
    assert with_fourth.score_se == pytest.approx(alone.score_se, abs=1e-12)
    assert with_fourth.offsets[codes] == pytest.approx(alone.offsets, abs=1e-12)
    assert with_fourth.offsets[reviewless] == 0.0
    assert with_fourth.offset_se[reviewless] > alone.offset_se.max()


def test_a_fit_and_every_part_of_it_cannot_change_once_computed():
    """One fit feeds the scores, the draws and the rank intervals of a ranking: none of
    its readers may change what the next one reads."""
    model = fit(Data.of(*REVIEWS))
    point = model.points[0]
    summary = rank_summary(draw_scores(model, draws=50))

    for part, name in [
        (model, "mean"),
        (model.sufficient, "n"),
        (point, "weight"),
        (point.given_a, "log_ratio"),
        (summary, "low"),
    ]:
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(part, name, 3)
    assert len(model.points) > 1
