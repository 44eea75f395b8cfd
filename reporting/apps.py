from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Reporting")

    def ready(self):
        from grants.signals import publication_changed
        from reporting import emails  # noqa: F401 (registers the e-mails staff may reword)
        from reporting.caches import forget_public_pages

        publication_changed.connect(forget_public_pages, dispatch_uid="reporting_public_pages")
