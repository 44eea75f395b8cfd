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


def test_a_legend_that_does_not_fit_beside_the_plot_starts_at_the_left_edge_and_wraps():
    from reporting.charts import legend_positions

    assert legend_positions(["Committed", "Disbursed"], 257, 640) == [(257, 0), (355.8, 0)]
    long = legend_positions(["a" * 40, "b" * 40, "c" * 40], 257, 640)
    assert long == [(0.0, 0), (322.0, 0), (0.0, 1)]
    german = legend_positions(["Rechtzeitig berichtet", "Verspätet", "Noch nicht fällig"], 257, 640)
    assert [row for _x, row in german] == [0, 0, 0] and german[0][0] == 0.0
    assert all(x + 16 + len(label) * 7.2 <= 640 for (x, _row), label in
               zip(german, ["Rechtzeitig berichtet", "Verspätet", "Noch nicht fällig"], strict=True))  # fmt: skip


def test_a_chart_with_a_wrapped_legend_is_taller_and_keeps_its_text_inside():
    result = bar_chart(
        key="k", title="T", categories=["A"],
        series=[Series("x" * 40, [1]), Series("y" * 40, [2]), Series("z" * 40, [3])],
    )  # fmt: skip

    assert 'y="24" width="12" height="12"' in result.svg  # the third entry on a second row
    one_row = bar_chart(
        key="k", title="T", categories=["A"], series=[Series("x", [1]), Series("y", [2])]
    )
    # Legend rows of 20 px (+ 6), then per category the bars (16 px, 3 apart) and 14 px.
    assert re.search(r'viewBox="0 0 640 (\d+)"', one_row.svg)[1] == str(26 + 35 + 14 + 8)
    assert re.search(r'viewBox="0 0 640 (\d+)"', result.svg)[1] == str(46 + 54 + 14 + 8)
