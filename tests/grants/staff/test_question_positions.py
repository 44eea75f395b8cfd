"""Where the question service puts questions: the defaults in positions 1 to 6, a new one
after the last of its purpose (1 for the first), at most QUESTIONS_PER_CALL_MAX active
questions a call, and moves that stop at either end."""

import pytest

from core.errors import WorkflowError
from grants.models import Question
from grants.services.questions import move_question, remove_question, save_question
from grants.states import QUESTIONS_PER_CALL_MAX
from tests.factories import CallFactory
from tests.grants.test_questions_migration import SECTIONS
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db

DEFAULT_KEYS = list(SECTIONS)  # the narrative sections, in their order


def text_question(key):
    return {
        "purpose": "proposal",
        "key": key,
        "kind": "text",
        "label_de": f"Frage {key}",
        "label_en": f"Question {key}",
    }


def positions(call):
    return list(
        Question.objects.filter(call=call, removed_at__isnull=True)
        .order_by("position")
        .values_list("key", "position")
    )


def test_the_default_questions_take_positions_1_to_6():
    call = CallFactory()

    assert positions(call) == [(key, number) for number, key in enumerate(DEFAULT_KEYS, 1)]


def test_the_first_question_of_a_call_takes_position_1_and_the_next_2(staff):
    call = CallFactory(default_questions=False)

    first = save_question(call=call, actor=staff, changes=text_question("city"))
    second = save_question(call=call, actor=staff, changes=text_question("budget-note"))

    assert (first.position, second.position) == (1, 2)


def test_a_question_added_after_removed_ones_follows_the_last_still_asked(staff):
    call = CallFactory()
    last = Question.objects.get(call=call, key="team_experience")
    remove_question(question=last, actor=staff)

    added = save_question(call=call, actor=staff, changes=text_question("city"))

    assert added.position == 6


def test_a_call_asks_at_most_60_questions_removed_ones_not_counted(staff):
    call = CallFactory()
    remove_question(question=Question.objects.get(call=call, key="prior_work"), actor=staff)
    for number in range(QUESTIONS_PER_CALL_MAX - 6):  # 5 defaults asked + 54 = 59
        save_question(call=call, actor=staff, changes=text_question(f"q{number}"))

    sixtieth = save_question(call=call, actor=staff, changes=text_question("sixtieth"))
    logged = TransitionLog.objects.count()
    with pytest.raises(WorkflowError) as refused:
        save_question(call=call, actor=staff, changes=text_question("one-more"))

    assert sixtieth.position == 61  # after the removed one, positions keep their gap
    assert refused.value.message == "A call has at most 60 questions."
    assert Question.objects.filter(call=call, removed_at__isnull=True).count() == 60
    assert not Question.objects.filter(key="one-more").exists()
    assert TransitionLog.objects.count() == logged


@pytest.mark.parametrize(
    ("key", "direction", "order"),
    [
        ("societal_challenge", "down", [1, 0, 2, 3, 4, 5]),
        ("technical_approach", "up", [1, 0, 2, 3, 4, 5]),
        ("target_group", "down", [0, 1, 2, 3, 5, 4]),
        ("team_experience", "up", [0, 1, 2, 3, 5, 4]),
    ],
)
def test_a_move_swaps_with_the_neighbour_and_renumbers_from_1(staff, key, direction, order):
    call = CallFactory()

    moved = move_question(
        question=Question.objects.get(call=call, key=key), actor=staff, direction=direction
    )

    assert positions(call) == [(DEFAULT_KEYS[i], number) for number, i in enumerate(order, 1)]
    assert moved.key == key
    entry = TransitionLog.objects.get(action="grants.call.questions_changed")
    assert (entry.data["change"], entry.data["question"]) == (f"moved {direction}", key)


@pytest.mark.parametrize(
    ("key", "direction"), [("societal_challenge", "up"), ("team_experience", "down")]
)
def test_a_move_past_either_end_is_refused_and_changes_nothing(staff, key, direction):
    call = CallFactory()

    with pytest.raises(WorkflowError) as refused:
        move_question(
            question=Question.objects.get(call=call, key=key), actor=staff, direction=direction
        )

    assert refused.value.message == "This question is already at that end."
    assert positions(call) == [(key, number) for number, key in enumerate(DEFAULT_KEYS, 1)]
    assert not TransitionLog.objects.filter(action="grants.call.questions_changed").exists()


def test_a_removed_question_cannot_move(staff):
    call = CallFactory()
    question = remove_question(
        question=Question.objects.get(call=call, key="prior_work"), actor=staff
    )

    with pytest.raises(WorkflowError) as refused:
        move_question(question=question, actor=staff, direction="up")

    assert refused.value.message == "This question has been removed."
