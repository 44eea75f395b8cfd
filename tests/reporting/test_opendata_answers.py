"""The answers a call publishes once funded (Question.public_when_funded) in the 360Giving
description: in the call's order, in English, only where they apply, never an identifying
answer without the grantee's consent, never a removed question, never from an unfunded
proposal or a private question."""

import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from grants.models import Answer, Question


def ask(call, key, position, *, public=True, identifying=False, kind="long_text", **fields):
    return Question.objects.create(
        call=call,
        key=key,
        kind=kind,
        label_de=f"Frage {key}",
        label_en=f"Question {key}",
        position=100 + position,
        public_when_funded=public,
        identifying=identifying,
        **fields,
    )


def answer(application, question, text="", **fields):
    return Answer.objects.create(application=application, question=question, text=text, **fields)


def descriptions(world, tmp_path) -> dict:
    target = tmp_path / "grants.json"
    call_command("export_360giving", "--output", str(target), stdout=io.StringIO())
    grants = json.loads(target.read_text())["grants"]
    return {grant["id"].removeprefix("360G-CTF-"): grant["description"] for grant in grants}


@pytest.fixture
def asked(world):
    """Public, private, identifying, conditional and removed questions in both calls, each
    answered by a funded project (with and without consent) and by an unfunded one."""
    a1, a3, a6 = world.applications[0], world.applications[2], world.applications[5]
    questions = {}
    for call in (a1.call, a6.call):
        questions[call.pk] = {
            "impact": ask(call, "impact", 2),
            "team": ask(call, "team", 1, identifying=True),
            "budget": ask(call, "budget", 3, public=False),
            "partner": ask(call, "partner", 5, kind="yes_no", public=False),
            "which": ask(call, "which", 6),
            "old": ask(call, "old", 7, removed_at=timezone.now()),
        }
        which = questions[call.pk]["which"]
        which.condition_question, which.condition_value = questions[call.pk]["partner"], "yes"
        which.save()
    for application, partner in ((a1, True), (a6, False), (a3, True)):
        mine = questions[application.call_id]
        answer(application, mine["impact"], f"Timetables for everyone ({application.title})")
        answer(application, mine["team"], f"Led by the owner of {application.title}")
        answer(application, mine["budget"], "Salaries: 40,000")
        answer(application, mine["partner"], boolean=partner)
        answer(application, mine["which"], "The city of Kassel")
        answer(application, mine["old"], "A question no longer asked")
    return questions


def test_a_consenting_grantee_publishes_every_public_answer_that_applies(world, asked, tmp_path):
    g1 = world.grants[0]
    a1 = g1.application

    assert descriptions(world, tmp_path)[g1.funding_reference] == (
        f"{a1.summary}\n\n"
        f"Question team: Led by the owner of {a1.title}\n\n"
        f"Question impact: Timetables for everyone ({a1.title})\n\n"
        "Question which: The city of Kassel"
    )


def test_without_consent_the_identifying_answer_stays_out(world, asked, tmp_path):
    g3 = world.grants[2]
    a6 = g3.application
    assert g3.publication_consent is False

    # The conditional answer does not apply either: its partner question was answered "no".
    assert descriptions(world, tmp_path)[g3.funding_reference] == (
        f"{a6.summary}\n\nQuestion impact: Timetables for everyone ({a6.title})"
    )


def test_nothing_of_an_unfunded_proposal_or_a_private_question_is_published(world, asked, tmp_path):
    text = "\n".join(descriptions(world, tmp_path).values())
    unfunded = world.applications[2]

    assert unfunded.title not in text
    assert "Salaries" not in text
    assert "no longer asked" not in text
    assert "Frage" not in text  # open data speaks English


def test_a_grant_without_public_questions_keeps_its_summary_alone(world, tmp_path):
    g2 = world.grants[1]

    assert descriptions(world, tmp_path)[g2.funding_reference] == g2.application.summary
