"""How workflow values are shown to people, used by the staff pages, the applicant timeline
and e-mails. Log labels are declared where the actions are: on the transitions (custom=)
and in grants.events (workflow.actions)."""

from django.template.defaultfilters import floatformat

from workflow.actions import action_label


def euro(amount) -> str:
    """An amount in euros with cents and the active language's separators, on one line:
    "47,500.00 €" in English, "47.500,00 €" in German."""
    if amount is None or amount == "":
        return "–"
    return f"{floatformat(amount, '2g')}\u00a0€"


def state_label(value, choices):
    try:
        return choices(value).label
    except ValueError:
        return value


def log_entries(entries, choices):
    """Log rows with readable action and state names."""
    return [
        {
            "entry": entry,
            "action": action_label(entry.action),
            "from_state": state_label(entry.from_state, choices) if entry.from_state else "",
            "to_state": state_label(entry.to_state, choices) if entry.to_state else "",
        }
        for entry in entries
    ]
