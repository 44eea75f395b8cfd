"""The form of staff's wording of an e-mail (workflow.emails). It only checks the input;
workflow.services.save_email_text writes it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import RecordIdField
from workflow.emails import BODY_MAX_CHARS, SUBJECT_MAX_CHARS, EmailKind, template_errors


class BasedOnForm(forms.Form):
    # The change the editor started from (empty: the shipped text), to notice edits made
    # meanwhile by someone else.
    based_on = RecordIdField(required=False, widget=forms.HiddenInput)


class EmailTextForm(BasedOnForm):
    subject = forms.CharField(label=_("Subject"), max_length=SUBJECT_MAX_CHARS)
    body = forms.CharField(
        label=_("Text"),
        max_length=BODY_MAX_CHARS,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "Between the greeting and the sign-off, which are added for you. Placeholders "
            "such as $reference are replaced by their values; a blank line starts a new "
            "paragraph."
        ),
    )

    def __init__(self, *args, kind: EmailKind, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind

    def _placeholders_of(self, name):
        value = self.cleaned_data[name]
        for message in template_errors(value, self.kind.names):
            self.add_error(name, message)
        return value

    def clean_subject(self):
        return " ".join(self._placeholders_of("subject").split())

    def clean_body(self):
        body = self._placeholders_of("body").replace("\r\n", "\n").strip()
        if not body:
            raise forms.ValidationError(_("This field is required."))
        return body
