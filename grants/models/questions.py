"""The questions of a call and the answers of applications (pretalx's question model is the
anchor): staff build the form per call, before the first submission; afterwards only an
admin may change it, with a reason (grants.services.questions).

Each question has a ``key``, stable within its call: a question to the applicant unlocks
answers by it, the log records changed answers by it, and answers are copied between calls
(a second stage) where the keys match."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from grants.models.applications import SECTION_TEXT, Application, Attachment
from grants.models.calls import Call
from grants.models.funds import BilingualMixin
from grants.states import (
    QUESTION_HELP_MAX_CHARS,
    QUESTION_LABEL_MAX_CHARS,
    QUESTION_OPTION_MAX_CHARS,
    QUESTION_OPTIONS_MAX,
    QUESTION_WORD_LIMIT_MAX,
    RESERVED_QUESTION_KEYS,
    QuestionKind,
    QuestionKindGroup,
    QuestionPurpose,
)

K = QuestionKind
YES, NO = "yes", "no"
HELP_TEXT = {
    "max_length": QUESTION_HELP_MAX_CHARS,
    "validators": [MaxLengthValidator(QUESTION_HELP_MAX_CHARS)],
}


class Question(BilingualMixin, models.Model):
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="questions")
    purpose = models.CharField(
        _("asked"),
        max_length=20,
        choices=QuestionPurpose.choices,
        default=QuestionPurpose.PROPOSAL,
    )
    key = models.SlugField(
        _("key"),
        max_length=50,
        help_text=_(
            "A short name that stays when the wording changes, for example open-source. "
            "Answers are copied between calls by it."
        ),
    )
    kind = models.CharField(_("kind of answer"), max_length=20, choices=QuestionKind.choices)
    label_de = models.CharField(_("question (German)"), max_length=QUESTION_LABEL_MAX_CHARS)
    label_en = models.CharField(_("question (English)"), max_length=QUESTION_LABEL_MAX_CHARS)
    help_de = models.TextField(_("help (German)"), blank=True, **HELP_TEXT)
    help_en = models.TextField(_("help (English)"), blank=True, **HELP_TEXT)
    required = models.BooleanField(_("required"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    word_limit = models.PositiveIntegerField(
        _("word limit"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(QUESTION_WORD_LIMIT_MAX)],
    )
    # [{"key": …, "de": …, "en": …}, …] for the choice kinds.
    options = models.JSONField(_("options"), default=list, blank=True)
    condition_question = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dependants",
        verbose_name=_("shown only if"),
    )
    # An option's key, or "yes"/"no": the answer to condition_question that shows this one.
    condition_value = models.CharField(_("has the answer"), max_length=50, blank=True)
    # The eligibility check: answers (option keys, or "yes"/"no") that rule an application out.
    disqualifying_values = models.JSONField(_("disqualifying answers"), default=list, blank=True)
    disqualification_reason_de = models.TextField(
        _("reason shown (German)"), blank=True, **HELP_TEXT
    )
    disqualification_reason_en = models.TextField(
        _("reason shown (English)"), blank=True, **HELP_TEXT
    )
    for_jurors = models.BooleanField(_("jurors see it"), default=True)
    identifying = models.BooleanField(
        _("identifies the applicants (hidden in blind review)"), default=False
    )
    in_ministry_appendix = models.BooleanField(_("in the ministry's appendix"), default=False)
    public_when_funded = models.BooleanField(_("public once funded"), default=False)
    in_staff_list = models.BooleanField(_("a column of the staff list"), default=False)
    # Removing a question hides it; its answers stay (nothing is hard-deleted).
    removed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["call", "purpose", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "key"],
                condition=models.Q(removed_at__isnull=True),
                name="question_unique_key_in_call",
            )
        ]
        indexes = [models.Index(fields=["call", "purpose", "position"])]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return self.localised("label")

    @property
    def help(self) -> str:
        return self.localised("help")

    @property
    def disqualification_reason(self) -> str:
        return self.localised("disqualification_reason")

    @property
    def field_name(self) -> str:
        """The name of its form field: apart from the core fields of the proposal."""
        return f"q_{self.key}"

    @property
    def is_text(self) -> bool:
        return self.kind in QuestionKindGroup.TEXTS

    def option_choices(self) -> list[tuple[str, str]]:
        """(value, label) of the answers one can pick, in the active language."""
        if self.kind == K.YES_NO:
            return [(YES, str(_("Yes"))), (NO, str(_("No")))]
        language = "en" if (get_language() or "de").startswith("en") else "de"
        return [(o["key"], o.get(language) or o.get("de") or o.get("en")) for o in self.options]

    def value_label(self, value: str) -> str:
        return dict(self.option_choices()).get(value, value)

    def disqualifies(self, values) -> bool:
        """Whether the given answer values ("yes"/"no" or option keys) rule the applicant
        out, in the eligibility check."""
        return bool(set(values) & set(self.disqualifying_values))

    def clean(self):
        errors: dict[str, list] = {}

        def add(field, message):
            errors.setdefault(field, []).append(message)

        if self.key in RESERVED_QUESTION_KEYS:
            add("key", _("This name belongs to a part of every proposal; choose another."))
        if self.kind in QuestionKindGroup.WITH_OPTIONS:
            self._clean_options(add)
        elif self.options:
            self.options = []
        if self.word_limit and self.kind not in QuestionKindGroup.TEXTS:
            self.word_limit = None
        if self.purpose == QuestionPurpose.ELIGIBILITY:
            self._clean_eligibility(add)
        else:
            self.disqualifying_values = []
        if self.kind == K.FILE and (self.in_ministry_appendix or self.public_when_funded):
            add(
                "kind",
                _("Files are never published or put into the ministry's appendix."),
            )
        if self.condition_question_id is not None:
            self._clean_condition(add)
        else:
            self.condition_value = ""
        if errors:
            raise ValidationError(errors)

    def _clean_options(self, add):
        options = self.options if isinstance(self.options, list) else []
        keys = [option.get("key") for option in options if isinstance(option, dict)]
        if len(options) < 2:
            add("options", _("Give at least two options."))
        if len(options) > QUESTION_OPTIONS_MAX:
            add("options", _("Give at most %(max)s options.") % {"max": QUESTION_OPTIONS_MAX})
        if len(set(keys)) != len(options) or not all(keys):
            add("options", _("Every option needs a name of its own."))
        for option in options:
            for language in ("de", "en"):
                text = option.get(language, "") if isinstance(option, dict) else ""
                if not isinstance(text, str) or not text.strip():
                    add("options", _("Every option needs a German and an English name."))
                    return
                if len(text) > QUESTION_OPTION_MAX_CHARS:
                    add(
                        "options",
                        _("An option has at most %(max)s characters.")
                        % {"max": QUESTION_OPTION_MAX_CHARS},
                    )
                    return

    def _clean_eligibility(self, add):
        if self.kind not in QuestionKindGroup.ELIGIBILITY:
            add("kind", _("The eligibility check asks yes-or-no or choice questions only."))
            return
        values = {value for value, _label in self.option_choices()}
        chosen = self.disqualifying_values if isinstance(self.disqualifying_values, list) else []
        if not chosen:
            add("disqualifying_values", _("Choose the answer that rules an application out."))
        elif not set(chosen) <= values:
            add("disqualifying_values", _("Choose among the answers of this question."))
        elif set(chosen) == values:
            add("disqualifying_values", _("At least one answer must allow an application."))
        if (
            not self.disqualification_reason_de.strip()
            or not self.disqualification_reason_en.strip()
        ):
            add(
                "disqualification_reason_en",
                _("Say in German and English why this answer rules an application out."),
            )

    def _clean_condition(self, add):
        other = self.condition_question
        if (
            other.call_id != self.call_id
            or other.purpose != self.purpose
            or other.removed_at is not None
            or other.pk == self.pk
        ):
            add("condition_question", _("Choose another question of this form."))
            return
        if other.kind not in QuestionKindGroup.CHOOSING:
            add("condition_question", _("Only a yes-or-no or choice question can show another."))
            return
        if self.pk is not None and other.position >= self.position:
            add("condition_question", _("The question it depends on must come before it."))
        if self.condition_value not in {value for value, _label in other.option_choices()}:
            add("condition_value", _("Choose one of that question's answers."))


class Answer(models.Model):
    """One application's answer to one question, in the column of the question's kind.
    Text is bounded like every text of a proposal and stored as typed (never as HTML):
    pages escape it."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    text = models.TextField(_("text"), blank=True, **SECTION_TEXT)
    number = models.DecimalField(
        _("number"), max_digits=15, decimal_places=2, null=True, blank=True
    )
    date = models.DateField(_("date"), null=True, blank=True)
    boolean = models.BooleanField(_("yes or no"), null=True, blank=True)
    choices = models.JSONField(_("chosen options"), default=list, blank=True)
    attachment = models.OneToOneField(
        Attachment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="answer",
        verbose_name=_("file"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "question"], name="answer_unique_per_question"
            )
        ]

    def __str__(self):
        return f"{self.application_id}/{self.question_id}"


# Where a kind keeps its value (the file kind: ``attachment``).
VALUE_COLUMN = {
    K.TEXT: "text",
    K.LONG_TEXT: "text",
    K.URL: "text",
    K.CHOICE: "choices",
    K.MULTIPLE_CHOICE: "choices",
    K.NUMBER: "number",
    K.AMOUNT: "number",
    K.DATE: "date",
    K.YES_NO: "boolean",
    K.FILE: "attachment",
}
EMPTY = {"text": "", "choices": [], "number": None, "date": None, "boolean": None}
# Bound of a number answer: what the column holds (13 digits before the point).
NUMBER_LIMIT = 10**12
