"""Where the money ends: go down a ranking until the first application that no longer fits.

``draw_line`` spends the money in four steps:

1. applications moved above the line by hand (``fund``), even if they overspend, which the
   page shows; those moved below it (``do_not_fund``) are never funded;
2. per-topic minimums (optional): going down the ranking, each topic whose minimum
   (``minimums``: the euros it still needs) is not yet reached gets its best applications
   funded until it is; a topic's walk stops at its first application that no longer fits
   the money left (the shortfall is reported);
3. the line: down the order (the ranking, or after a lottery the lottery's order) funding
   each application while it fits; the *line* lies just above the first application that
   no longer fits. A cheaper application further down never moves it;
4. below the line, what still fits: going on down, each application that fits into what is
   left after those listed before it. These are listed, not funded: staff decide them one
   by one.

The *grey zone* holds the applications whose 90 % rank interval crosses the line: their
place above or below it is not certain given how the jurors scored them. Those moved by
hand or funded for a topic's minimum are decided already and take no part in a lottery.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Candidate:
    id: object
    amount: Decimal
    rank: int
    low: int
    high: int
    topic: object = None


@dataclass
class Line:
    by_hand: list = field(default_factory=list)  # moved above the line, in the order moved
    by_minimum: list = field(default_factory=list)  # funded for their topic's minimum
    above: list = field(default_factory=list)  # above the line, in the order funded
    first_out: object = None  # the first application that no longer fits: the line
    fits_remaining: list = field(default_factory=list)  # below the line, listed, not funded
    left: Decimal = Decimal("0")  # the money left after everything funded
    shortfall: dict = field(default_factory=dict)  # topic → euros its minimum still lacks
    line_rank: int | None = None  # the line lies below this rank (None: everything fits)

    @property
    def funded(self) -> list:
        return [*self.by_hand, *self.by_minimum, *self.above]


def draw_line(
    candidates: Sequence[Candidate],
    available: Decimal,
    *,
    order: Sequence | None = None,
    fund: Iterable = (),
    do_not_fund: Iterable = (),
    minimums: Mapping | None = None,
) -> Line:
    """``candidates`` in ranking order; ``order``: the ids in the order the line goes down
    (default: the ranking); ``minimums``: topic → euros the topic still needs."""
    by_id = {candidate.id: candidate for candidate in candidates}
    fund = [pk for pk in dict.fromkeys(fund) if pk in by_id]
    excluded = set(do_not_fund) - set(fund)
    line = Line(left=available)
    needs = dict(minimums or {})  # a need of 0 or less is met: the walk passes it by
    for pk in fund:
        candidate = by_id[pk]
        line.by_hand.append(pk)
        line.left -= candidate.amount
        if candidate.topic in needs:
            needs[candidate.topic] -= candidate.amount
    taken = set(fund) | excluded
    stopped = set()  # topics whose walk met an application that does not fit
    for candidate in candidates:
        need = needs.get(candidate.topic, Decimal("0"))
        if candidate.id in taken or need <= 0 or candidate.topic in stopped:
            continue
        if candidate.amount <= line.left:
            line.by_minimum.append(candidate.id)
            line.left -= candidate.amount
            needs[candidate.topic] = need - candidate.amount
            taken.add(candidate.id)
        else:
            stopped.add(candidate.topic)
    line.shortfall = {topic: need for topic, need in needs.items() if need > 0}
    walk = [by_id[pk] for pk in (order if order is not None else by_id) if pk not in taken]
    remaining = None
    for candidate in walk:
        if remaining is None:
            if candidate.amount <= line.left:
                line.above.append(candidate.id)
                line.left -= candidate.amount
                continue
            line.first_out, remaining = candidate.id, line.left
            line.line_rank = candidate.rank - 1
        elif candidate.amount <= remaining:
            line.fits_remaining.append(candidate.id)
            remaining -= candidate.amount
    return line


def grey_zone(candidates: Sequence[Candidate], line_rank: int | None, *, decided=()) -> list:
    """The candidates whose interval [low, high] holds a rank above the line and one below
    it (low ≤ line_rank < high), in ranking order; ``decided`` ones (moved by hand, funded
    for a minimum) are left out."""
    if line_rank is None:
        return []
    decided = set(decided)
    return [
        candidate.id
        for candidate in candidates
        if candidate.id not in decided and candidate.low <= line_rank < candidate.high
    ]


def lottery_order(candidates: Sequence[Candidate], grey: Sequence, line_rank: int) -> list:
    """The order in which the line goes down after a lottery: the applications certainly
    above the line in ranking order, then the grey zone in lottery order (``grey``), then
    the rest in ranking order. Ids."""
    in_grey = set(grey)
    above = [c.id for c in candidates if c.id not in in_grey and c.rank <= line_rank]
    below = [c.id for c in candidates if c.id not in in_grey and c.rank > line_rank]
    return [*above, *grey, *below]
