"""Form fields for the questions of a call: the applicant's answers (in the draft form, in an
answer to staff, in the eligibility check) and the form on which staff build a question."""

import re
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from core.forms import (
    MAX_AMOUNT,
    AsciiDecimalField,
    AsciiIntegerField,
    BoundedDateField,
    WebURLField,
)
from grants.models import Question
from grants.models.questions import NUMBER_LIMIT
from grants.questions import condition_text
from grants.services.questions import QUESTION_FIELDS
from grants.states import (
    NOTE_MAX_CHARS,
    QUESTION_HELP_MAX_CHARS,
    QUESTION_LABEL_MAX_CHARS,
    QUESTION_OPTIONS_MAX,
    SECTION_MAX_CHARS,
    SHORT_TEXT_MAX_CHARS,
    QuestionKind,
    QuestionKindGroup,
    QuestionPurpose,
)

K = QuestionKind
FILE_TYPES = ".pdf,.png,.jpg,.jpeg,.txt,.md,application/pdf,image/png,image/jpeg,text/plain"


@dataclass(frozen=True)
class Condition:
    """A question shown only after an answer to another: the other's field and the
    answer (the script compares them), and the hint shown without the script."""

    field_name: str
    value: str
    hint: str


def answer_field(question: Question) -> forms.Field:
    """The field that asks ``question``. Never required in the form: a draft is saved as
    typed; completeness asks for required answers (grants.questions.answer_errors). Typed
    kinds refuse what is not of their type (a number, a date, a web address)."""
    common = {"label": question.label, "help_text": question.help, "required": False}
    kind = question.kind
    if kind == K.TEXT:
        field = forms.CharField(max_length=SHORT_TEXT_MAX_CHARS, **common)
    elif kind == K.LONG_TEXT:
        attrs = {"rows": 6}
        if question.word_limit:
            attrs["data-word-limit"] = question.word_limit
        field = forms.CharField(
            max_length=SECTION_MAX_CHARS, widget=forms.Textarea(attrs=attrs), **common
        )
        # The browser would cut a long paste unnoticed; the form says what is too long.
        field.widget.attrs.pop("maxlength", None)
    elif kind == K.URL:
        field = WebURLField(
            max_length=SHORT_TEXT_MAX_CHARS,
            widget=forms.URLInput(attrs={"inputmode": "url"}),
            **common,
        )
    elif kind in (K.CHOICE, K.YES_NO):
        field = forms.ChoiceField(
            choices=question.option_choices(), widget=forms.RadioSelect, **common
        )
    elif kind == K.MULTIPLE_CHOICE:
        field = forms.MultipleChoiceField(
            choices=question.option_choices(), widget=forms.CheckboxSelectMultiple, **common
        )
    elif kind == K.NUMBER:
        field = AsciiIntegerField(min_value=-NUMBER_LIMIT, max_value=NUMBER_LIMIT, **common)
    elif kind == K.AMOUNT:
        field = AsciiDecimalField(
            max_digits=12,
            decimal_places=2,
            min_value=0,
            max_value=MAX_AMOUNT,
            widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
            **common,
        )
    elif kind == K.DATE:
        field = BoundedDateField(**common)
    else:
        field = forms.FileField(widget=forms.FileInput(attrs={"accept": FILE_TYPES}), **common)
    if question.required and not field.widget.use_fieldset:
        # Said to assistive technology (the label's star is hidden from it); not the
        # `required` attribute, since a draft is saved with answers still missing.
        field.widget.attrs["aria-required"] = "true"
    field.question = question
    return field


def add_answer_fields(form, questions, values, *, by_id=None) -> None:
    """Add a field per question to ``form`` (named q_<key>), with the answers given so far
    (question id → value) as initial values; a conditional question says when it applies."""
    by_id = by_id if by_id is not None else {q.pk: q for q in questions}
    for question in questions:
        field = answer_field(question)
        field.initial = values.get(question.pk)
        other = by_id.get(question.condition_question_id)
        if other is not None:
            field.condition = Condition(
                other.field_name, question.condition_value, condition_text(question, by_id)
            )
        form.fields[question.field_name] = field


def cleaned_answers(form, questions) -> dict:
    """question key → value typed, for the services (files are stored apart)."""
    return {
        q.key: form.cleaned_data.get(q.field_name)
        for q in questions
        if q.kind != K.FILE and q.field_name in form.cleaned_data
    }


class EligibilityForm(forms.Form):
    """The eligibility check of a call: each question answered with one of its answers."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            field = forms.ChoiceField(
                label=question.label,
                help_text=question.help,
                choices=question.option_choices(),
                widget=forms.RadioSelect,
                error_messages={"required": _("Please answer this question.")},
            )
            field.question = question
            self.fields[question.field_name] = field

    def answers(self) -> dict:
        return {q.key: self.cleaned_data[q.field_name] for q in self.questions}


# ---------------------------------------------------------------------------------------
# Staff build a question.

OPTION_LINE = re.compile(r"^\s*(?:(?P<key>[^|]*)\|)?(?P<de>[^|]*)\|(?P<en>[^|]*)$")


def options_text(options) -> str:
    return "\n".join(f"{o['key']} | {o['de']} | {o['en']}" for o in options)


def parse_options(text: str) -> list[dict]:
    """One option per line: "key | German | English", or "German | English" (the key is
    then made from the English name). Keys stay when the names change."""
    options, seen = [], set()
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        match = OPTION_LINE.match(line)
        if match is None:
            raise ValidationError(
                _("Line %(number)s: write “German | English” or “key | German | English”."),
                params={"number": number},
            )
        de, en = match["de"].strip(), match["en"].strip()
        key = slugify(match["key"] or "") or slugify(en)[:40] or f"option-{number}"
        while key in seen:
            key = f"{key}-{number}"
        seen.add(key)
        options.append({"key": key, "de": de, "en": en})
    if len(options) > QUESTION_OPTIONS_MAX:
        raise ValidationError(
            _("Give at most %(max)s options."), params={"max": QUESTION_OPTIONS_MAX}
        )
    return options


def _value_list(text: str) -> list[str]:
    return [slugify(part) for part in re.split(r"[,\s]+", text or "") if slugify(part)]


class QuestionForm(forms.Form):
    """A question as staff write it. The model checks the rest (grants.models.Question)."""

    key = forms.SlugField(
        label=_("Key"),
        max_length=50,
        help_text=Question._meta.get_field("key").help_text,
    )
    kind = forms.ChoiceField(label=_("Kind of answer"))
    label_de = forms.CharField(label=_("Question (German)"), max_length=QUESTION_LABEL_MAX_CHARS)
    label_en = forms.CharField(label=_("Question (English)"), max_length=QUESTION_LABEL_MAX_CHARS)
    help_de = forms.CharField(
        label=_("Help (German)"),
        required=False,
        max_length=QUESTION_HELP_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    help_en = forms.CharField(
        label=_("Help (English)"),
        required=False,
        max_length=QUESTION_HELP_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    word_limit = AsciiIntegerField(
        label=_("Word limit (texts)"), required=False, min_value=1, max_value=5000
    )
    options = forms.CharField(
        label=_("Options (choices)"),
        required=False,
        max_length=QUESTION_OPTIONS_MAX * 500,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One option per line: “German | English”, or “key | German | English” to keep "
            "a key when you rename an option."
        ),
    )
    condition = forms.ChoiceField(label=_("Shown"), required=False)
    for_jurors = forms.BooleanField(label=_("Jurors see the answer"), required=False)
    identifying = forms.BooleanField(
        label=_("The answer identifies the applicants (hidden from jurors in blind review)"),
        required=False,
    )
    in_ministry_appendix = forms.BooleanField(
        label=_("The answer goes into the ministry's appendix of funded projects"),
        required=False,
    )
    public_when_funded = forms.BooleanField(
        label=_("The answer is published once the project is funded (open data)"),
        required=False,
    )
    in_staff_list = forms.BooleanField(
        label=_("Show the answer as a column of the staff list"), required=False
    )
    disqualifying_values = forms.CharField(
        label=_("Answers that rule an application out"),
        required=False,
        max_length=500,
        help_text=_("“yes” or “no”, or the keys of options, separated by commas."),
    )
    disqualification_reason_de = forms.CharField(
        label=_("Reason shown (German)"),
        required=False,
        max_length=QUESTION_HELP_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    disqualification_reason_en = forms.CharField(
        label=_("Reason shown (English)"),
        required=False,
        max_length=QUESTION_HELP_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self, *args, purpose, question=None, others=(), frozen=False, is_admin=False, **kw
    ):
        """``others``: the call's questions of the same purpose, for the condition (only
        those before this one). A frozen form is read-only unless the user is an admin,
        who gives a reason."""
        self.purpose, self.question = purpose, question
        if question is not None:
            kw.setdefault("initial", self._initial(question))
        else:
            kw.setdefault("initial", {"required": True, "for_jurors": True})
        super().__init__(*args, **kw)
        kinds = QuestionKindGroup.ELIGIBILITY if purpose == QuestionPurpose.ELIGIBILITY else K
        self.fields["kind"].choices = [(k, K(k).label) for k in kinds]
        self.earlier = [
            q
            for q in others
            if q.kind in QuestionKindGroup.CHOOSING
            and (question is None or (q.position < question.position and q.pk != question.pk))
        ]
        self.fields["condition"].choices = [("", _("Always"))] + [
            (
                f"{q.pk}:{value}",
                _("Only if “%(question)s” is answered “%(answer)s”")
                % {"question": q.label, "answer": label},
            )
            for q in self.earlier
            for value, label in q.option_choices()
        ]
        if purpose == QuestionPurpose.ELIGIBILITY:
            for name in (*self.PROPOSAL_ONLY, "condition"):
                del self.fields[name]
        else:
            for name in self.ELIGIBILITY_ONLY:
                del self.fields[name]
        if frozen and is_admin:
            self.fields["reason"] = forms.CharField(
                label=_("Reason for changing the questions"),
                max_length=NOTE_MAX_CHARS,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_(
                    "Applications have been submitted already. Say why you change the "
                    "question; the reason is kept in the call's log."
                ),
            )
        elif frozen:
            for field in self.fields.values():
                field.disabled = True

    PROPOSAL_ONLY = (
        "word_limit",
        "for_jurors",
        "identifying",
        "in_ministry_appendix",
        "public_when_funded",
        "in_staff_list",
        "required",
    )
    ELIGIBILITY_ONLY = (
        "disqualifying_values",
        "disqualification_reason_de",
        "disqualification_reason_en",
    )

    @staticmethod
    def _initial(question) -> dict:
        initial = {name: getattr(question, name) for name in QUESTION_FIELDS}
        initial["options"] = options_text(question.options)
        initial["disqualifying_values"] = ", ".join(question.disqualifying_values)
        initial["condition"] = (
            f"{question.condition_question_id}:{question.condition_value}"
            if question.condition_question_id
            else ""
        )
        return initial

    def clean_options(self):
        return parse_options(self.cleaned_data["options"])

    def clean_disqualifying_values(self):
        return _value_list(self.cleaned_data["disqualifying_values"])

    def changes(self) -> dict:
        """Values for grants.services.questions.save_question."""
        data = self.cleaned_data
        changes = {
            name: data[name]
            for name in QUESTION_FIELDS
            if name in self.fields and name not in ("condition_question", "condition_value")
        }
        if "condition" in self.fields:
            chosen = data.get("condition") or ""
            other_id, _sep, value = chosen.partition(":")
            other = next((q for q in self.earlier if str(q.pk) == other_id), None)
            changes["condition_question"] = other
            changes["condition_value"] = value if other is not None else ""
        if self.question is None:
            changes["purpose"] = self.purpose
        if self.purpose == QuestionPurpose.ELIGIBILITY:
            changes["required"] = True
        return changes

    def add_service_errors(self, errors: dict) -> None:
        for name, messages in errors.items():
            target = "condition" if name in ("condition_question", "condition_value") else name
            target = target if target in self.fields else None
            for message in messages:
                self.add_error(target, message)
