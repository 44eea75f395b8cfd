"""Euro arithmetic of grants: plain Python on Decimal (never float), with its own unit tests."""

import calendar
from decimal import ROUND_DOWN, Decimal

CENT = Decimal("0.01")


def euros(value) -> Decimal:
    """A euro amount as Decimal with cents. Floats are refused: they cannot hold cents exactly."""
    if isinstance(value, float):
        raise TypeError("Money is Decimal, never float.")
    return Decimal(value).quantize(CENT)


def split_amount(total: Decimal, weights: list[int]) -> list[Decimal]:
    """Split ``total`` into parts proportional to ``weights`` (e.g. the planned hours of each
    milestone), in cents, summing exactly to ``total``: each part is rounded down, and the
    cents left over go one by one to the parts with the largest remainders (largest
    remainder method), earlier parts first on ties. If any weight is zero (a planned
    milestone without hours), its share is unknown and every part gets the same. No part is
    nothing (a milestone paying nothing): a share below a cent gets one, taken from the
    others' split; a total of fewer cents than parts cannot be split (ValueError)."""
    total = euros(total)
    if not weights:
        return []
    if any(weight < 0 for weight in weights):
        raise ValueError("Weights must not be negative.")
    if not all(weights):
        weights = [1] * len(weights)
    cents = int(total / CENT)
    if cents < len(weights):
        raise ValueError("Fewer cents than parts: some part would be nothing.")
    parts = _split_cents(cents, weights)
    if 0 in parts:
        parts = [part + 1 for part in _split_cents(cents - len(weights), weights)]
    return [Decimal(part) * CENT for part in parts]


def _split_cents(cents: int, weights: list[int]) -> list[int]:
    weight_sum = sum(weights)
    exact = [Decimal(cents) * weight / weight_sum for weight in weights]
    parts = [int(value.to_integral_value(rounding=ROUND_DOWN)) for value in exact]
    left = cents - sum(parts)
    order = sorted(range(len(parts)), key=lambda index: (-(exact[index] - parts[index]), index))
    for index in order[:left]:
        parts[index] += 1
    return parts


def add_months(day, months: int):
    """The same day ``months`` later, or the month's last day if it has no such day
    (31 January + 1 month = 28 or 29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )
