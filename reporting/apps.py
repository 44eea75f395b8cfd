from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Reporting")

    def ready(self):
        from grants.signals import publication_changed
        from reporting.caches import forget_public_pages

        publication_changed.connect(forget_public_pages, dispatch_uid="reporting_public_pages")
