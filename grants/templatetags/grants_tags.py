from django import template

from grants import presentation
from grants.states import ApplicationState, CallState, IneligibilityReason
from workflow import actions

register = template.Library()


@register.filter
def state_label(value, kind="application"):
    """The translated label of a workflow state value, e.g. in_review → "In review"."""
    return presentation.state_label(value, CallState if kind == "call" else ApplicationState)


@register.filter
def action_label(action):
    """The label of a log action, e.g. grants.application.submitted → "Submitted"."""
    return actions.action_label(action)


@register.filter
def reason_label(value):
    try:
        return IneligibilityReason(value).label
    except ValueError:
        return value


@register.filter
def word_count(value):
    from grants.wordcount import count_words

    return count_words(value if isinstance(value, str) else "")


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def euro(amount):
    """An amount in euros, localised (1.000,00 € / 1,000.00 €), that never breaks across
    lines: a no-break space joins the number and the sign."""
    from django.utils.formats import number_format

    if amount in (None, ""):
        return "–"
    return f"{number_format(amount, decimal_pos=2, force_grouping=True)}\u00a0€"
