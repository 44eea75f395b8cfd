"""References are handed out under concurrency without gaps or duplicates (PostgreSQL)."""

import threading

import pytest
from django.db import connection

from accounts.roles import Role
from grants.models import Application
from grants.services.applications import start_application
from tests.factories import CallFactory, make_user

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgresql,  # needs real concurrent transactions
]


def test_parallel_starts_get_distinct_consecutive_references():
    call = CallFactory(year=2026, round_number=4)
    applicants = [make_user(Role.APPLICANT) for _ in range(8)]
    barrier = threading.Barrier(len(applicants))
    errors = []

    def start(user):
        try:
            barrier.wait()
            start_application(call=call, actor=user)
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=start, args=(user,)) for user in applicants]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    references = sorted(Application.objects.values_list("reference", flat=True))
    assert references == [f"CTF-2026-4-{n:04d}" for n in range(1, 9)]
    call.refresh_from_db()
    assert call.last_sequence == 8
