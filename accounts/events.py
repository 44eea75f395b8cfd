"""Log actions of the accounts app."""

from django.utils.translation import gettext_lazy as _

from workflow.actions import event
from workflow.audit import register_personal_keys

USER_ANONYMISED = event("accounts.user.anonymised", _("Account anonymised"))
EMAIL_CHANGED = event("accounts.user.email_changed", _("E-mail address changed"))
register_personal_keys(EMAIL_CHANGED, "from", "to")  # the two addresses
SECOND_FACTOR_RESET = event(
    "accounts.user.second_factor_reset", _("Second factor reset (device lost)")
)
register_personal_keys(SECOND_FACTOR_RESET, "reason")  # may name the person's situation
