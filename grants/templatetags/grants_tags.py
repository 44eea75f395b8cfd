from django import template

from grants.states import ApplicationState, CallState, IneligibilityReason

register = template.Library()


@register.filter
def state_label(value, kind="application"):
    """The translated label of a workflow state value, e.g. in_review → "In review"."""
    choices = CallState if kind == "call" else ApplicationState
    try:
        return choices(value).label
    except ValueError:
        return value


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
