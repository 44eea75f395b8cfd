"""Staff build the questions of a call: add, change, move and remove them, until the first
application is submitted. Then they are frozen like the call's other rules: only an admin
may change them, with a reason that goes into the call's log (and never a question's key or
kind, nor an option that answers may have chosen, which submitted answers depend on)."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import WorkflowError
from grants import events
from grants.models import Answer, Call, Question
from grants.questions import DEFAULT_QUESTIONS, of_purpose
from grants.services.frozen import lock_call_for_change, log_form_change
from grants.states import QUESTIONS_PER_CALL_MAX, QuestionKind, QuestionPurpose

# What staff set on a question (grants.forms.questions.QuestionForm gives these).
QUESTION_FIELDS = (
    "key",
    "kind",
    "label_de",
    "label_en",
    "help_de",
    "help_en",
    "required",
    "word_limit",
    "options",
    "condition_question",
    "condition_value",
    "disqualifying_values",
    "disqualification_reason_de",
    "disqualification_reason_en",
    "for_jurors",
    "identifying",
    "in_ministry_appendix",
    "public_when_funded",
    "in_staff_list",
)
FROZEN_FIELDS = ("key", "kind")


def add_default_questions(call: Call) -> list[Question]:
    """The narrative sections every new call starts with, as long-text questions."""
    return Question.objects.bulk_create(
        Question(
            call=call,
            purpose=QuestionPurpose.PROPOSAL,
            kind=QuestionKind.LONG_TEXT,
            position=position,
            **definition,
        )
        for position, definition in enumerate(DEFAULT_QUESTIONS, start=1)
    )


def _locked_call(call: Call, actor, reason: str) -> tuple[Call, bool]:
    return lock_call_for_change(
        call,
        actor,
        reason,
        frozen_message=_(
            "Applications have already been submitted to this call, so its questions "
            "can no longer be changed. Ask an administrator."
        ),
        reason_message=_(
            "Give a reason for changing the questions of a call that has submissions."
        ),
    )


def _log(call, actor, *, change: str, question: Question, reason: str, fields=None):
    log_form_change(
        call,
        actor,
        action=events.CALL_QUESTIONS_CHANGED,
        part="question",
        key=question.key,
        change=change,
        reason=reason,
        fields=fields,
    )


def _json(value):
    if isinstance(value, Question):
        return value.key
    return value


def save_question(
    *, call: Call, actor, changes: dict, question: Question | None = None, reason: str = ""
) -> Question:
    """Add a question to ``call`` (``question`` None; ``changes`` has its purpose) or change
    one. Checked by the model (options, the condition, the eligibility answers)."""
    unknown = set(changes) - set(QUESTION_FIELDS) - {"purpose"}
    if unknown:
        raise ValueError(f"not question fields: {sorted(unknown)}")
    with transaction.atomic():
        current_call, frozen = _locked_call(call, actor, reason)
        if question is None:
            question = Question(call=current_call, purpose=changes.get("purpose"))
            before = {}
            active = current_call.questions.filter(removed_at__isnull=True)
            if active.count() >= QUESTIONS_PER_CALL_MAX:
                raise WorkflowError(
                    _("A call has at most %(max)s questions.") % {"max": QUESTIONS_PER_CALL_MAX}
                )
            last = active.filter(purpose=question.purpose).aggregate(last=Max("position"))
            question.position = (last["last"] or 0) + 1
        else:
            question = Question.objects.select_for_update().get(
                pk=question.pk, call=current_call, removed_at__isnull=True
            )
            before = {name: _json(getattr(question, name)) for name in QUESTION_FIELDS}
        for name, value in changes.items():
            if name != "purpose":
                setattr(question, name, value)
        if before and frozen:
            _check_frozen(question, before)
        question.full_clean()
        question.save()
        changed = {
            name: {"from": before[name], "to": _json(getattr(question, name))}
            for name in before
            if before[name] != _json(getattr(question, name))
        }
        if not before:
            _log(current_call, actor, change="added", question=question, reason=reason)
        elif changed:
            _log(
                current_call,
                actor,
                change="changed",
                question=question,
                reason=reason,
                fields=changed,
            )
    return question


def _check_frozen(question, before):
    """What submitted answers depend on cannot change: the key, the kind, the options."""
    for name in FROZEN_FIELDS:
        if before[name] != getattr(question, name):
            raise WorkflowError(
                _(
                    "Answers have been submitted to this question, so its key and kind "
                    "cannot change. Add a new question instead."
                )
            )
    kept = {option["key"] for option in question.options}
    if not {option["key"] for option in before["options"]} <= kept:
        raise WorkflowError(
            _(
                "Answers have been submitted to this question, so its options can be "
                "renamed or added to, but not removed."
            )
        )


def move_question(*, question: Question, actor, direction: str, reason: str = "") -> Question:
    """Move a question one place up or down among its call's questions of the same purpose.
    A question stays after the one it depends on."""
    if direction not in ("up", "down"):
        raise ValueError(direction)
    with transaction.atomic():
        call, _frozen = _locked_call(question.call, actor, reason)
        siblings = of_purpose(call.questions.all(), question.purpose)
        index = next((i for i, q in enumerate(siblings) if q.pk == question.pk), None)
        if index is None:
            raise WorkflowError(_("This question has been removed."))
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(siblings):
            raise WorkflowError(_("This question is already at that end."))
        siblings[index], siblings[other] = siblings[other], siblings[index]
        places = {q.pk: position for position, q in enumerate(siblings, start=1)}
        for item in siblings:
            if item.condition_question_id and not (
                places[item.condition_question_id] < places[item.pk]
            ):
                raise WorkflowError(
                    _(
                        "“%(question)s” is shown only after an answer to “%(other)s”, so it "
                        "must stay after it."
                    )
                    % {"question": item.label, "other": item.condition_question.label}
                )
        for item in siblings:
            item.position = places[item.pk]
        Question.objects.bulk_update(siblings, ["position"])
        moved = next(q for q in siblings if q.pk == question.pk)
        _log(call, actor, change=f"moved {direction}", question=moved, reason=reason)
    return moved


def remove_question(*, question: Question, actor, reason: str = "") -> Question:
    """Take a question off the form. Its answers stay (nothing is hard-deleted); they are no
    longer shown or checked."""
    with transaction.atomic():
        call, _frozen = _locked_call(question.call, actor, reason)
        current = Question.objects.select_for_update().get(
            pk=question.pk, call=call, removed_at__isnull=True
        )
        dependants = list(current.dependants.filter(removed_at__isnull=True))
        if dependants:
            raise WorkflowError(
                _(
                    "First remove or change the questions shown only after an answer to this "
                    "one: %(questions)s."
                )
                % {"questions": ", ".join(f"“{q.label}”" for q in dependants)}
            )
        current.removed_at = timezone.now()
        current.save(update_fields=["removed_at"])
        _log(call, actor, change="removed", question=current, reason=reason)
    return current


def answered_count(question: Question) -> int:
    """Applications (drafts included) that answered the question, for the confirmation."""
    return Answer.objects.filter(question=question).values("application").distinct().count()


def copy_answers(*, source, target) -> int:
    """Copy the answers of application ``source`` to ``target`` (of another call, e.g. the
    second stage) where a question of the target has the same key and kind; a choice keeps
    only options the target offers. Files are not copied. Returns how many were copied."""
    target_questions = {
        q.key: q
        for q in Question.objects.filter(call=target.call_id, removed_at__isnull=True)
        if q.kind != QuestionKind.FILE
    }
    copied = []
    for answer in Answer.objects.filter(
        application=source, question__key__in=list(target_questions)
    ).select_related("question"):
        question = target_questions[answer.question.key]
        if answer.question.kind != question.kind or answer.question.purpose != question.purpose:
            continue
        offered = {key for key, _label in question.option_choices()}
        copied.append(
            Answer(
                application=target,
                question=question,
                text=answer.text,
                number=answer.number,
                date=answer.date,
                boolean=answer.boolean,
                choices=[key for key in answer.choices if key in offered],
            )
        )
    Answer.objects.bulk_create(copied, ignore_conflicts=True)
    return len(copied)
