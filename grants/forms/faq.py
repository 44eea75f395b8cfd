"""The form of a call's questions and answers: one row per entry (German and English),
ordered by the position staff type, removed by a tick; one empty row to add another."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import RecordIdField
from grants.services.faq import FAQ_FIELDS
from grants.states import FAQ_ANSWER_MAX_CHARS, FAQ_ENTRIES_MAX, FAQ_QUESTION_MAX_CHARS


class FaqEntryForm(forms.Form):
    id = RecordIdField(required=False, widget=forms.HiddenInput)
    question_de = forms.CharField(
        label=_("Question (German)"), max_length=FAQ_QUESTION_MAX_CHARS, required=False
    )
    question_en = forms.CharField(
        label=_("Question (English)"), max_length=FAQ_QUESTION_MAX_CHARS, required=False
    )
    answer_de = forms.CharField(
        label=_("Answer (German)"),
        max_length=FAQ_ANSWER_MAX_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    answer_en = forms.CharField(
        label=_("Answer (English)"),
        max_length=FAQ_ANSWER_MAX_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        cleaned = super().clean()
        given = [name for name in FAQ_FIELDS if cleaned.get(name)]
        if given and len(given) < len(FAQ_FIELDS) and not self.errors:
            for name in FAQ_FIELDS:
                if not cleaned.get(name):
                    self.add_error(name, _("Give the question and its answer in both languages."))
        return cleaned

    def is_blank(self) -> bool:
        return not any(self.cleaned_data.get(name) for name in FAQ_FIELDS)


class BaseFaqFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["ORDER"].label = _("Position")
        form.fields["DELETE"].label = _("Remove this entry")

    def entries(self) -> list[dict]:
        """The entries to keep, in the order given (blank rows left out)."""
        return [
            {"id": form.cleaned_data.get("id"), **{n: form.cleaned_data[n] for n in FAQ_FIELDS}}
            for form in self.ordered_forms
            if not form.is_blank()
        ]


FaqFormSet = forms.formset_factory(
    FaqEntryForm,
    formset=BaseFaqFormSet,
    extra=1,
    can_order=True,
    can_delete=True,
    max_num=FAQ_ENTRIES_MAX,
    validate_max=True,
    absolute_max=FAQ_ENTRIES_MAX + 1,
)


def faq_initial(entries) -> list[dict]:
    return [
        {"id": entry.pk, **{name: getattr(entry, name) for name in FAQ_FIELDS}} for entry in entries
    ]
