"""Two programme staff approve at the same moment in a call with room for one award only, and
two jurors submit the last two reviews of an application at once (PostgreSQL: SQLite
serialises writers, so it cannot show the races)."""

import threading
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection

from accounts.roles import Role
from core.errors import WorkflowError
from grants.models import Application
from grants.states import ApplicationState as S
from review.models import Review
from review.services.decisions import decide_application, decide_applications
from review.services.reviews import submit_review
from review.states import Decision
from tests.factories import make_user
from tests.review.helpers import assign, budget_call, in_review, make_juror, make_jury, scored

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL's row locking"
)


def run_at_once(*actions):
    barrier = threading.Barrier(len(actions))
    outcomes = {}

    def run(index, action):
        try:
            barrier.wait(timeout=10)
            action()
            outcomes[index] = "done"
        except WorkflowError as error:
            outcomes[index] = ("refused", str(error.message))
        except Exception as error:  # reported by the assertions
            outcomes[index] = ("error", repr(error))
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def reviewed(call, amount):
    application = in_review(call, state=S.REVIEWED)
    Application.objects.filter(pk=application.pk).update(requested_amount=Decimal(amount))
    return application


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("bulk", [False, True])
def test_two_staff_approving_at_once_never_exceed_the_budget(bulk):
    call = budget_call("100000.00")
    first, second = reviewed(call, "60000.00"), reviewed(call, "50000.00")
    staff = [make_user(Role.STAFF), make_user(Role.STAFF)]

    def approve(index, application):
        def action():
            if bulk:
                decide_applications(
                    call=call, decisions=[(application.pk, Decision.APPROVE)], actor=staff[index]
                )
            else:
                decide_application(
                    application=Application.objects.get(pk=application.pk),
                    actor=staff[index],
                    decision=Decision.APPROVE,
                    expected_state=S.REVIEWED,
                )

        return action

    outcomes = run_at_once(approve(0, first), approve(1, second))

    assert sorted(
        outcome if outcome == "done" else outcome[0] for outcome in outcomes.values()
    ) == [
        "done",
        "refused",
    ], outcomes
    assert call.committed_amount() in (Decimal("60000.00"), Decimal("50000.00"))
    assert Application.objects.filter(state=S.APPROVED).count() == 1
    assert Application.objects.filter(state=S.REVIEWED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_many_approvals_at_once_stop_at_the_budget():
    call = budget_call("100000.00")
    applications = [reviewed(call, "30000.00") for _ in range(5)]
    staff = [make_user(Role.STAFF) for _ in applications]

    outcomes = run_at_once(
        *(
            (
                lambda a=a, s=s: decide_application(
                    application=Application.objects.get(pk=a.pk),
                    actor=s,
                    decision=Decision.APPROVE,
                    expected_state=S.REVIEWED,
                )
            )
            for a, s in zip(applications, staff, strict=True)
        )
    )

    assert sum(1 for outcome in outcomes.values() if outcome == "done") == 3
    assert call.committed_amount() == Decimal("90000.00")


@pytest.mark.django_db(transaction=True)
def test_the_last_two_reviews_submitted_at_once_complete_the_application():
    jury = make_jury()
    application = in_review(jury.call)
    jurors = [make_juror(jury) for _ in range(3)]
    scored(assign(jurors[0], application), [5, 5, 3])
    reviews = [assign(juror, application) for juror in jurors[1:]]
    criteria = list(jury.criteria.order_by("position"))
    entries = {
        c.pk: {"value": 3 if c.bounds[1] == 5 else 6, "not_applicable": False, "comment": ""}
        for c in criteria
    }

    outcomes = run_at_once(
        *(
            (
                lambda r=r, j=j: submit_review(
                    review=Review(pk=r.pk),
                    actor=j,
                    expected_version=1,
                    entries=entries,
                    comment_for_staff="",
                    comment_for_applicant="",
                )
            )
            for r, j in zip(reviews, jurors[1:], strict=True)
        )
    )

    assert list(outcomes.values()) == ["done", "done"]
    assert Application.objects.get(pk=application.pk).state == S.REVIEWED
