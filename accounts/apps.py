from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from allauth.mfa.signals import authenticator_added

        from accounts import events  # noqa: F401 (registers the log actions)
        from accounts.signals import confirm_session_with_new_authenticator

        authenticator_added.connect(
            confirm_session_with_new_authenticator, dispatch_uid="accounts_confirm_session"
        )
