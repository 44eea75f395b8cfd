from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Data protection")

    def ready(self):
        # The inventory of personal data, and the log actions of erasure and access.
        from privacy import emails, events  # noqa: F401 (e-mails staff may reword)
        from privacy.inventory import documents, funding, jury, own, platform  # noqa: F401
