"""Figures on the jury pages are rounded, never cut: Django's number_format truncates
(0.8999 → "0,89", and an alpha of 0.6793 → "0,67", exactly the page's own threshold)."""

import pytest
from django.template import Context, Template
from django.utils import translation

from review.templatetags.review_tags import number, signed


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", ["0,90", "0,68", "+0,90", "−0,68", "2,68", "0,00", "0,00", "7,0"]),
        ("en", ["0.90", "0.68", "+0.90", "−0.68", "2.68", "0.00", "0.00", "7.0"]),
    ],
)
def test_figures_are_rounded_half_up_in_both_languages(language, expected):
    with translation.override(language):
        shown = [
            number(0.8999),
            number(0.6793),
            signed(0.8999),
            signed(-0.6793),
            number(2.675),  # stored as 2.67499999…: its shortest form 2.675 is rounded
            number(-0.001),  # never "−0,00"
            signed(-0.001),
            number(6.96, 1),
        ]

    assert shown == expected


@pytest.mark.parametrize(("language", "alpha"), [("de", "0,68 / 0,90"), ("en", "0.68 / 0.90")])
def test_the_filters_round_in_templates(language, alpha):
    template = Template("{% load review_tags %}{{ alpha|number }} / {{ share|number }}")

    with translation.override(language):
        assert template.render(Context({"alpha": 0.6793, "share": 0.8999})) == alpha


def test_missing_figures_show_a_dash():
    assert [number(None), number(float("nan")), number(""), signed(None)] == ["–"] * 4
