from django import template

register = template.Library()


@register.filter
def score_for(review, criterion):
    """The review's score for ``criterion`` (from its prefetched scores), or None."""
    return next(
        (score for score in review.scores.all() if score.criterion_id == criterion.pk), None
    )


@register.filter
def number(value, digits=2):
    """A score, localised with ``digits`` decimals; "–" when missing."""
    from django.utils.formats import number_format

    if value is None or value != value:  # None or NaN
        return "–"
    return number_format(value, decimal_pos=int(digits))


@register.filter
def signed(value, digits=2):
    from django.utils.formats import number_format

    if value is None or value != value:
        return "–"
    text = number_format(abs(value), decimal_pos=int(digits))
    return f"+{text}" if value > 0 else (f"−{text}" if value < 0 else text)
