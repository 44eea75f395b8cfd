"""Reading the questions of a call and the answers to them: which questions are shown (a
question may depend on another's answer), each answer's value, how it reads on a page and
in the log, and what keeps an answer from being submitted. Plain functions on questions
and answers already loaded (no queries), used by forms, completeness, pages and exports.

Values as forms and services pass them: text kinds and web addresses a string; a choice
the option's key ("" for none); several choices a list of keys; yes or no "yes"/"no"
("" for none); a whole number an int, an amount a Decimal, a date a date (None for none);
a file the Attachment (None for none)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.template.defaultfilters import date as format_date
from django.utils.translation import gettext as _

from core.formats import euro
from grants.states import QuestionKind, QuestionKindGroup, QuestionPurpose
from grants.wordcount import count_words

K = QuestionKind
YES, NO = "yes", "no"

# The narrative sections every new call starts with (grants.services.questions adds them;
# the migration that made them questions has its own frozen copy). Staff reword, reorder
# or remove them before the first submission.
DEFAULT_QUESTIONS = (
    {
        "key": "societal_challenge",
        "label_de": "Gesellschaftliche Herausforderung",
        "label_en": "Societal challenge",
        "help_de": "Welches gesellschaftliche Problem geht das Projekt an, und warum ist es "
        "wichtig?",
        "help_en": "Which problem of society does the project address, and why does it matter?",
        "word_limit": 175,
    },
    {
        "key": "technical_approach",
        "label_de": "Technischer Ansatz",
        "label_en": "Technical approach",
        "help_de": "Wie setzen Sie es um? Nennen Sie Technologien, Architektur und offene "
        "Standards.",
        "help_en": "How will you build it? Name technologies, architecture and open standards.",
        "word_limit": 175,
    },
    {
        "key": "prior_work",
        "label_de": "Vorarbeiten",
        "label_en": "Prior work",
        "help_de": "Was gibt es bereits: eigener Code, Recherchen oder frühere Versionen.",
        "help_en": "What exists already: your own code, research or earlier versions.",
        "word_limit": 100,
    },
    {
        "key": "similar_approaches",
        "label_de": "Ähnliche Ansätze",
        "label_en": "Similar approaches",
        "help_de": "Welche ähnlichen Projekte gibt es, und worin unterscheidet sich Ihres?",
        "help_en": "Which similar projects exist, and how does yours differ?",
        "word_limit": 60,
    },
    {
        "key": "target_group",
        "label_de": "Zielgruppe",
        "label_en": "Target group",
        "help_de": "Wer wird das Ergebnis nutzen, und wie erreichen Sie diese Menschen?",
        "help_en": "Who will use the result, and how will you reach them?",
        "word_limit": 100,
    },
    {
        "key": "team_experience",
        "label_de": "Erfahrung des Teams",
        "label_en": "Team experience",
        "help_de": "Warum sind Sie die Richtigen für dieses Vorhaben?",
        "help_en": "Why are you the right people to do this?",
        "word_limit": 100,
    },
)


def of_purpose(questions, purpose=QuestionPurpose.PROPOSAL) -> list:
    """The active questions of one purpose, in their order (``questions``: a call's
    questions, e.g. ``call.questions.all()`` prefetched)."""
    chosen = [q for q in questions if q.purpose == purpose and q.removed_at is None]
    return sorted(chosen, key=lambda q: (q.position, q.pk or 0))


def question_groups(questions) -> list[dict]:
    """The call page's two lists of questions (``questions``: the call's active ones): the
    eligibility check, then the proposal, each with its heading and help."""
    return [
        {
            "purpose": QuestionPurpose.ELIGIBILITY,
            "title": _("Eligibility check"),
            "help": _(
                "Asked before an applicant starts a draft: yes-or-no or choice questions, "
                "each with the answer that rules an application out and the reason shown."
            ),
            "add": _("Add an eligibility question"),
            "questions": of_purpose(questions, QuestionPurpose.ELIGIBILITY),
        },
        {
            "purpose": QuestionPurpose.PROPOSAL,
            "title": _("Questions of the proposal"),
            "help": _(
                "Asked in the proposal, after the title, summary, track, topic, milestones "
                "and team, which every proposal has."
            ),
            "add": _("Add a question to the proposal"),
            "questions": of_purpose(questions),
        },
    ]


def proposal_questions(call) -> list:
    return of_purpose(call.questions.all())


def eligibility_questions(call) -> list:
    return of_purpose(call.questions.all(), QuestionPurpose.ELIGIBILITY)


def eligibility_rules(questions) -> list[dict]:
    """What the eligibility check asks and which answers rule an application out, with the
    reason given: the call's page states it for everyone, whether or not the call is open."""
    return [
        {
            "question": question,
            "ruled_out_by": [
                question.value_label(value) for value in question.disqualifying_values
            ],
            "reason": question.disqualification_reason,
        }
        for question in questions
    ]


