"""Forms of the discussion of an application: a comment, the rapporteur, the summary. The
services check plain text and length again (review.services.discussion)."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.forms import BoundedTextField
from review.states import DISCUSSION_COMMENT_MAX_CHARS, SUMMARY_MAX_CHARS


class CommentForm(forms.Form):
    body = BoundedTextField(
        label=_("Your comment"),
        max_length=DISCUSSION_COMMENT_MAX_CHARS,
        help_text=format_lazy(
            _(
                "Plain text, at most {max} characters. Read by the programme staff and by the "
                "jurors of this application who have submitted their review."
            ),
            max=DISCUSSION_COMMENT_MAX_CHARS,
        ),
    )


class SummaryForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)
    text = BoundedTextField(
        label=_("Summary of the discussion"),
        max_length=SUMMARY_MAX_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=format_lazy(
            _("Plain text, at most {max} characters. It goes into the call's selection record."),
            max=SUMMARY_MAX_CHARS,
        ),
    )


class RapporteurForm(forms.Form):
    juror = forms.TypedChoiceField(label=_("Rapporteur"), coerce=int)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["juror"].choices = [("", _("Choose a juror of this application"))] + [
            (assignment.juror_id, str(assignment.juror)) for assignment in candidates
        ]
