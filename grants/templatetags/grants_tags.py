from django import template

from grants import presentation
from grants.states import (
    ApplicationState,
    CallState,
    ChangeRequestState,
    FinalReportState,
    IneligibilityReason,
    MilestoneState,
)
from workflow import actions

register = template.Library()


@register.filter
def state_label(value, kind="application"):
    """The translated label of a workflow state value, e.g. in_review → "In review"."""
    choices = {
        "call": CallState,
        "milestone": MilestoneState,
        "change": ChangeRequestState,
        "final_report": FinalReportState,
    }.get(kind, ApplicationState)
    return presentation.state_label(value, choices)


@register.filter
def euro(amount):
    """An amount in euros, e.g. {{ grant.amount|euro }} → "47,500.00 €" (never broken)."""
    return presentation.euro(amount)


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