def answer_map(application) -> dict:
    """question id → Answer, from the application's (prefetched) answers."""
    return {answer.question_id: answer for answer in application.answers.all()}


def value_of(question, answer):
    """The answer's value for the question's kind (see the module's docstring)."""
    kind = question.kind
    if answer is None:
        return empty_value(kind)
    if kind in (K.TEXT, K.LONG_TEXT, K.URL):
        return answer.text
    if kind == K.CHOICE:
        return answer.choices[0] if answer.choices else ""
    if kind == K.MULTIPLE_CHOICE:
        return list(answer.choices or [])
    if kind == K.YES_NO:
        return "" if answer.boolean is None else (YES if answer.boolean else NO)
    if kind == K.NUMBER:
        return None if answer.number is None else int(answer.number)
    if kind == K.AMOUNT:
        return answer.number
    if kind == K.DATE:
        return answer.date
    return answer.attachment if answer.attachment_id and not _removed(answer.attachment) else None


def _removed(attachment) -> bool:
    return attachment.removed_at is not None


def empty_value(kind):
    if kind in (K.TEXT, K.LONG_TEXT, K.URL, K.CHOICE, K.YES_NO):
        return ""
    if kind == K.MULTIPLE_CHOICE:
        return []
    return None


def is_empty(value) -> bool:
    if isinstance(value, str):
        return not value.strip()
    return value is None or value == []


def values_of(questions, application) -> dict:
    """question id → value, for the given questions."""
    answers = answer_map(application)
    return {q.pk: value_of(q, answers.get(q.pk)) for q in questions}


def tokens(value) -> set:
    """What a condition or the eligibility check compares: the chosen keys, or yes/no."""
    if isinstance(value, list):
        return set(value)
    return {value} if isinstance(value, str) and value else set()


def shown(questions, values) -> list:
    """The questions shown for these answers: a question that depends on another is shown
    only if that one is shown and has the given answer (conditions point backwards, so one
    pass in order decides)."""
    visible = {}
    for question in questions:
        condition = question.condition_question_id
        visible[question.pk] = condition is None or (
            visible.get(condition, False)
            and question.condition_value in tokens(values.get(condition))
        )
    return [q for q in questions if visible[q.pk]]


def answer_errors(questions, values) -> dict[str, list[str]]:
    """Question key → what keeps the answers from being submitted: a required question
    shown and not answered, a text over its word limit, a web address that is none, an
    option that is not (or no longer) offered."""
    errors: dict[str, list[str]] = {}
    for question in shown(questions, values):
        value = values.get(question.pk)
        messages = value_errors(question, value)
        if question.required and is_empty(value):
            messages.insert(0, _("This field is required."))
        if messages:
            errors[question.key] = messages
    return errors


def value_errors(question, value) -> list[str]:
    messages = []
    if question.is_text and question.word_limit:
        words = count_words(value)
        if words > question.word_limit:
            messages.append(
                _("%(count)s words; at most %(limit)s are allowed.")
                % {"count": words, "limit": question.word_limit}
            )
    if question.kind == K.URL and value:
        try:
            URLValidator(schemes=["https", "http"])(value)
        except ValidationError:
            messages.append(_("Enter a full web address starting with https://."))
    if question.kind in QuestionKindGroup.CHOOSING and value:
        offered = {key for key, _label in question.option_choices()}
        if not tokens(value) <= offered:
            messages.append(_("Choose one of the options offered."))
    return messages


def display(question, value) -> str:
    """The answer as a page shows it, in the active language ("" for no answer)."""
    if is_empty(value):
        return ""
    kind = question.kind
    if kind in QuestionKindGroup.CHOOSING:
        return ", ".join(question.value_label(key) for key in sorted_tokens(question, value))
    if kind == K.AMOUNT:
        return euro(value)
    if kind == K.DATE:
        return format_date(value, "DATE_FORMAT")
    if kind == K.FILE:
        return value.original_name
    return str(value)


def sorted_tokens(question, value) -> list:
    """Chosen keys in the order the question offers them."""
    chosen = tokens(value)
    order = [key for key, _label in question.option_choices()]
    return [key for key in order if key in chosen] + sorted(chosen - set(order))


