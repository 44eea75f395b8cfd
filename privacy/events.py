"""Log actions of the privacy app (its transitions declare their own). None of them holds
personal data: what was erased is named by kind and count."""

from django.utils.translation import gettext_lazy as _

from workflow.actions import event

ERASURE_REQUESTED = event("privacy.erasurerequest.created", _("Erasure requested"))
DATA_ERASED = event("privacy.erasure.done", _("Personal data erased"))
APPLICATION_ANONYMISED = event("privacy.application.anonymised", _("Anonymised (data protection)"))
DRAFTS_DELETED = event("privacy.call.drafts_deleted", _("Drafts never submitted deleted"))
INACTIVITY_WARNED = event(
    "privacy.user.inactivity_warned", _("Warned before anonymising an unused account")
)
DATA_EXPORTED = event("privacy.user.data_exported", _("Personal data downloaded"))
