"""Forms of conversations and announcements: they validate and shape input only; writes go
through grants/conversations/services."""

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.forms import BoundedTextField
from grants.models import Call
from grants.states import (
    ANNOUNCEMENT_BODY_MAX_CHARS,
    ANNOUNCEMENT_SUBJECT_MAX_CHARS,
    MESSAGE_MAX_CHARS,
    AnnouncementAudience,
    CallState,
)

# A number of recipients above this is a forged form, not a preview.
MAX_RECIPIENTS = 10_000_000


class MessageForm(forms.Form):
    body = BoundedTextField(label=_("Your message"), max_length=MESSAGE_MAX_CHARS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Made per request, in the reader's language.
        self.fields["body"].help_text = gettext(
            "Plain text, at most %(count)s characters. Web addresses become links."
        ) % {"count": number_format(MESSAGE_MAX_CHARS, force_grouping=True)}


class AnnouncementForm(forms.Form):
    audience = forms.ChoiceField(
        label=_("Who receives it"),
        choices=AnnouncementAudience.choices,
        widget=forms.RadioSelect,
    )
    call = forms.ModelChoiceField(
        label=_("Call"),
        queryset=Call.objects.exclude(state=CallState.DRAFT).order_by("-year", "-round_number"),
        to_field_name="slug",
        required=False,
        empty_label=_("(all calls: only for the grantees of all calls)"),
        help_text=_("Needed for the applicants or the grantees of one call."),
    )
    subject_de = BoundedTextField(
        label=_("Subject (German)"), max_length=ANNOUNCEMENT_SUBJECT_MAX_CHARS, multiline=False
    )
    body_de = BoundedTextField(label=_("Text (German)"), max_length=ANNOUNCEMENT_BODY_MAX_CHARS)
    subject_en = BoundedTextField(
        label=_("Subject (English)"), max_length=ANNOUNCEMENT_SUBJECT_MAX_CHARS, multiline=False
    )
    body_en = BoundedTextField(label=_("Text (English)"), max_length=ANNOUNCEMENT_BODY_MAX_CHARS)
    # The number of recipients the preview showed: sending checks it still holds.
    expected_count = forms.IntegerField(
        required=False, min_value=0, max_value=MAX_RECIPIENTS, widget=forms.HiddenInput
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("subject_de", "body_de"):
            self.fields[name].widget.attrs["lang"] = "de"
        for name in ("subject_en", "body_en"):
            self.fields[name].widget.attrs["lang"] = "en"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("audience") in (
            AnnouncementAudience.CALL_APPLICANTS,
            AnnouncementAudience.CALL_GRANTEES,
        ) and not cleaned.get("call"):
            self.add_error("call", _("Choose the call."))
        return cleaned

    def texts(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in ("subject_de", "subject_en", "body_de", "body_en")
        }