def json_value(question, value):
    """The answer as the log records it (JSON): text as typed, keys, ISO dates, amounts as
    strings, a file by its name."""
    if is_empty(value):
        return "" if not isinstance(value, list) else []
    if question.kind == K.FILE:
        return {"file": value.original_name}
    if question.kind == K.AMOUNT:
        return str(value)
    if question.kind == K.DATE:
        return value.isoformat()
    return value


def condition_text(question, by_id) -> str:
    """ "Only if “…” is answered “…”", for a question shown on a condition."""
    other = by_id.get(question.condition_question_id)
    if other is None:
        return ""
    return _("Answer this only if you answered “%(answer)s” to “%(question)s”.") % {
        "answer": other.value_label(question.condition_value),
        "question": other.label,
    }


def json_values(questions, application) -> dict:
    """Question key → the answer as the log records it, for the given questions."""
    values = values_of(questions, application)
    return {q.key: json_value(q, values[q.pk]) for q in questions}


def eligibility_outcome(questions, answers: dict) -> dict:
    """The eligibility check for ``answers`` (question key → "yes"/"no" or an option key):
    the questions not answered (or answered with something not offered) and those whose
    answer rules an application out; "passed" when there are neither."""
    missing, failed = [], []
    for question in questions:
        value = answers.get(question.key)
        offered = {key for key, _label in question.option_choices()}
        if is_empty(value) or not tokens(value) <= offered:
            missing.append(question)
        elif question.disqualifies(tokens(value)):
            failed.append(question)
    return {"missing": missing, "failed": failed, "passed": not missing and not failed}


def answer_rows(application, *, questions=None, jurors=False, blind=False) -> list[dict]:
    """The answers of an application as pages list them: the questions shown (for jurors:
    those jurors see; in blind review an identifying answer is marked hidden), each with
    its label, kind, value and text. One pass over prefetched questions and answers."""
    questions = proposal_questions(application.call) if questions is None else questions
    values = values_of(questions, application)
    rows = []
    for question in shown(questions, values):
        if jurors and not question.for_jurors:
            continue
        value = values[question.pk]
        rows.append(
            {
                "question": question,
                "key": question.key,
                "label": question.label,
                "kind": question.kind,
                "long": question.kind == K.LONG_TEXT,
                "hidden": blind and question.identifying,
                "value": value,
                "text": display(question, value),
                "link": value if question.kind == K.URL and _is_web(value) else "",
            }
        )
    return rows


def _is_web(value) -> bool:
    return isinstance(value, str) and value.lower().startswith(("https://", "http://"))


def eligibility_rows(application) -> list[dict]:
    """The eligibility check as the draft recorded it, for screening: each question, the
    answer given ("" if none) and whether it rules the application out."""
    questions = eligibility_questions(application.call)
    values = values_of(questions, application)
    return [
        {
            "label": q.label,
            "text": display(q, values[q.pk]),
            "disqualifying": q.disqualifies(tokens(values[q.pk])),
            "reason": q.disqualification_reason,
        }
        for q in questions
    ]


def json_display(question, value) -> str:
    """An answer as the log recorded it (json_value), as a page shows it."""
    if is_empty(value):
        return ""
    if question.kind == K.FILE:
        return value.get("file", "") if isinstance(value, dict) else str(value)
    if question.kind in QuestionKindGroup.CHOOSING:
        return display(question, value)
    if question.kind == K.AMOUNT:
        return euro(value)
    if question.kind == K.DATE:
        try:
            return format_date(dt.date.fromisoformat(value), "DATE_FORMAT")
        except (TypeError, ValueError):
            return str(value)
    return str(value)


def flagged_texts(questions: dict, answers, *, flag: str, consented: bool) -> list[tuple]:
    """From one application's ``answers`` to ``questions`` (id → question: those with
    ``flag`` set, such as "public_when_funded", and those they depend on), the (question,
    text) pairs of the flagged questions that apply and are answered. An answer that
    identifies people only if they ``consented`` to publication."""
    answers = list(answers)
    calls = {questions[answer.question_id].call_id for answer in answers}
    if not calls:
        return []
    by_question = {answer.question_id: answer for answer in answers}
    ordered = sorted(
        (q for q in questions.values() if q.call_id in calls), key=lambda q: (q.position, q.pk)
    )
    values = {q.pk: value_of(q, by_question.get(q.pk)) for q in ordered}
    return [
        (q, display(q, values[q.pk]))
        for q in shown(ordered, values)
        if getattr(q, flag) and not is_empty(values[q.pk]) and (consented or not q.identifying)
    ]
