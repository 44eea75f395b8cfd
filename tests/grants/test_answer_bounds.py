"""The answer service's own bounds, whatever form calls it: a short text of at most 500
characters, and only options the question offers (any number of them, all included). A
refused write stores nothing."""

import pytest

from core.errors import WorkflowError
from grants.models import Answer, Question
from grants.services.answers import write_answers
from tests.factories import ApplicationFactory, CallFactory

pytestmark = pytest.mark.django_db
OPTIONS = [
    {"key": "data", "de": "Daten", "en": "Data"},
    {"key": "security", "de": "Sicherheit", "en": "Security"},
]


@pytest.fixture
def asked():
    call = CallFactory()
    questions = {
        "motto": Question.objects.create(
            call=call, key="motto", kind="text", label_de="Motto", label_en="Motto", position=8
        ),
        "areas": Question.objects.create(
            call=call,
            key="areas",
            kind="multiple_choice",
            label_de="Bereiche",
            label_en="Areas",
            position=9,
            options=OPTIONS,
        ),
    }
    return ApplicationFactory(call=call), questions


def stored(application):
    answers = Answer.objects.filter(application=application, question__key__in=["motto", "areas"])
    return {answer.question.key: (answer.text, answer.choices) for answer in answers}


def test_a_short_text_of_500_characters_and_every_option_offered_are_kept(asked):
    application, questions = asked

    write_answers(
        application, {"motto": "m" * 500, "areas": ["data", "security"]}, questions=questions
    )

    assert stored(application) == {"motto": ("m" * 500, []), "areas": ("", ["data", "security"])}


@pytest.mark.parametrize(
    ("answers", "key", "message"),
    [
        ({"motto": "m" * 501}, "motto", "Enter at most 500 characters."),
        ({"areas": ["data", "lottery"]}, "areas", "Choose one of the options offered."),
    ],
)
def test_a_longer_text_or_an_option_not_offered_stores_nothing(asked, answers, key, message):
    application, questions = asked

    with pytest.raises(WorkflowError) as refused:
        write_answers(application, {"motto": "Kept?", **answers}, questions=questions)

    assert refused.value.field_errors == {key: [message]}
    assert stored(application) == {}
