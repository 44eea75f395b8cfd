from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        """Everyone who signs up is an applicant; e-mails follow the language used to sign up."""
        user = super().save_user(request, user, form, commit=False)
        language = translation.get_language() or "de"
        user.language = "en" if language.startswith("en") else "de"
        if commit:
            user.save()
            user.groups.add(Group.objects.get_or_create(name=Role.APPLICANT)[0])
        return user


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


def is_last_required_second_factor(authenticator) -> bool:
    from accounts.access import SECOND_FACTOR_TYPES

    user = authenticator.user
    if not user.needs_mfa or authenticator.type not in SECOND_FACTOR_TYPES:
        return False
    return not (
        Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTOR_TYPES)
        .exclude(pk=authenticator.pk)
        .exists()
    )
