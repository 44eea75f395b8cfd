"""The question model's own checks, behind the staff form and the service: options with
a name of their own in both languages and within their bounds, a word limit only for text,
files never published, and a condition only on an earlier choosing question of the same
form. The form catches much of this first; the model is what holds for every way in."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from grants.models import Question
from grants.states import QUESTION_OPTION_MAX_CHARS, QUESTION_OPTIONS_MAX
from tests.factories import CallFactory

pytestmark = pytest.mark.django_db

TWO_OPTIONS = [
    {"key": "association", "de": "Verein", "en": "Association"},
    {"key": "company", "de": "GmbH", "en": "Company"},
]


def question(call, **fields):
    defaults = {
        "call": call,
        "purpose": "proposal",
        "key": "legal-form",
        "kind": "text",
        "label_de": "Rechtsform",
        "label_en": "Legal form",
        "position": 10,
    }
    return Question(**(defaults | fields))


def errors_of(item) -> dict:
    try:
        item.clean()
    except ValidationError as refused:
        return {
            field: [str(m) for m in messages] for field, messages in refused.message_dict.items()
        }
    return {}


@pytest.fixture
def call():
    return CallFactory()


def test_an_option_named_in_one_language_only_reads_in_that_language(call):
    choice = question(call, kind="choice", options=[{"key": "a", "en": "Only English"}])
    with translation.override("de"):
        assert choice.option_choices() == [("a", "Only English")]


def test_a_word_limit_stays_on_a_text_question_and_goes_from_a_choice_question(call):
    text = question(call, kind="text", word_limit=300)
    choice = question(call, kind="choice", options=TWO_OPTIONS, word_limit=300)

    assert (errors_of(text), errors_of(choice)) == ({}, {})
    assert (text.word_limit, choice.word_limit) == (300, None)


@pytest.mark.parametrize(
    ("kind", "appendix", "public", "refused"),
    [
        ("file", True, False, True),
        ("file", False, True, True),
        ("file", True, True, True),
        ("file", False, False, False),
        ("text", True, True, False),
    ],
)
def test_files_are_never_published_or_in_the_ministrys_appendix(
    call, kind, appendix, public, refused
):
    item = question(call, kind=kind, in_ministry_appendix=appendix, public_when_funded=public)
    expected = {"kind": ["Files are never published or put into the ministry's appendix."]}
    assert errors_of(item) == (expected if refused else {})


def options(count, length=10):
    return [{"key": f"o{n}", "de": "d" * length, "en": "e" * length} for n in range(1, count + 1)]


@pytest.mark.parametrize(
    ("choices", "messages"),
    [
        (options(QUESTION_OPTIONS_MAX), []),
        (options(QUESTION_OPTIONS_MAX + 1), ["Give at most 20 options."]),
        (options(2, length=QUESTION_OPTION_MAX_CHARS), []),
        (
            options(2, length=QUESTION_OPTION_MAX_CHARS + 1),
            ["An option has at most 200 characters."],
        ),
        (
            [TWO_OPTIONS[0], {**TWO_OPTIONS[1], "key": "association"}],
            ["Every option needs a name of its own."],
        ),
        (
            [TWO_OPTIONS[0], {**TWO_OPTIONS[1], "key": ""}],
            ["Every option needs a name of its own."],
        ),
        (
            [TWO_OPTIONS[0], {"key": "company", "de": "GmbH"}],
            ["Every option needs a German and an English name."],
        ),
        (
            [TWO_OPTIONS[0], {"key": "company", "de": "GmbH", "en": "   "}],
            ["Every option needs a German and an English name."],
        ),
    ],
)
def test_options_have_names_of_their_own_in_both_languages_within_their_bounds(
    call, choices, messages
):
    item = question(call, kind="choice", options=choices)
    assert errors_of(item).get("options", []) == messages


def saved(call, **fields):
    item = question(call, **fields)
    item.save()
    return item


CHOOSE_ANOTHER = {"condition_question": ["Choose another question of this form."]}


@pytest.mark.parametrize(
    ("other_fields", "expected"),
    [
        ({}, {}),
        ({"purpose": "eligibility"}, CHOOSE_ANOTHER),
        ({"removed_at": timezone.now()}, CHOOSE_ANOTHER),
    ],
)
def test_a_condition_is_on_a_question_of_the_same_form(call, other_fields, expected):
    other = saved(call, key="type", kind="yes_no", position=3, **other_fields)
    dependant = question(call, key="register", condition_question=other, condition_value="yes")
    assert errors_of(dependant) == expected


def test_a_question_cannot_depend_on_itself(call):
    item = saved(call, key="register", kind="yes_no", position=3)
    item.condition_question, item.condition_value = item, "yes"
    assert errors_of(item) == CHOOSE_ANOTHER


@pytest.mark.parametrize(
    ("own_position", "saved_already", "expected"),
    [
        (4, True, {}),
        (3, True, {"condition_question": ["The question it depends on must come before it."]}),
        (2, True, {"condition_question": ["The question it depends on must come before it."]}),
        # A new question is placed last when saved, so it always comes after.
        (0, False, {}),
    ],
)
def test_a_condition_is_on_an_earlier_question(call, own_position, saved_already, expected):
    other = saved(call, key="type", kind="yes_no", position=3)
    dependant = question(call, key="register", position=own_position)
    if saved_already:
        dependant.save()
    dependant.condition_question, dependant.condition_value = other, "yes"
    assert errors_of(dependant) == expected


# The eligibility check: a yes-or-no or choice question, some (never all) of whose answers
# rule an application out, with the reason in both languages.

REASONS = {
    "disqualification_reason_de": "Nur gemeinnützige Träger.",
    "disqualification_reason_en": "Non-profits only.",
}
NEED_A_RULING_ANSWER = "Choose the answer that rules an application out."
ONLY_ITS_ANSWERS = "Choose among the answers of this question."
ONE_ANSWER_ALLOWS = "At least one answer must allow an application."
BOTH_REASONS = "Say in German and English why this answer rules an application out."


def eligibility(call, **fields):
    return question(call, purpose="eligibility", **(REASONS | fields))


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"kind": "yes_no", "disqualifying_values": ["no"]}, {}),
        ({"kind": "choice", "options": TWO_OPTIONS, "disqualifying_values": ["company"]}, {}),
        (
            {"kind": "text", "disqualifying_values": ["no"]},
            {"kind": ["The eligibility check asks yes-or-no or choice questions only."]},
        ),
        (
            {"kind": "multiple_choice", "options": TWO_OPTIONS, "disqualifying_values": ["a"]},
            {"kind": ["The eligibility check asks yes-or-no or choice questions only."]},
        ),
        (
            {"kind": "yes_no", "disqualifying_values": []},
            {"disqualifying_values": [NEED_A_RULING_ANSWER]},
        ),
        # Anything but a list (a hand-made row, the admin) counts as no answer chosen.
        (
            {"kind": "yes_no", "disqualifying_values": "no"},
            {"disqualifying_values": [NEED_A_RULING_ANSWER]},
        ),
        (
            {"kind": "yes_no", "disqualifying_values": ["maybe"]},
            {"disqualifying_values": [ONLY_ITS_ANSWERS]},
        ),
        (
            {"kind": "yes_no", "disqualifying_values": ["no", "maybe"]},
            {"disqualifying_values": [ONLY_ITS_ANSWERS]},
        ),
        (
            {"kind": "yes_no", "disqualifying_values": ["no", "yes"]},
            {"disqualifying_values": [ONE_ANSWER_ALLOWS]},
        ),
        (
            {
                "kind": "choice",
                "options": TWO_OPTIONS,
                "disqualifying_values": ["association", "company"],
            },
            {"disqualifying_values": [ONE_ANSWER_ALLOWS]},
        ),
        (
            {"kind": "yes_no", "disqualifying_values": ["no"], "disqualification_reason_de": " "},
            {"disqualification_reason_en": [BOTH_REASONS]},
        ),
        (
            {"kind": "yes_no", "disqualifying_values": ["no"], "disqualification_reason_en": ""},
            {"disqualification_reason_en": [BOTH_REASONS]},
        ),
    ],
)
def test_an_eligibility_question_rules_out_some_answers_never_all_and_says_why(
    call, fields, expected
):
    with translation.override("en"):
        assert errors_of(eligibility(call, **fields)) == expected


def test_a_question_outside_the_eligibility_check_rules_nothing_out(call):
    item = question(call, kind="yes_no", disqualifying_values=["no"])

    assert errors_of(item) == {}
    assert item.disqualifying_values == []
