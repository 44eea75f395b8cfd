"""Roles are Django groups; this module names them once for the whole project."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    JUROR = "juror", _("Juror")
    STAFF = "staff", _("Programme staff")
    MINISTRY = "ministry", _("Ministry viewer")


# Roles whose pages are reachable only in a session authenticated with a second factor.
MFA_ROLES = frozenset({Role.JUROR, Role.STAFF, Role.MINISTRY})
