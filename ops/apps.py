from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Operations: health check, request ids and structured logs, the worker heartbeat."""

    name = "ops"
    verbose_name = _("Operations")
