"""Reads of the fund's budget years and drawdowns: the rows grants/contracts/budget.py
computes from, and the overview and history the finance pages show."""

from decimal import Decimal

from django.db.models import Exists, OuterRef

from grants.contracts.budget import MilestoneRow, budget_years, monthly_forecast
from grants.models import Drawdown, DrawdownLine, Milestone, Payment
from grants.states import PaymentKind

ZERO_EURO = Decimal("0.00")


def budget_milestones(fund=None) -> list:
    """Every milestone of a signed agreement as a budget row (one query)."""
    rows = Milestone.objects.filter(grant__accepted_at__isnull=False)
    if fund is not None:
        rows = rows.filter(grant__application__call__fund=fund)
    rows = rows.annotate(
        drawn=Exists(DrawdownLine.objects.filter(milestone=OuterRef("pk")))
    ).values_list(
        "pk", "grant__funding_reference", "position", "due_on", "amount", "state", "drawn"
    )
    return [MilestoneRow(*row) for row in rows]


def budget_payments(fund=None) -> list:
    rows = Payment.objects.filter(kind=PaymentKind.PAID)
    if fund is not None:
        rows = rows.filter(grant__application__call__fund=fund)
    return list(rows.values_list("paid_on", "amount"))


def drawdowns_of(fund):
    return Drawdown.objects.filter(fund=fund).select_related("created_by", "fund")


def drawdown_history(fund) -> list[dict]:
    """Each drawdown with the payments made up to the end of its period, for the ministry:
    amounts and dates only, no names."""
    drawdowns = list(Drawdown.objects.filter(fund=fund).order_by("period_end", "pk"))
    payments = sorted(budget_payments(fund))
    history, requested, paid, index = [], ZERO_EURO, ZERO_EURO, 0
    for drawdown in drawdowns:
        requested += drawdown.amount
        while index < len(payments) and payments[index][0] <= drawdown.period_end:
            paid += payments[index][1]
            index += 1
        history.append(
            {"drawdown": drawdown, "requested_total": requested, "paid_total": paid,
             "difference": requested - paid}
        )  # fmt: skip
    return history[::-1]


def budget_overview(fund, today) -> dict:
    """Budget years, the forecast and the drawdowns of one fund (staff and ministry pages)."""
    milestones = budget_milestones(fund)
    drawdowns = list(drawdowns_of(fund))
    overdue, months = monthly_forecast(milestones, today=today)
    return {
        "years": budget_years(
            milestones, budget_payments(fund), [(d.period_end, d.amount) for d in drawdowns]
        ),
        "overdue": overdue,
        "months": months,
        "drawdowns": drawdowns,
    }
