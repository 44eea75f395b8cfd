from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts import mfa_secrets
from accounts.last_factor import is_last_required_second_factor
from accounts.roles import Role
from core.identity import fund_name


def fund_site() -> SimpleNamespace:
    """What allauth's e-mails call the site: the fund's name and public address, never the
    host name of the request ("Hello from 127.0.0.1:8000!")."""
    return SimpleNamespace(name=fund_name(), domain=urlsplit(settings.SITE_URL).netloc)


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        """Everyone who signs up is an applicant, with the name they gave; e-mails follow the
        language used to sign up (changeable on the account page)."""
        user = super().save_user(request, user, form, commit=False)
        user.full_name = form.cleaned_data.get("full_name", user.full_name)
        language = translation.get_language() or "de"
        user.language = "en" if language.startswith("en") else "de"
        if commit:
            user.save()
            user.groups.add(Group.objects.get_or_create(name=Role.APPLICANT)[0])
        return user

    def send_mail(self, template_prefix, email, context):
        """allauth's e-mails carry the fund's name and are written in the language of the
        person they go to (the page's language for an address without an account)."""
        from accounts.models import User

        user = context.get("user")
        if not isinstance(user, User):
            user = User.objects.filter(email__iexact=email).first()
        context = {**context, "current_site": fund_site(), "site_url": settings.SITE_URL}
        language = user.language if user is not None else translation.get_language()
        with translation.override(language):
            super().send_mail(template_prefix, email, context)

    def send_notification_mail(self, template_prefix, user, context=None, email=None):
        """Security notices (address or password changed) go out in the language of the
        person whose account changed, also to an address that is no longer theirs."""
        super().send_notification_mail(
            template_prefix, user, {**(context or {}), "user": user}, email
        )

    def _get_login_attempts_cache_key(self, request, **credentials):
        """allauth counts failed sign-ins per this key ("login_failed": "…/key"). Per
        account alone, anyone could lock a named person out by typing wrong passwords for
        them; per account and client address, the person's own attempts count apart
        from everyone else's. (allauth also clears this key after a password reset.)"""
        account = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{account}@{ratelimit.get_ip(request)}"

    def pre_authenticate(self, request, **credentials):
        """Besides allauth's limits (per address, per account and address), a high
        ceiling of failed attempts per account from all addresses together
        ("login_failed_account"), against guessing one password from many addresses."""
        super().pre_authenticate(request, **credentials)
        account = super()._get_login_attempts_cache_key(request, **credentials)
        ceiling = ratelimit.consume(
            request, app="allauth.account", action="login_failed_account", key=account
        )
        if not ceiling:
            self._rollback_login_failed_rl_usage()
            raise self.validation_error("too_many_login_attempts")
        # A successful sign-in rolls back what this attempt counted, the ceiling too.
        self._login_failed_rl_usage.usage.extend(ceiling.usage)

    def _delete_login_attempts_cached_email(self, request, **credentials):
        """After a password reset (the person showed they hold the mailbox), their
        account's ceiling is cleared too."""
        super()._delete_login_attempts_cached_email(request, **credentials)
        account = super()._get_login_attempts_cache_key(request, **credentials)
        ratelimit.clear(request, app="allauth.account", action="login_failed_account", key=account)

    def get_password_change_redirect_url(self, request):
        return reverse("account") + "#password"


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": _(
            "Your role requires a second factor and this is your only one, so it cannot be "
            "removed. To use a new phone, replace your authenticator app instead; or add a "
            "security key first."
        ),
    }

    def can_delete_authenticator(self, authenticator) -> bool:
        """Jurors, staff, ministry viewers and admins keep at least one second factor."""
        return not is_last_required_second_factor(authenticator)

    def encrypt(self, text: str) -> str:
        """allauth's hook for the secrets it stores (the TOTP secret, the recovery-code
        seed): encrypted with DJANGO_MFA_ENCRYPTION_KEY (accounts.mfa_secrets)."""
        return mfa_secrets.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return mfa_secrets.decrypt(encrypted_text)
