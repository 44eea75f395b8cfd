"""Log actions of the accounts app."""

from django.utils.translation import gettext_lazy as _

from workflow.actions import event

USER_ANONYMISED = event("accounts.user.anonymised", _("Account anonymised"))
