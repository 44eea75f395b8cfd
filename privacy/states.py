"""States and choices of the privacy app, named once."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestState(models.TextChoices):
    OPEN = "open", _("Waiting for the staff")
    CARRIED_OUT = "carried_out", _("Carried out")
    CANCELLED = "cancelled", _("Withdrawn by the person")


class Cause(models.TextChoices):
    """Why data was erased: a retention rule's period ended, a person asked, or a restored
    backup brought back what had been erased."""

    RETENTION = "retention", _("Retention period ended")
    REQUEST = "request", _("The person asked")
    RESTORE = "restore", _("Erased again after restoring a backup")
