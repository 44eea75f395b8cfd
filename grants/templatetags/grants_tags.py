from django import template

from core import formats
from grants import presentation
from grants.form_html import field_html
from grants.states import (
    ApplicationState,
    BankCheckState,
    CallState,
    ChangeRequestState,
    FinalReportState,
    IneligibilityReason,
    MilestoneState,
    SepaBatchState,
)
from workflow import actions

register = template.Library()


@register.filter
def euro(amount, decimals=2):
    """An amount in euros, localised and unbreakable: {{ amount|euro }} → "47.500,00 €"
    (German) or "€47,500.00" (English); {{ cap|euro:0 }} without cents. Use it for every
    amount on pages and in e-mails."""
    return formats.euro(amount, int(decimals))


@register.filter
def cents(amount):
    """An amount in whole cents for scripts (data attributes): 15000.50 → 1500050."""
    return int(amount * 100)


@register.filter
def percent(value):
    """A percentage without trailing zeros that does not break: "5 %" (German, with a
    no-break space) or "5%" (English)."""
    return formats.percent(value)


@register.simple_tag
def next_step(application):
    """{% next_step application as step %}: what the applicant does next (text, url)."""
    return presentation.next_step(application)


@register.filter
def field_label(name):
    """The name of a part of the proposal, e.g. similar_approaches → "Similar approaches"."""
    return presentation.field_label(name)


@register.filter
def state_label(value, kind="application"):
    """The translated label of a workflow state value, e.g. in_review → "In review"."""
    choices = {
        "call": CallState,
        "milestone": MilestoneState,
        "change": ChangeRequestState,
        "final_report": FinalReportState,
        "bank_check": BankCheckState,
        "batch": SepaBatchState,
    }.get(kind, ApplicationState)
    return presentation.state_label(value, choices)


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


@register.simple_tag(takes_context=True)
def form_field(context, field):
    """{% form_field field %}: a field with label, help, errors, widget and live word count
    (grants.form_html), the word limits of core fields from the context's word_limits."""
    return field_html(field, word_limits=context.get("word_limits"))


@register.filter
def web_links(text):
    """A person's plain text with its http(s) addresses as links, everything else escaped:
    {{ message.body|web_links }} (grants: core.formats.web_links)."""
    return formats.web_links(text)
