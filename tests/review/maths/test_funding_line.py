"""The funding line, the money that fits below it, per-topic minimums and the grey zone,
each computed by hand in the comments."""

import dataclasses
from decimal import Decimal

import pytest

from review.maths.funding_line import Candidate, draw_line, grey_zone, lottery_order

D = Decimal


def candidates():
    # id, amount, rank, interval, topic
    return [
        Candidate("a", D(50), 1, 1, 2, "open"),
        Candidate("b", D(40), 2, 1, 3, "civic"),
        Candidate("c", D(30), 3, 2, 5, "open"),
        Candidate("d", D(10), 4, 3, 5, "security"),
        Candidate("e", D(20), 5, 5, 5, "security"),
    ]


def test_the_line_lies_at_the_first_application_that_no_longer_fits():
    line = draw_line(candidates(), D(100))

    # a (50 left), b (10 left), c (30) does not fit: the line lies above c, below rank 2.
    assert line.above == ["a", "b"]
    assert line.first_out == "c"
    assert line.line_rank == 2
    assert line.left == D(10)
    # Below the line d (10) still fits the 10 € left; then e (20) does not.
    assert line.fits_remaining == ["d"]
    assert line.funded == ["a", "b"]


def test_a_cheap_application_far_down_does_not_move_the_line():
    many = [Candidate(f"x{rank}", D(30), rank, rank, rank) for rank in range(1, 40)]
    many.append(Candidate("cheap", D(5), 40, 40, 40))

    line = draw_line(many, D(100))

    # x1–x3 take 90 €; x4 does not fit (10 € left): the line lies below rank 3.
    assert line.line_rank == 3
    assert line.first_out == "x4"
    assert line.above == ["x1", "x2", "x3"]
    assert line.fits_remaining == ["cheap"]  # listed for a decision, not funded


def test_what_fits_below_the_line_is_counted_down_from_what_is_left():
    line = draw_line(
        [
            Candidate("a", D(60), 1, 1, 1),
            Candidate("b", D(50), 2, 2, 2),
            Candidate("c", D(25), 3, 3, 3),
            Candidate("d", D(20), 4, 4, 4),
            Candidate("e", D(15), 5, 5, 5),
        ],
        D(100),
    )

    # a (40 left); b does not fit; c (25) fits, 15 left; d (20) does not; e (15) fits, 0 left.
    assert line.above == ["a"]
    assert line.first_out == "b"
    assert line.fits_remaining == ["c", "e"]
    assert line.left == D(40)


def test_when_everything_fits_there_is_no_line():
    line = draw_line(candidates(), D(150))

    assert line.above == ["a", "b", "c", "d", "e"]
    assert line.first_out is None
    assert line.line_rank is None
    assert line.left == D(0)
    assert grey_zone(candidates(), line.line_rank) == []


def test_when_the_best_does_not_fit_the_line_lies_above_it():
    line = draw_line(candidates(), D(45))

    # a (50) does not fit 45: the line lies below rank 0; b (40) fits below it.
    assert line.above == []
    assert line.first_out == "a"
    assert line.line_rank == 0
    assert line.fits_remaining == ["b"]


def test_moves_by_hand():
    line = draw_line(candidates(), D(100), fund=["e"], do_not_fund=["a"])

    # e first (80 left), a never, b (40 left), c (10 left), d (0 left): nothing is out.
    assert line.by_hand == ["e"]
    assert line.above == ["b", "c", "d"]
    assert line.funded == ["e", "b", "c", "d"]
    assert line.first_out is None
    assert line.left == D(0)


def test_a_move_may_overspend_and_the_line_says_so():
    line = draw_line(candidates(), D(40), fund=["a"])

    # a by hand leaves −10: b (40) is the first that does not fit.
    assert line.funded == ["a"]
    assert line.left == D(-10)
    assert line.first_out == "b"
    assert line.line_rank == 1


