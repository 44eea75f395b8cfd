"""The questions and answers staff put on a call's public page, in German and English, in
their order. Plain text: pages escape it (no HTML is ever rendered)."""

from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from grants.models.calls import Call
from grants.models.funds import BilingualMixin
from grants.states import FAQ_ANSWER_MAX_CHARS, FAQ_QUESTION_MAX_CHARS

ANSWER = {
    "max_length": FAQ_ANSWER_MAX_CHARS,
    "validators": [MaxLengthValidator(FAQ_ANSWER_MAX_CHARS)],
}


class FaqEntry(BilingualMixin, models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="faq_entries")
    position = models.PositiveSmallIntegerField(_("position"))
    question_de = models.CharField(_("question (German)"), max_length=FAQ_QUESTION_MAX_CHARS)
    question_en = models.CharField(_("question (English)"), max_length=FAQ_QUESTION_MAX_CHARS)
    answer_de = models.TextField(_("answer (German)"), **ANSWER)
    answer_en = models.TextField(_("answer (English)"), **ANSWER)

    class Meta:
        verbose_name = _("question and answer")
        verbose_name_plural = _("questions and answers")
        ordering = ["call", "position", "pk"]

    def __str__(self):
        return self.question

    @property
    def question(self) -> str:
        return self.localised("question")

    @property
    def answer(self) -> str:
        return self.localised("answer")
