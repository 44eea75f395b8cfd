"""Writing the answers to a call's questions: as typed in a draft or in an answer to staff
(``write_answers``, called inside the draft's and the answer's services), files through the
one upload service (``store_answer_file``), and the eligibility check's answers when a draft
starts (``record_eligibility``). Values as grants.questions describes them."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import may
from core.errors import WorkflowError
from grants.models import Answer, Application, Attachment, Question
from grants.questions import YES, is_empty, tokens
from grants.services.attachments import store_upload
from grants.services.limits import field_errors
from grants.states import SHORT_TEXT_MAX_CHARS, QuestionKind, QuestionKindGroup, QuestionPurpose

K = QuestionKind
COLUMNS = ("text", "number", "date", "boolean", "choices")


def column_values(question: Question, value) -> dict:
    """The answer's columns for a value of the question's kind."""
    kind = question.kind
    if kind in (K.TEXT, K.LONG_TEXT, K.URL):
        return {"text": value or ""}
    if kind == K.CHOICE:
        return {"choices": [value] if value else []}
    if kind == K.MULTIPLE_CHOICE:
        return {"choices": list(value or [])}
    if kind == K.YES_NO:
        return {"boolean": None if not value else value == YES}
    if kind == K.NUMBER:
        return {"number": None if value is None else Decimal(value)}
    if kind == K.AMOUNT:
        return {"number": value}
    if kind == K.DATE:
        return {"date": value}
    raise ValueError(f"{kind} answers are files: store_answer_file")


def _value_errors(question, value, answer) -> list[str]:
    """Storage bounds: a text within its column, a short text within its line, options
    the question offers."""
    messages = [m for ms in field_errors(answer, COLUMNS).values() for m in ms]
    if question.kind in (K.TEXT, K.URL) and len(value or "") > SHORT_TEXT_MAX_CHARS:
        messages.append(_("Enter at most %(max)s characters.") % {"max": SHORT_TEXT_MAX_CHARS})
    if question.kind in QuestionKindGroup.CHOOSING and value:
        offered = {key for key, _label in question.option_choices()}
        if not tokens(value) <= offered:
            messages.append(_("Choose one of the options offered."))
    return messages


def write_answers(application: Application, answers: dict, *, questions: dict) -> None:
    """Store ``answers`` (question key → value) of ``application``; ``questions`` (key →
    Question) are those the caller lets this write (a draft: every question of the form;
    an answer to staff: the unlocked ones). A text over its column's length or an option not
    offered refuses the whole write, before anything is stored. One query to read and at
    most one each to add and to change, however many questions."""
    if not answers:
        return
    for key in answers:
        if key not in questions or questions[key].kind == K.FILE:
            raise WorkflowError(_("This section may not be changed."))
    existing = {
        answer.question_id: answer
        for answer in Answer.objects.filter(
            application=application, question__in=[questions[key].pk for key in answers]
        )
    }
    added, changed, errors = [], [], {}
    now = timezone.now()
    for key, value in answers.items():
        question = questions[key]
        columns = column_values(question, value)
        answer = existing.get(question.pk)
        if answer is None:
            if is_empty(value):
                continue
            answer = Answer(application=application, question=question, **columns)
            added.append(answer)
        elif any(getattr(answer, name) != new for name, new in columns.items()):
            for name, new in columns.items():
                setattr(answer, name, new)
            answer.updated_at = now
            changed.append(answer)
        else:
            continue
        if messages := _value_errors(question, value, answer):
            errors[key] = messages
    if errors:
        raise WorkflowError(_("Some entries are too long or not valid."), field_errors=errors)
    if added:
        Answer.objects.bulk_create(added)
    if changed:
        Answer.objects.bulk_update(changed, [*COLUMNS, "updated_at"])


def form_questions(call_id: int, purpose=QuestionPurpose.PROPOSAL) -> dict:
    """key → active question of the call, in one query."""
    return {
        q.key: q
        for q in Question.objects.filter(call=call_id, purpose=purpose, removed_at__isnull=True)
    }


def record_eligibility(application: Application, questions: list, answers: dict) -> None:
    """The eligibility check's answers, kept with the new draft (staff read them when
    screening)."""
    write_answers(
        application,
        {q.key: answers.get(q.key) for q in questions},
        questions={q.key: q for q in questions},
    )


def _file_question(application, question) -> None:
    if (
        question.call_id != application.call_id
        or question.kind != K.FILE
        or question.purpose != QuestionPurpose.PROPOSAL
        or question.removed_at is not None
    ):
        raise WorkflowError(_("This section may not be changed."))


def store_answer_file(
    *, application: Application, actor, question: Question, uploaded_file
) -> Attachment:
    """The file answering a question of a draft (it replaces the one given before, which is
    removed). Through the one upload service: checked by content, counted against the
    uploader's quota and hourly limit. It is not one of the draft's free attachments."""
    _file_question(application, question)

    def place():
        current = Application.objects.select_for_update().get(pk=application.pk)
        if not may(actor, "grants.edit_application", current):
            raise WorkflowError(_("Files can be added only to a draft you own."))
        return {"application": current}

    with transaction.atomic():
        attachment = store_upload(actor=actor, uploaded_file=uploaded_file, place=place)
        answer, _created = Answer.objects.select_for_update().get_or_create(
            application=application, question=question
        )
        replaced = answer.attachment_id
        answer.attachment = attachment
        answer.save(update_fields=["attachment", "updated_at"])
        if replaced:
            Attachment.objects.filter(pk=replaced).update(removed_at=timezone.now())
    return attachment


def remove_answer_file(*, application: Application, actor, question: Question) -> None:
    """Take the file off a draft's answer (the file is removed, as attachments are)."""
    _file_question(application, question)
    with transaction.atomic():
        current = Application.objects.select_for_update().get(pk=application.pk)
        if not may(actor, "grants.edit_application", current):
            raise WorkflowError(_("Files can be removed only from a draft you own."))
        answer = (
            Answer.objects.select_for_update()
            .filter(application=current, question=question, attachment__isnull=False)
            .first()
        )
        if answer is None:
            return
        Attachment.objects.filter(pk=answer.attachment_id).update(removed_at=timezone.now())
        answer.attachment = None
        answer.save(update_fields=["attachment", "updated_at"])
