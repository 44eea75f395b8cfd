from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from allauth.account.signals import email_added, email_changed
        from allauth.mfa.models import Authenticator
        from allauth.mfa.signals import authenticator_added
        from django.db.models.signals import pre_delete

        from accounts import events  # noqa: F401 (registers the log actions)
        from accounts.last_factor import refuse_removing_the_last_second_factor
        from accounts.signals import (
            confirm_session_with_new_authenticator,
            record_email_change,
            tell_primary_address_of_new_address,
        )

        authenticator_added.connect(
            confirm_session_with_new_authenticator, dispatch_uid="accounts_confirm_session"
        )
        pre_delete.connect(
            refuse_removing_the_last_second_factor,
            sender=Authenticator,
            dispatch_uid="accounts_keep_the_last_second_factor",
        )
        email_changed.connect(record_email_change, dispatch_uid="accounts_record_email_change")
        email_added.connect(
            tell_primary_address_of_new_address, dispatch_uid="accounts_tell_primary_address"
        )
