"""notify(): any recipient (a user or an address), any template and context; queued only
if the transaction commits (inside it, with the database queue of production), with JSON
arguments for the task queue."""

import datetime as dt
import json

import pytest
from django.core import mail
from django.db import transaction

from accounts.roles import Role
from grants.models import Application
from tests.factories import ApplicationFactory, make_user
from workflow import notifications
from workflow.notifications import muted, notify, pack

pytestmark = pytest.mark.django_db


def test_a_user_gets_the_mail_in_their_language(django_capture_on_commit_callbacks):
    owner = make_user(Role.APPLICANT, language="de", full_name="Lena Schmidt")
    application = ApplicationFactory(owner=owner)

    with django_capture_on_commit_callbacks(execute=True):
        notify(to=owner, template="application_submitted", context={"application": application})

    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([owner.email], f"[Civic Tech Fund] Antrag {application.reference} eingegangen")
    ]
    assert mail.outbox[0].body.startswith("Guten Tag Lena Schmidt,\n")
    assert "Ihr Team vom Civic Tech Fund" in mail.outbox[0].body


def test_a_person_without_a_name_is_greeted_without_the_address(
    django_capture_on_commit_callbacks,
):
    owner = make_user(Role.APPLICANT, language="en", full_name="")
    application = ApplicationFactory(owner=owner)

    with django_capture_on_commit_callbacks(execute=True):
        notify(to=owner, template="application_submitted", context={"application": application})

    assert mail.outbox[0].body.startswith("Hello,\n")
    assert owner.email not in mail.outbox[0].body


def test_an_address_without_account_gets_the_mail_in_the_given_language(
    django_capture_on_commit_callbacks,
):
    application = ApplicationFactory()

    with django_capture_on_commit_callbacks(execute=True):
        notify(
            to="mate@example.org",
            language="en",
            template="team_invitation",
            context={"application": application, "member_name": "Mia Mate"},
        )

    assert [m.to for m in mail.outbox] == [["mate@example.org"]]
    assert mail.outbox[0].body.startswith("Hello Mia Mate,")
    assert application.reference in mail.outbox[0].body


def test_dates_reach_the_template_as_dates(django_capture_on_commit_callbacks):
    owner = make_user(Role.APPLICANT, language="en")
    application = ApplicationFactory(owner=owner)

    with django_capture_on_commit_callbacks(execute=True):
        notify(
            to=owner,
            template="information_requested",
            context={
                "application": application,
                "question": "Which cities?",
                "due_on": dt.date(2026, 12, 24),
            },
        )

    assert "Please answer by 24 December 2026" in mail.outbox[0].body


def test_the_task_receives_only_json():
    application = ApplicationFactory()
    context = {
        "application": application,
        "due_on": dt.date(2026, 12, 24),
        "at": dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC),
        "codes": ("budget", "other"),
        "note": "Thanks",
    }

    packed = {name: pack(value) for name, value in context.items()}

    assert json.loads(json.dumps(packed)) == {
        "application": {"__model__": "grants.application", "pk": application.pk},
        "due_on": {"__date__": "2026-12-24"},
        "at": {"__datetime__": "2026-12-01T09:30:00+00:00"},
        "codes": ["budget", "other"],
        "note": "Thanks",
    }
    from workflow.tasks import unpack

    assert {name: unpack(value) for name, value in packed.items()} == {
        **context,
        "application": Application.objects.get(pk=application.pk),
        "codes": ["budget", "other"],
    }


def test_nothing_is_sent_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    owner = make_user(Role.APPLICANT)
    application = ApplicationFactory(owner=owner)

    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        notify(to=owner, template="application_submitted", context={"application": application})
        transaction.set_rollback(True)

    assert callbacks == []
    assert mail.outbox == []


def test_nothing_is_queued_while_muted(django_capture_on_commit_callbacks):
    owner = make_user(Role.APPLICANT)
    application = ApplicationFactory(owner=owner)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with muted():
            notify(to=owner, template="application_submitted", context={"application": application})
        assert notifications._muted.get() is False

    assert callbacks == []
    assert mail.outbox == []


# With the production queue (django-tasks-db), the task is part of the transaction.


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_the_database_queue_gets_the_task_inside_the_transaction(
    database_queue, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    owner = make_user(Role.APPLICANT)
    application = ApplicationFactory(owner=owner)

    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        notify(to=owner, template="application_submitted", context={"application": application})
        # Written in the same transaction: committed with the change, in the same commit.
        queued = list(DBTaskResult.objects.values_list("task_path", "args_kwargs"))

    assert callbacks == []
    assert queued == [
        (
            "workflow.tasks.send_templated_email",
            {
                "args": [],
                "kwargs": {
                    "template": "application_submitted",
                    "recipient": {"user_id": owner.pk},
                    "context": {
                        "application": {"__model__": "grants.application", "pk": application.pk}
                    },
                },
            },
        )
    ]
    assert mail.outbox == []  # the worker sends it


def test_the_database_queue_loses_the_task_with_a_rollback(database_queue):
    from django_tasks_db.models import DBTaskResult

    owner = make_user(Role.APPLICANT)
    application = ApplicationFactory(owner=owner)

    with transaction.atomic():
        notify(to=owner, template="application_submitted", context={"application": application})
        transaction.set_rollback(True)

    assert DBTaskResult.objects.count() == 0
