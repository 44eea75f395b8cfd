"""A figure (a mean score) in an export: two decimals, rounded half up from the figure's
shortest text, never cut; typed as a number in XLSX."""

from decimal import Decimal

import pytest

from core.spreadsheets import FIGURE, _typed, csv_value, rounded_figure, xlsx_format


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (7.345, Decimal("7.35")),  # the float is 7.34499…: cut, it would be 7.34
        (6.666666666666667, Decimal("6.67")),
        (0.125, Decimal("0.13")),
        (9, Decimal("9.00")),
        (-0.001, Decimal("0.00")),
        (Decimal("2.005"), Decimal("2.01")),
    ],
)
def test_rounded_half_up(value, expected):
    assert rounded_figure(value) == expected
    assert csv_value(value, FIGURE) == str(expected)
    assert _typed(value, FIGURE) == float(expected)


def test_missing_and_formats():
    assert csv_value(None, FIGURE) == ""
    assert _typed(None, FIGURE) is None
    assert xlsx_format(FIGURE, "de") == xlsx_format(FIGURE, "en") == "0.00"
