"""Log actions of the grants app that are not transitions (those are declared on the
transitions themselves, see workflow.actions)."""

from django.utils.translation import gettext_lazy as _

from workflow.actions import event

DRAFT_STARTED = event("grants.application.created", _("Draft started"))
INFORMATION_REQUESTED = event(
    "grants.application.information_requested", _("Information requested")
)
INFORMATION_PROVIDED = event("grants.application.information_provided", _("Information provided"))
CALL_CREATED = event("grants.call.created", _("Call created"))
CALL_RULES_CHANGED = event("grants.call.rules_changed", _("Rules changed"))
