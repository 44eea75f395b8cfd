from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = _("Grants")

    def ready(self):
        # Register the log actions that are not transitions, so every page can label them.
        from grants import events  # noqa: F401
        from grants.inbox.kinds import register_kinds

        register_kinds()