def test_a_topics_minimum_funds_its_best_applications_first():
    # "security" needs 25 €: d (10, rank 4) and e (20, rank 5) are funded for it (30 ≥ 25).
    line = draw_line(candidates(), D(100), minimums={"security": D(25)})

    assert line.by_minimum == ["d", "e"]
    # 70 € left: a (20 left), b (40) does not fit: the line lies below rank 1.
    assert line.above == ["a"]
    assert line.first_out == "b"
    assert line.line_rank == 1
    assert line.left == D(20)
    assert line.shortfall == {}
    assert line.funded == ["d", "e", "a"]


def test_a_minimum_reached_already_funds_nothing_more():
    line = draw_line(candidates(), D(100), minimums={"security": D(0), "open": D(-5)})

    assert line.by_minimum == []
    assert line.above == ["a", "b"]


def test_a_minimum_counts_what_was_moved_by_hand():
    # "open" needs 60 €: c (30) moved by hand counts; a (50) then reaches it (80 ≥ 60).
    line = draw_line(candidates(), D(100), fund=["c"], minimums={"open": D(60)})

    assert line.by_hand == ["c"]
    assert line.by_minimum == ["a"]
    # 20 € left: b (40) does not fit.
    assert line.above == []
    assert line.first_out == "b"
    assert line.fits_remaining == ["d"]  # 10 of the 20 €; e (20) no longer fits the 10 left


def test_a_minimum_stops_at_its_first_application_that_does_not_fit():
    # "open" needs 90 €, with 60 € available: a (50) is funded, c (30) does not fit the
    # 10 € left, and the walk of "open" stops there: 40 € short.
    line = draw_line(candidates(), D(60), minimums={"open": D(90)})

    assert line.by_minimum == ["a"]
    assert line.shortfall == {"open": D(40)}
    # 10 € left: b (40) is the first that does not fit; d (10) fits below.
    assert line.first_out == "b"
    assert line.fits_remaining == ["d"]


def test_a_minimum_funds_an_application_that_takes_exactly_what_is_left():
    # "open" needs 50 €, with 50 € available: a (50) fits exactly, 0 € left.
    line = draw_line(candidates(), D(50), minimums={"open": D(50)})

    assert line.by_minimum == ["a"]
    assert line.left == D(0)
    assert line.shortfall == {}
    assert line.first_out == "b"


def test_a_minimum_of_one_euro_is_a_need_and_one_euro_short_is_a_shortfall():
    # "security" needs 1 €: d (10, its best) is funded for it.
    assert draw_line(candidates(), D(100), minimums={"security": D(1)}).by_minimum == ["d"]
    # "open" needs 51 € of 60: a (50) is funded, c (30) does not fit the 10 € left: 1 € short.
    line = draw_line(candidates(), D(60), minimums={"open": D(51)})
    assert line.by_minimum == ["a"]
    assert line.shortfall == {"open": D(1)}


def test_grey_zone_holds_intervals_crossing_the_line():
    # Line below rank 2: b (1–3) and c (2–5) cross it; a (1–2) ends on it, d starts below.
    assert grey_zone(candidates(), 2) == ["b", "c"]
    assert grey_zone(candidates(), 2, decided=["c"]) == ["b"]
    assert grey_zone(candidates(), None) == []
    assert grey_zone(candidates(), 0) == []


def test_after_a_lottery_the_line_goes_down_the_grey_zone_in_lottery_order():
    order = lottery_order(candidates(), ["c", "b"], line_rank=2)

    assert order == ["a", "c", "b", "d", "e"]
    # 100 €: a (50 left), c (20 left), b (40) does not fit; d (10) fits below, e (20) not.
    line = draw_line(candidates(), D(100), order=order)
    assert line.above == ["a", "c"]
    assert line.first_out == "b"
    assert line.fits_remaining == ["d"]


def test_after_a_lottery_the_application_ranked_on_the_line_stays_above_the_grey_zone():
    # The line lies below rank 2; b (rank 2) is not in the grey zone: it stays above it.
    assert lottery_order(candidates(), ["c"], line_rank=2) == ["a", "b", "c", "d", "e"]


def test_a_candidate_cannot_change_once_made():
    """The line is drawn from the candidates as ranked: none may be re-ranked or re-priced
    on the way."""
    candidate = Candidate("a", D(50), 1, 1, 2, "open")

    with pytest.raises(dataclasses.FrozenInstanceError):
        candidate.rank = 2
