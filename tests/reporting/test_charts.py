import base64
import re
from decimal import Decimal

import pytest

from reporting.charts import PALETTE, Series, bar_chart


def chart(**kwargs):
    defaults = {
        "key": "c1",
        "title": "Committed and disbursed by call",
        "categories": ["Round 2025/1", "Round 2026/1"],
        "series": [
            Series("Committed", [Decimal("100000.00"), Decimal("50000.00")]),
            Series("Disbursed", [Decimal("80000.00"), Decimal("0.00")]),
        ],
        "format_value": lambda value: f"{value:,.2f} €",
    }
    return bar_chart(**{**defaults, **kwargs})


def test_the_text_alternative_states_every_value():
    result = chart()

    assert result.description == (
        "Committed and disbursed by call. Round 2025/1: Committed 100,000.00 €, Disbursed "
        "80,000.00 €; Round 2026/1: Committed 50,000.00 €, Disbursed 0.00 €."
    )
    assert '<title id="c1-title">Committed and disbursed by call</title>' in result.svg
    assert f'<desc id="c1-desc">{result.description}</desc>' in result.svg
    assert 'role="img" aria-labelledby="c1-title c1-desc"' in result.svg


def test_bars_are_proportional_with_the_value_beside_them():
    result = chart()

    widths = [
        float(w)
        for w in re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)" height="16"', result.svg)
    ]
    assert len(widths) == 4
    assert widths[1] == pytest.approx(widths[0] * 0.8, abs=0.2)
    assert widths[2] == pytest.approx(widths[0] * 0.5, abs=0.2)
    assert widths[3] == 0
    assert ">100,000.00 €</text>" in result.svg
    assert result.svg.count(PALETTE[0]) == 3  # the legend and two bars


def test_text_is_escaped():
    result = chart(
        title="<script>alert(1)</script>",
        categories=['Round "A" & <b>B</b>', "x"],
        series=[Series("<i>s</i>", [1, 2])],
        format_value=str,
    )

    assert "<script>" not in result.svg and "<b>" not in result.svg and "<i>" not in result.svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in result.svg
    assert '>Round "A" &amp; &lt;b&gt;B&lt;/b&gt;</text>' in result.svg


def test_long_labels_are_shortened_in_the_picture_but_not_in_the_text():
    label = "A very long call title that goes on and on beyond any reasonable width"
    result = chart(categories=[label, "short"])

    assert label in result.description
    assert ">A very long call title that goes…</text>" in result.svg


def test_an_empty_chart_says_so():
    result = chart(categories=[], series=[Series("Committed", [])], empty_text="No data.")

    assert result.description == "Committed and disbursed by call. No data."
    assert ">No data.</text>" in result.svg


def test_the_data_uri_holds_the_same_svg_for_the_pdf():
    result = chart()

    prefix = "data:image/svg+xml;base64,"
    assert result.data_uri.startswith(prefix)
    assert base64.b64decode(result.data_uri[len(prefix) :]).decode() == result.svg


def test_mismatched_series_are_refused():
    with pytest.raises(ValueError, match="one value per category"):
        chart(series=[Series("Committed", [1])])
