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


@pytest.mark.parametrize(
    ("language", "cells"),
    [
        ("de", ["3", "2–5", "3,5", "7,33", "6,90", "2", "1,25", "47.500,00\u00a0€", "Begutachtet"]),
        ("en", ["3", "2–5", "3.5", "7.33", "6.90", "2", "1.25", "€47,500.00", "Reviewed"]),
    ],
)
def test_the_ranking_rows_are_written_as_the_filters_write_them(language, cells):
    import re
    from decimal import Decimal

    from review.templatetags.review_tags import ranking_rows

    row = {
        "id": 42,
        "rank": 3,
        "low": 2,
        "high": 5,
        "expected_rank": 3.45,
        "reference": "CTF-2026-1-0042",
        "title": "<script>alert(1)</script> & more",
        "calibrated": 7.3333,
        "raw": 6.9,
        "count": 2,
        "spread": 1.254,
        "amount": Decimal("47500.00"),
        "state": "reviewed",
    }
    with translation.override(language):
        html = str(ranking_rows([row]))

    assert re.findall(r"<td[^>]*>(.*?)</td>", html) == cells
    assert '<a href="/staff/applications/42/jury/">CTF-2026-1-0042</a>' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html
    assert "<script>" not in html
