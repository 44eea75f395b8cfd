"""The question service's rules that keep submitted answers meaningful: once a call has
submissions only an admin changes its questions, never a key or a kind; a conditional
question stays after the one it depends on and keeps it on the form; and answers copied to
another call's application (the second stage) only where key and kind match."""

import pytest

from core.errors import WorkflowError
from grants.models import Answer, Question
from grants.services.questions import (
    copy_answers,
    move_question,
    remove_question,
    save_question,
)
from tests.factories import ApplicationFactory, CallFactory, make_user
from tests.grants.staff.test_question_positions import positions, text_question
from tests.grants.staff.test_questions import submitted

pytestmark = pytest.mark.django_db

OPTIONS = [
    {"key": "association", "de": "Verein", "en": "Association"},
    {"key": "gmbh", "de": "GmbH", "en": "Company"},
]
KIND_FROZEN = (
    "Answers have been submitted to this question, so its key and kind cannot change. "
    "Add a new question instead."
)


def legal_form_and_register(call, staff):
    """ "Legal form" (position 7) and "Register", asked only of associations (8)."""
    legal_form = save_question(
        call=call,
        actor=staff,
        changes={**text_question("legal-form"), "kind": "choice", "options": OPTIONS}
        | {"label_en": "Legal form"},
    )
    register = save_question(
        call=call,
        actor=staff,
        changes=text_question("register")
        | {
            "label_en": "Register",
            "condition_question": legal_form,
            "condition_value": "association",
        },
    )
    return legal_form, register


@pytest.fixture
def admin():
    return make_user(is_superuser=True, is_staff=True)


def test_an_admin_adds_a_question_to_a_call_with_submissions(admin):
    call = CallFactory()
    submitted(call)

    added = save_question(
        call=call, actor=admin, changes=text_question("city"), reason="Asked by the ministry."
    )

    assert (added.key, added.position) == ("city", 7)


def test_nobody_changes_the_kind_of_a_question_with_submitted_answers(admin):
    call = CallFactory()
    submitted(call)
    question = Question.objects.get(call=call, key="prior_work")

    with pytest.raises(WorkflowError) as refused:
        save_question(
            call=call, actor=admin, question=question, changes={"kind": "text"}, reason="Shorter."
        )

    assert refused.value.message == KIND_FROZEN
    question.refresh_from_db()
    assert question.kind == "long_text"


def test_before_any_submission_staff_change_a_key_and_a_kind(staff):
    call = CallFactory()
    question = Question.objects.get(call=call, key="prior_work")

    changed = save_question(
        call=call, actor=staff, question=question, changes={"key": "earlier", "kind": "text"}
    )

    assert Question.objects.values_list("key", "kind").get(pk=changed.pk) == ("earlier", "text")


def test_a_conditional_question_cannot_move_above_the_one_it_depends_on(staff):
    call = CallFactory()
    legal_form, register = legal_form_and_register(call, staff)
    before = positions(call)
    message = "“Register” is shown only after an answer to “Legal form”, so it must stay after it."

    for question, direction in ((register, "up"), (legal_form, "down")):
        with pytest.raises(WorkflowError) as refused:
            move_question(question=question, actor=staff, direction=direction)
        assert refused.value.message == message
    assert positions(call) == before


def test_other_questions_move_past_a_conditional_pair(staff):
    call = CallFactory()
    legal_form_and_register(call, staff)

    move_question(
        question=Question.objects.get(call=call, key="team_experience"),
        actor=staff,
        direction="down",
    )

    assert positions(call)[-3:] == [("legal-form", 6), ("team_experience", 7), ("register", 8)]


def test_the_question_another_depends_on_stays_until_that_one_is_removed(staff):
    call = CallFactory()
    legal_form, register = legal_form_and_register(call, staff)

    with pytest.raises(WorkflowError) as refused:
        remove_question(question=legal_form, actor=staff)
    assert refused.value.message == (
        "First remove or change the questions shown only after an answer to this one: “Register”."
    )
    legal_form.refresh_from_db()
    assert legal_form.removed_at is None

    remove_question(question=register, actor=staff)
    removed = remove_question(question=legal_form, actor=staff)
    assert removed.removed_at is not None


def test_answers_are_copied_where_key_and_kind_match(staff):
    first, second = CallFactory(), CallFactory()
    for call, kind in ((first, "text"), (second, "long_text")):
        save_question(call=call, actor=staff, changes=text_question("note") | {"kind": kind})
        save_question(call=call, actor=staff, changes=text_question("city"))
    save_question(
        call=first,
        actor=staff,
        changes=text_question("legal-form")
        | {"kind": "choice", "options": [*OPTIONS, {"key": "ev", "de": "e. V.", "en": "eV"}]},
    )
    save_question(
        call=second,
        actor=staff,
        changes=text_question("legal-form") | {"kind": "choice", "options": OPTIONS},
    )
    source = ApplicationFactory(call=first)
    asked = {q.key: q for q in Question.objects.filter(call=first)}
    # In this order (by pk): the note is skipped (another kind), the next ones still copied.
    Answer.objects.create(application=source, question=asked["note"], text="A note.")
    Answer.objects.create(application=source, question=asked["city"], text="Ulm")
    Answer.objects.create(
        application=source, question=asked["legal-form"], choices=["association", "ev"]
    )
    target = ApplicationFactory(call=second)  # already answers the default questions
    own = dict(target.answers.values_list("question__key", "text"))

    copy_answers(source=source, target=target)

    answers = {a.question.key: a for a in target.answers.select_related("question")}
    assert "note" not in answers
    assert answers["city"].text == "Ulm"
    assert answers["legal-form"].choices == ["association"]  # only what the target offers
    assert {key: answers[key].text for key in own} == own  # its own answers stay
