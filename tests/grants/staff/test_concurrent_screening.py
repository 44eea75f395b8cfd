"""Two programme staff screen the same application at the same moment (PostgreSQL only:
SQLite serialises writers, so it cannot show the race)."""

import threading

import pytest
from django.db import close_old_connections, connection

from accounts.roles import Role
from grants.models import Application, TransitionLog
from grants.services.errors import StaleObjectError
from grants.services.screening import screen_application
from grants.states import ApplicationState
from tests.factories import make_user
from tests.grants.staff.helpers import submit

pytestmark = pytest.mark.postgresql  # needs PostgreSQL's row locking


@pytest.mark.django_db(transaction=True)
def test_two_staff_screen_at_once_one_wins(call):
    application = submit(call)
    staff = [make_user(Role.STAFF), make_user(Role.STAFF)]
    barrier = threading.Barrier(2)
    outcomes = {}

    def screen(index, eligible):
        try:
            barrier.wait(timeout=10)
            screen_application(
                application=Application.objects.get(pk=application.pk),
                actor=staff[index],
                eligible=eligible,
                expected_state=ApplicationState.SUBMITTED,
                reasons=() if eligible else ["budget"],
            )
            outcomes[index] = "screened"
        except StaleObjectError as error:
            outcomes[index] = ("stale", str(error.message))
        except Exception as error:  # reported by the assertion below
            outcomes[index] = ("error", repr(error))
        finally:
            close_old_connections()
            connection.close()

    threads = [
        threading.Thread(target=screen, args=(0, True)),
        threading.Thread(target=screen, args=(1, False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes.values(), key=str) == sorted(
        [
            "screened",
            (
                "stale",
                "Someone else changed this meanwhile, so your action was not carried out. "
                "The page now shows the current state; please check it and try again.",
            ),
        ],
        key=str,
    )
    winner = 0 if outcomes[0] == "screened" else 1
    application.refresh_from_db()
    assert application.state == (
        ApplicationState.ELIGIBLE if winner == 0 else ApplicationState.INELIGIBLE
    )
    entries = TransitionLog.objects.filter(
        content_type__model="application", object_id=application.pk
    )
    assert list(entries.values_list("from_state", "to_state", "actor_id")) == [
        ("submitted", application.state, staff[winner].pk)
    ]
