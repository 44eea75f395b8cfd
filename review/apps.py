from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = _("Review")

    def ready(self):
        from allauth.account.signals import email_confirmed

        from grants.call_page import register_call_page_section
        from grants.export_columns import register_export_columns
        from grants.inbox.registry import register
        from grants.rules import register_review_completion
        from grants.services.calls import register_call_step
        from grants.visibility import APPLICATIONS, withhold
        from review import emails, events  # noqa: F401 (registers e-mails and log actions)
        from review.audiences import CONFLICTED, JUROR
        from review.call_page import criteria_section
        from review.exports import application_columns
        from review.inbox import REVIEW_KINDS
        from review.rules import completes_the_reviews
        from review.services.jury import join_juries_on_confirmed_email
        from review.services.records import seal_record

        APPLICATIONS.register(JUROR)
        register_review_completion(completes_the_reviews)
        withhold(CONFLICTED)
        for kind in REVIEW_KINDS:
            register(kind)
        register_call_step("decide", seal_record)
        register_export_columns(application_columns)
        register_call_page_section(criteria_section)
        email_confirmed.connect(join_juries_on_confirmed_email, dispatch_uid="review_join_juries")
