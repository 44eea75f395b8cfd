"""Bar charts as SVG: one piece of code for the dashboard (inline SVG) and the PDF (the same
SVG as a data: image with its text alternative). Plain Python with its own unit tests.

Every chart carries a title and a text alternative that states every value (``<title>`` and
``<desc>``, referenced by ``aria-labelledby``); the pages show the same numbers in a table
beside it. Colours are told apart by a legend and by the value written next to each bar,
never by colour alone. Only presentation attributes are used (the Content-Security-Policy
allows no inline styles)."""

import base64
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

# Bar colours with at least 3:1 contrast against white (WCAG 1.4.11, non-text contrast).
PALETTE = ("#0b4f8a", "#b34700", "#1d6b34", "#6b3fa0", "#8a6d00")
INK = "#1b1f24"
GRID = "#c9d1da"
FONT = "DejaVu Sans, Noto Sans, sans-serif"
FONT_SIZE = 12
CHAR_WIDTH = 7.2  # average advance of DejaVu Sans at 12 px, for sizing the label column
BAR_HEIGHT = 16
BAR_GAP = 3
GROUP_GAP = 14
LABEL_MAX_CHARS = 34


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence  # one number per category (int, float or Decimal)


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    description: str  # the text alternative: every value, in words
    svg: str

    @property
    def data_uri(self) -> str:
        encoded = base64.b64encode(self.svg.encode("utf-8")).decode("ascii")
        return f"data:image/svg+xml;base64,{encoded}"


def shorten(text: str, limit: int = LABEL_MAX_CHARS) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def describe(title: str, categories, series, format_value) -> str:
    parts = []
    for index, category in enumerate(categories):
        values = ", ".join(f"{s.label} {format_value(s.values[index])}" for s in series)
        parts.append(f"{category}: {values}")
    return f"{title}. " + "; ".join(parts) + "." if parts else f"{title}."


def bar_chart(
    *,
    key: str,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    format_value: Callable[[object], str] = str,
    empty_text: str = "",
    width: int = 640,
) -> Chart:
    """Horizontal bars, grouped by category: one bar per series, its value written beside
    it. ``key`` makes the element ids unique on a page."""
    if any(len(s.values) != len(categories) for s in series):
        raise ValueError("Every series needs one value per category.")
    if len(series) > len(PALETTE):
        raise ValueError(f"At most {len(PALETTE)} series.")
    description = describe(title, categories, series, format_value)
    if empty_text and not categories:
        description = f"{title}. {empty_text}"
    labels = [shorten(category) for category in categories]
    label_width = min(
        LABEL_MAX_CHARS * CHAR_WIDTH, max([len(x) for x in labels] + [4]) * CHAR_WIDTH
    )
    value_labels = [[format_value(v) for v in s.values] for s in series]
    value_width = max([len(t) for texts in value_labels for t in texts] + [4]) * CHAR_WIDTH
    left = label_width + 12
    plot_width = max(width - left - value_width - 16, 60)
    largest = max([_number(v) for s in series for v in s.values] + [0])
    scale = plot_width / largest if largest > 0 else 0
    legend = legend_positions([s.label for s in series], left, width) if len(series) > 1 else []
    legend_height = (max(row for _x, row in legend) + 1) * 20 + 6 if legend else 6
    group_height = len(series) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP
    height = int(legend_height + max(len(categories), 1) * (group_height + GROUP_GAP) + 8)
    ids = f"{key}-title {key}-desc"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}"'
        f' width="{width}" height="{height}" role="img" aria-labelledby="{ids}"'
        f' font-family={quoteattr(FONT)} font-size="{FONT_SIZE}">',
        f'<title id="{key}-title">{escape(title)}</title>',
        f'<desc id="{key}-desc">{escape(description)}</desc>',
    ]
    for index, ((x, row), s) in enumerate(zip(legend, series, strict=False)):
        top = 4 + 20 * row
        out.append(
            f'<rect x="{x:.1f}" y="{top}" width="12" height="12" fill="{PALETTE[index]}"/>'
            f'<text x="{x + 16:.1f}" y="{top + 10}" fill="{INK}">{escape(s.label)}</text>'
        )
    if not categories and empty_text:
        out.append(
            f'<text x="{left:.1f}" y="{legend_height + 12}" fill="{INK}">{escape(empty_text)}</text>'
        )
    y = legend_height
    for row, label in enumerate(labels):
        middle = y + group_height / 2 + FONT_SIZE / 2 - 2
        out.append(
            f'<text x="{label_width:.1f}" y="{middle:.1f}" text-anchor="end" fill="{INK}">'
            f"{escape(label)}</text>"
        )
        for index, s in enumerate(series):
            bar_y = y + index * (BAR_HEIGHT + BAR_GAP)
            bar_width = max(_number(s.values[row]), 0) * scale
            out.append(
                f'<rect x="{left:.1f}" y="{bar_y:.1f}" width="{bar_width:.1f}"'
                f' height="{BAR_HEIGHT}" fill="{PALETTE[index]}"/>'
                f'<text x="{left + bar_width + 4:.1f}" y="{bar_y + BAR_HEIGHT - 4:.1f}"'
                f' fill="{INK}">{escape(value_labels[index][row])}</text>'
            )
        y += group_height + GROUP_GAP
    out.append(
        f'<line x1="{left:.1f}" y1="{legend_height - 2}" x2="{left:.1f}" y2="{y - GROUP_GAP + 2:.1f}"'
        f' stroke="{GRID}" stroke-width="1"/>'
    )
    out.append("</svg>")
    return Chart(key=key, title=title, description=description, svg="".join(out))


def legend_positions(labels, left: float, width: int) -> list[tuple[float, int]]:
    """(x, row) of each legend entry: in one row from the plot's left edge if they fit,
    otherwise from the chart's left edge, starting a new row where the next would not fit."""
    sizes = [16 + len(label) * CHAR_WIDTH + 18 for label in labels]
    x = left if left + sum(sizes) <= width else 0.0
    start, row, positions = x, 0, []
    for size in sizes:
        if x > start and x + size - 18 > width:
            x, row = start, row + 1
        positions.append((x, row))
        x += size
    return positions


def _number(value) -> float:
    number = float(value or 0)
    return number if math.isfinite(number) else 0.0
