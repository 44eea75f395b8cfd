from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = _("Grants")

    def ready(self):
        # Register the log actions that are not transitions, so every page can label them,
        # the e-mails staff may reword, and the inbox's kinds of work.
        from grants import emails, events  # noqa: F401
        from grants.contracts import emails as contract_emails  # noqa: F401
        from grants.inbox.kinds import register_kinds

        register_kinds()
