from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import mark_safe

from core.formats import Numbers
from grants.states import ApplicationState
from review.states import Decision, LineMove, LineState, LineStatus, RankingBasis, SeedSource

register = template.Library()


@register.filter
def score_for(review, criterion):
    """The review's score for ``criterion`` (from its prefetched scores), or None."""
    return next(
        (score for score in review.scores.all() if score.criterion_id == criterion.pk), None
    )


def _rounded(value, digits) -> Decimal | None:
    """``value`` rounded half up to ``digits`` decimals (Django's number_format cuts:
    0.8999 would show as 0.89); −0.001 becomes 0. None when missing or not a number."""
    try:
        exact = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    if not exact.is_finite():
        return None
    rounded = exact.quantize(Decimal(1).scaleb(-int(digits)), ROUND_HALF_UP)
    return rounded if rounded else abs(rounded)


@register.filter
def number(value, digits=2):
    """A figure, rounded and localised with ``digits`` decimals; "–" when missing."""
    rounded = None if value is None else _rounded(value, digits)
    if rounded is None:
        return "–"
    return number_format(rounded, decimal_pos=int(digits))


@register.filter
def signed(value, digits=2):
    """Like ``number``, with "+" above and "−" (minus sign) below zero after rounding."""
    rounded = None if value is None else _rounded(value, digits)
    if rounded is None:
        return "–"
    text = number_format(abs(rounded), decimal_pos=int(digits))
    return f"+{text}" if rounded > 0 else (f"−{text}" if rounded < 0 else text)


LABELS = {
    "line_status": LineStatus,
    "decision": Decision,
    "seed_source": SeedSource,
    "move": LineMove,
    "line_state": LineState,
    "basis": RankingBasis,
}


@register.filter
def review_label(value, kind):
    """The translated label of a stored choice of the review app (``kind``: line_status,
    decision, seed_source, move, line_state, basis); "–" when missing or unknown."""
    choices = LABELS[kind]
    return choices(value).label if value in choices.values else "–"


@register.filter
def moment(value):
    """A moment stored as ISO 8601 text (in a record's JSON), as a datetime for ``date``."""
    return parse_datetime(value) if value else None


@register.simple_tag
def ranking_rows(rows):
    """The ranking table's body, written here rather than by the template engine: with a
    thousand applications, rendering each cell through a template costs more than all the
    rest of the page (the figures are written exactly as ``number`` and ``euro`` would)."""
    figures = Numbers()
    link = reverse("staff_application_jury", kwargs={"pk": 0}).rsplit("/0/", 1)
    cells = []
    for row in rows:
        cells.append(
            "<tr>"
            f'<td class="number">{row["rank"]}</td>'
            f"<td>{row['low']}–{row['high']}</td>"
            f'<td class="number">{figures.fixed(row["expected_rank"], 1)}</td>'
            f'<th scope="row"><a href="{link[0]}/{int(row["id"])}/{link[1]}">'
            f"{escape(row['reference'])}</a> {escape(row['title'])}</th>"
            f'<td class="number">{figures.fixed(row["calibrated"], 2)}</td>'
            f'<td class="number">{figures.fixed(row["raw"], 2)}</td>'
            f'<td class="number">{row["count"]}</td>'
            f'<td class="number">{figures.fixed(row["spread"], 2)}</td>'
            f'<td class="number">{figures.euro(row["amount"])}</td>'
            f"<td>{escape(ApplicationState(row['state']).label)}</td>"
            "</tr>"
        )
    return mark_safe("\n".join(cells))  # noqa: S308 (every text above is escaped)
