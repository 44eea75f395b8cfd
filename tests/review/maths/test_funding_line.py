"""The funding line and the grey zone, by hand."""

from decimal import Decimal

from review.maths.funding_line import Candidate, grey_zone, lottery_walk_order, walk

D = Decimal


def candidates():
    # id, amount, rank, interval
    return [
        Candidate("a", D(50), 1, 1, 2),
        Candidate("b", D(40), 2, 1, 3),
        Candidate("c", D(30), 3, 2, 5),
        Candidate("d", D(10), 4, 3, 5),
        Candidate("e", D(20), 5, 5, 5),
    ]


def test_go_down_the_ranking_skipping_what_does_not_fit():
    result = walk(candidates(), D(100))

    # a (50 left), b (10 left), c does not fit, d (0 left), e does not fit.
    assert result.funded == ["a", "b", "d"]
    assert result.skipped == ["c", "e"]
    assert result.left == D(0)
    assert result.line_rank == 4


def test_moves_by_hand():
    result = walk(candidates(), D(100), fund=["e"], do_not_fund=["a"])

    # e first (80 left), a never, b (40), c (10), d (0).
    assert result.funded == ["e", "b", "c", "d"]
    assert result.skipped == []
    assert result.left == D(0)
    assert result.line_rank == 4


def test_a_move_may_overspend_and_the_walk_says_so():
    result = walk(candidates(), D(40), fund=["a"])

    assert result.funded == ["a"]
    assert result.left == D(-10)
    assert result.line_rank is None


def test_grey_zone_holds_intervals_crossing_the_line():
    # Line at rank 2: b (1–3) and c (2–5) cross it; a (1–2) ends on it, d starts below.
    assert grey_zone(candidates(), 2) == ["b", "c"]
    assert grey_zone(candidates(), 2, moved=["c"]) == ["b"]
    assert grey_zone(candidates(), None) == []


def test_after_a_lottery_the_grey_zone_is_walked_in_lottery_order():
    order = lottery_walk_order(candidates(), ["c", "b"], line_rank=2)

    assert [candidate.id for candidate in order] == ["a", "c", "b", "d", "e"]
    # 100 €: a (50), c (20 left), b does not fit, d (10), e does not fit.
    assert walk(order, D(100)).funded == ["a", "c", "d"]
