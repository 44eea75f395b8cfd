"""In the deadline rush, saves and submissions of different applications in one call do not
wait for each other (PostgreSQL): each locks its own application only, not the call that
all of them read."""

import threading

import pytest
from django.db import connection, transaction

from grants.models import Application
from grants.services.applications import submit_application, update_draft
from grants.states import ApplicationState
from tests.factories import ApplicationFactory, CallFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgresql,  # needs real concurrent transactions
]


def save(application):
    update_draft(
        application=application,
        actor=application.owner,
        expected_version=application.version,
        fields={"title": "Renamed while another one submits"},
        milestones=[
            {"title": "Step", "deliverable": "Release", "month": 2, "hours": 300} for _ in range(3)
        ],
        team_members=[],
    )


def submit(application):
    submit_application(
        application=application, actor=application.owner, expected_version=application.version
    )


@pytest.mark.parametrize("first", [save, submit], ids=["save", "submit"])
def test_a_submission_does_not_wait_for_another_applications_transaction(first):
    call = CallFactory()
    held, other = ApplicationFactory(call=call), ApplicationFactory(call=call)
    holding, other_done = threading.Event(), threading.Event()
    finished_while_held, errors = [], []

    def hold_open():
        try:
            with transaction.atomic():
                first(held)
                holding.set()
                # Keep this transaction (and its locks) open until the other one is done.
                finished_while_held.append(other_done.wait(timeout=5))
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            holding.set()
            connection.close()

    def submit_other():
        try:
            holding.wait(timeout=5)
            submit(other)
            other_done.set()
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=hold_open), threading.Thread(target=submit_other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert finished_while_held == [True]
    assert Application.objects.get(pk=other.pk).state == ApplicationState.SUBMITTED
