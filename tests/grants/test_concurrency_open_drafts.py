"""The cap on open drafts per applicant and call holds under concurrency (PostgreSQL)."""

import threading

import pytest
from django.db import connection

from accounts.roles import Role
from grants.models import Application
from grants.services.applications import start_application
from grants.services.errors import WorkflowError
from tests.factories import CallFactory, make_user

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs real concurrent transactions"
    ),
]


def test_parallel_starts_by_one_applicant_stop_at_the_cap(settings):
    assert settings.OPEN_DRAFTS_PER_CALL == 3
    call = CallFactory()
    applicant = make_user(Role.APPLICANT)
    attempts = 8
    barrier = threading.Barrier(attempts)
    refused, errors = [], []

    def start():
        try:
            barrier.wait()
            start_application(call=call, actor=applicant)
        except WorkflowError as error:
            refused.append(error)
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=start) for _ in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(refused) == attempts - 3
    assert Application.objects.filter(call=call, owner=applicant).count() == 3
