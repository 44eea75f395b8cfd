from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = _("Review")

    def ready(self):
        from grants.visibility import APPLICATIONS
        from review.audiences import JUROR

        APPLICATIONS.register(JUROR)
