"""Forms of the account pages: sign-up with a name, and the person's own details."""

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import User

NAME_HELP = _("As it should appear on your applications and in e-mails to you.")


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form with the person's name, asked first."""

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=User._meta.get_field("full_name").max_length,
        help_text=NAME_HELP,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    field_order = ["full_name", "email", "password1", "password2"]
    # The form's template links the privacy notice (templates/allauth/elements/fields.html).
    privacy_notice = True

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError(_("Please enter your name."))
        return name


class ProfileForm(forms.Form):
    """Name and language, on the account page. The language is that of the pages and of
    every e-mail the fund sends."""

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=User._meta.get_field("full_name").max_length,
        help_text=NAME_HELP,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        help_text=_("The language of these pages and of every e-mail we send you."),
    )

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError(_("Please enter your name."))
        return name


class SecondFactorResetForm(forms.Form):
    """What an administrator confirms before removing someone's lost second factor."""

    reason = forms.CharField(
        label=_("Why"),
        help_text=_("For example: phone lost, reported by telephone on 3 December."),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    identity_checked = forms.BooleanField(
        label=_(
            "I have confirmed who the person is: I called them back at a number the fund "
            "already had, not one given in the request."
        ),
    )
