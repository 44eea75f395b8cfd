"""Log actions of the accounts app (workflow.actions)."""

from django.utils.translation import gettext_lazy as _

from workflow.actions import event

EMAIL_CHANGED = event("accounts.user.email_changed", _("E-mail address changed"))
