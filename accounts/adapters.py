from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth.models import Group
from django.utils import translation

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
