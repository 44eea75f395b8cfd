"""Forms of the privacy pages."""

from django import forms
from django.utils.translation import gettext_lazy as _


class FindPersonForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of the person"),
        max_length=254,
        help_text=_("Their sign-in address or another confirmed address of their account."),
    )
