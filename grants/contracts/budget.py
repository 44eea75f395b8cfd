"""Budget years, the cash-flow forecast and what a drawdown request (Mittelabruf) asks for,
from plain rows: plain Python on Decimal, tested against hand-built data.

Public money is granted per budget year (the calendar year). A year's *commitment* is what
the signed agreements make due in it (milestone amounts by due date, cancelled milestones
excluded); its *payments* are the transfers made in it (by payment date). The forecast puts
every milestone not yet paid into the month it falls due; what is overdue and unpaid is
shown apart. A drawdown asks for every milestone due by the end of its period that no
earlier drawdown asked for."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from grants.money import add_months

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class MilestoneRow:
    """What the budget needs of a milestone of a signed agreement."""

    pk: int
    funding_reference: str
    position: int
    due_on: dt.date
    amount: Decimal
    state: str
    drawn: bool = False  # in a drawdown request already


@dataclass(frozen=True)
class YearRow:
    year: int
    committed: Decimal
    paid: Decimal
    drawn: Decimal

    @property
    def open(self) -> Decimal:
        """Committed in the year and not yet paid."""
        return self.committed - self.paid


@dataclass(frozen=True)
class MonthRow:
    month: dt.date  # the first day of the month
    amount: Decimal
    milestones: int


def budget_years(
    milestones: list[MilestoneRow],
    payments: list[tuple[dt.date, Decimal]],
    drawdowns: list[tuple[dt.date, Decimal]],
) -> list[YearRow]:
    """Per calendar year: committed (by due date), paid (by payment date), drawn down (by the
    end of the drawdown's period)."""
    committed, paid, drawn = (
        defaultdict(lambda: ZERO),
        defaultdict(lambda: ZERO),
        defaultdict(lambda: ZERO),
    )
    for row in milestones:
        if row.state != "cancelled":
            committed[row.due_on.year] += row.amount
    for day, amount in payments:
        paid[day.year] += amount
    for day, amount in drawdowns:
        drawn[day.year] += amount
    years = sorted(set(committed) | set(paid) | set(drawn))
    return [YearRow(year, committed[year], paid[year], drawn[year]) for year in years]


def monthly_forecast(
    milestones: list[MilestoneRow], *, today: dt.date, months: int = 12
) -> tuple[MonthRow, list[MonthRow]]:
    """What falls due per month from this month on (``months`` months), for milestones not
    yet paid nor cancelled; and, apart, what was due before this month and is unpaid."""
    first = today.replace(day=1)
    starts = [add_months(first, offset) for offset in range(months)]
    end = add_months(first, months)
    amounts, counts = defaultdict(lambda: ZERO), defaultdict(int)
    overdue, overdue_count = ZERO, 0
    for row in milestones:
        if row.state in ("paid", "cancelled"):
            continue
        if row.due_on < first:
            overdue, overdue_count = overdue + row.amount, overdue_count + 1
        elif row.due_on < end:
            month = row.due_on.replace(day=1)
            amounts[month] += row.amount
            counts[month] += 1
    return MonthRow(first, overdue, overdue_count), [
        MonthRow(month, amounts[month], counts[month]) for month in starts
    ]


def drawdown_lines(milestones: list[MilestoneRow], *, period_end: dt.date) -> list[MilestoneRow]:
    """The milestones a drawdown up to ``period_end`` asks for: due by then, not cancelled,
    in no earlier drawdown (paid ones too: the fund paid them in advance)."""
    return sorted(
        (
            row
            for row in milestones
            if row.state != "cancelled" and not row.drawn and row.due_on <= period_end
        ),
        key=lambda row: (row.due_on, row.funding_reference, row.position),
    )
