"""The numbers of a proof of use (Verwendungsnachweis), computed once for the grantee's
form, the staff check, the archived PDF and the ministry's figure. Plain Python on Decimal.

The plan is the proposal's: its hours × the call's hourly rate (personnel), the call's
flat-rate overhead on personnel, and no other costs. The actual: the hours and costs per
person, the same flat rate on the actual personnel costs, and the receipts as other costs.
A category whose actual differs from its plan by more than the tolerance (a share of the
plan; any actual where nothing was planned) needs the grantee's reason."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from grants.money import CENT
from grants.states import BudgetCategory, StatementLineKind

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class CategoryRow:
    category: str
    label: str
    planned: Decimal
    actual: Decimal
    tolerance_percent: int
    reason: str = ""

    @property
    def difference(self) -> Decimal:
        return self.actual - self.planned

    @property
    def difference_percent(self) -> Decimal | None:
        """The difference as a share of the plan; None where nothing was planned."""
        if not self.planned:
            return None
        return (self.difference * 100 / self.planned).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def needs_reason(self) -> bool:
        if not self.planned:
            return self.actual > 0
        return abs(self.difference) * 100 > self.planned * self.tolerance_percent

    @property
    def reason_missing(self) -> bool:
        return self.needs_reason and not self.reason.strip()


@dataclass(frozen=True)
class Statement:
    rows: list[CategoryRow]
    planned_hours: int
    actual_hours: Decimal
    award: Decimal
    planned_own_share: Decimal
    own_contribution: Decimal
    persons: list = field(default_factory=list)
    receipts: list = field(default_factory=list)

    @property
    def planned_total(self) -> Decimal:
        return sum((row.planned for row in self.rows), ZERO)

    @property
    def actual_total(self) -> Decimal:
        return sum((row.actual for row in self.rows), ZERO)

    @property
    def total_difference(self) -> Decimal:
        return self.actual_total - self.planned_total

    @property
    def unused(self) -> Decimal:
        """The part of the award the proven costs (less the own contribution) did not use."""
        return self.award - self.grant_spent

    @property
    def financed(self) -> Decimal:
        """Grant and own contribution together."""
        return self.award + self.own_contribution

    @property
    def grant_spent(self) -> Decimal:
        """The part of the grant the proven costs used: the costs less the own contribution,
        never below nothing and never above the award."""
        return max(ZERO, min(self.actual_total - self.own_contribution, self.award))

    @property
    def uncovered(self) -> Decimal:
        """Costs the grant and own contribution do not cover (positive), or the part of the
        grant the costs did not use (negative)."""
        return self.actual_total - self.financed

    @property
    def reasons_missing(self) -> list[str]:
        return [row.category for row in self.rows if row.reason_missing]


def build_statement(
    *,
    budget: dict,
    overhead_percent: Decimal,
    award: Decimal,
    lines,
    own_contribution: Decimal,
    reasons: dict,
    tolerance_percent: int,
) -> Statement:
    """``budget`` is Application.budget() (the plan); ``lines`` the statement's lines."""
    lines = list(lines)
    persons = [line for line in lines if line.kind == StatementLineKind.PERSON]
    receipts = [line for line in lines if line.kind == StatementLineKind.RECEIPT]
    personnel = sum((line.amount for line in persons), ZERO)
    overhead = (personnel * Decimal(overhead_percent) / 100).quantize(CENT, ROUND_HALF_UP)
    other = sum((line.amount for line in receipts), ZERO)
    actual = {
        BudgetCategory.PERSONNEL: personnel,
        BudgetCategory.OVERHEAD: overhead,
        BudgetCategory.OTHER: other,
    }
    planned = {
        BudgetCategory.PERSONNEL: budget["personnel"],
        BudgetCategory.OVERHEAD: budget["overhead"],
        BudgetCategory.OTHER: ZERO,
    }
    rows = [
        CategoryRow(
            category=category.value,
            label=category.label,
            planned=planned[category],
            actual=actual[category],
            tolerance_percent=tolerance_percent,
            reason=str(reasons.get(category.value, "") or ""),
        )
        for category in BudgetCategory
    ]
    return Statement(
        rows=rows,
        planned_hours=budget["hours"],
        actual_hours=sum((line.hours or 0 for line in persons), Decimal(0)),
        award=award,
        planned_own_share=budget["own_share"],
        own_contribution=own_contribution,
        persons=persons,
        receipts=receipts,
    )
