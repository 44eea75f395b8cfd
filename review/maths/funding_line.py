"""Where the money ends: go down a ranking until the budget is spent.

``walk`` funds the candidates in the order given, skipping any that no longer fit (a
cheaper one further down may still fit). Applications moved by hand come first (``fund``)
or never (``do_not_fund``). The *line* is the rank of the last application funded in
ranking order. The *grey zone* holds the applications whose rank interval crosses the line:
their place above or below it is not certain given how the jurors scored them.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Candidate:
    id: object
    amount: Decimal
    rank: int
    low: int
    high: int


@dataclass
class Walk:
    funded: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # did not fit when their turn came
    left: Decimal = Decimal("0")
    line_rank: int | None = None


def walk(
    candidates: Sequence[Candidate],
    available: Decimal,
    *,
    fund: Iterable = (),
    do_not_fund: Iterable = (),
) -> Walk:
    fund, do_not_fund = list(dict.fromkeys(fund)), set(do_not_fund)
    by_id = {candidate.id: candidate for candidate in candidates}
    result = Walk(left=available)
    for candidate_id in fund:
        candidate = by_id[candidate_id]
        # Moved by hand: funded even if it leaves the budget short, which the page shows.
        result.funded.append(candidate.id)
        result.left -= candidate.amount
    for candidate in candidates:
        if candidate.id in do_not_fund or candidate.id in fund:
            continue
        if candidate.amount <= result.left:
            result.funded.append(candidate.id)
            result.left -= candidate.amount
            result.line_rank = candidate.rank
        else:
            result.skipped.append(candidate.id)
    return result


def grey_zone(candidates: Sequence[Candidate], line_rank: int | None, *, moved=()) -> list:
    """The candidates whose interval [low, high] contains the line and the rank below it,
    in ranking order; those moved by hand are decided and left out."""
    if line_rank is None:
        return []
    moved = set(moved)
    return [
        candidate.id
        for candidate in candidates
        if candidate.id not in moved and candidate.low <= line_rank < candidate.high
    ]


def lottery_walk_order(candidates: Sequence[Candidate], grey: Sequence, line_rank: int) -> list:
    """The order in which the money is spent after a lottery: the applications certainly
    above the line in ranking order, then the grey zone in lottery order (``grey``), then
    the rest in ranking order."""
    in_grey = set(grey)
    by_id = {candidate.id: candidate for candidate in candidates}
    above = [c for c in candidates if c.id not in in_grey and c.rank <= line_rank]
    below = [c for c in candidates if c.id not in in_grey and c.rank > line_rank]
    return [*above, *(by_id[candidate_id] for candidate_id in grey), *below]
