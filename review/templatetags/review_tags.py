from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

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
