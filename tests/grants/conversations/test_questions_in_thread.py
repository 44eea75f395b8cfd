"""The information request is one kind of message of the thread: asking it adds the question,
answering it adds the answer (their texts stay on the request, written once); questions
asked before threads existed were moved into them by the migration, at their moments."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from accounts.roles import Role
from grants.models import InformationRequest, Message
from grants.services.applications import answer_information_request
from grants.services.screening import request_information
from tests.factories import CallFactory, make_user
from tests.grants.inbox.world import _submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return make_user(Role.STAFF, full_name="Sam Staff")


@pytest.fixture
def application():
    return _submitted(CallFactory())


def thread_of(application):
    return list(
        Message.objects.filter(application=application)
        .order_by("created_at", "pk")
        .values_list("kind", "author_id", "from_staff", "body", "information_request_id")
    )


def test_asking_and_answering_write_the_thread(application, staff):
    question = request_information(
        application=application,
        actor=staff,
        question="Which city tests it first?",
        due_on=timezone.localdate() + dt.timedelta(days=7),
        editable_sections=["target_group"],
    )
    answer_information_request(
        application=application,
        actor=application.owner,
        answer="Ulm.",
        section_values={},
        answers={"target_group": "Ulm's data team."},
        expected_version=application.version,
    )

    assert thread_of(application) == [
        ("question", staff.pk, True, "", question.pk),
        ("answer", application.owner_id, False, "", question.pk),
    ]


def test_a_refused_question_writes_nothing(application, staff):
    with pytest.raises(Exception):  # noqa: B017 (the service's own refusal is tested elsewhere)
        request_information(
            application=application,
            actor=staff,
            question="",
            due_on=timezone.localdate() + dt.timedelta(days=7),
        )

    assert thread_of(application) == []


def test_the_migration_moves_earlier_questions_into_the_threads(application, staff):
    asked = timezone.now() - dt.timedelta(days=10)
    answered = timezone.now() - dt.timedelta(days=8)
    done = InformationRequest.objects.create(
        application=application,
        question="Old question",
        due_on=timezone.localdate(),
        asked_by=staff,
        answer="Old answer",
        answered_by=application.owner,
        answered_at=answered,
    )
    still_open = InformationRequest.objects.create(
        application=_submitted(CallFactory()),
        question="Open question",
        due_on=timezone.localdate(),
        asked_by=staff,
    )
    InformationRequest.objects.filter(pk__in=[done.pk, still_open.pk]).update(asked_at=asked)
    migration = importlib.import_module("grants.migrations.0009_conversations_and_inbox")

    migration.questions_into_threads(apps, None)

    assert list(
        Message.objects.order_by("created_at", "pk").values_list(
            "kind", "information_request_id", "author_id", "from_staff", "created_at"
        )
    ) == [
        ("question", done.pk, staff.pk, True, asked),
        ("question", still_open.pk, staff.pk, True, asked),
        ("answer", done.pk, application.owner_id, False, answered),
    ]
