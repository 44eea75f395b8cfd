"""The additive model's input: reviews as integer codes."""

import dataclasses

import pytest

from review.maths.additive_model import Data


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
