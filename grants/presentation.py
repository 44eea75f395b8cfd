"""How workflow values are shown to people: one place for the labels of log actions and
states, used by the staff pages, the applicant timeline and e-mails."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "grants.application.created": _("Draft started"),
    "grants.application.submitted": _("Submitted"),
    "grants.application.withdrawn": _("Withdrawn"),
    "grants.application.screened_eligible": _("Screened: eligible"),
    "grants.application.screened_ineligible": _("Screened: ineligible"),
    "grants.application.information_requested": _("Information requested"),
    "grants.application.information_provided": _("Information provided"),
    "grants.application.review_started": _("Review started"),
    "grants.application.review_closed": _("Review closed"),
    "grants.call.created": _("Call created"),
    "grants.call.rules_changed": _("Rules changed"),
    "grants.call.opened": _("Call opened"),
    "grants.call.closed": _("Call closed"),
    "grants.call.review_started": _("Review started"),
    "grants.call.decided": _("Decided"),
    "grants.call.archived": _("Archived"),
    "grants.application.approved": _("Approved"),
    "grants.application.waitlisted": _("Put on the waiting list"),
    "grants.application.rejected": _("Rejected"),
    "grants.application.agreement_signed": _("Grant agreement signed"),
}


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


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
