"""The screening service's own limits, whatever form calls it: the size of a bulk selection
and the window of a question's due date (today in Berlin to 90 days ahead)."""

import datetime as dt
from collections import Counter

import pytest
import time_machine

from grants.services.errors import WorkflowError
from grants.services.screening import (
    bulk_transition_applications,
    due_date_error,
    plan_bulk_transition,
)
from grants.states import ApplicationState
from tests.grants.staff.helpers import submit

pytestmark = pytest.mark.django_db

NOT_OF_THIS_CALL = "Some selected applications do not belong to this call."


def test_a_selection_of_500_is_checked_and_501_refused_by_the_service(call, staff):
    application = submit(call)
    others = range(application.pk + 1, application.pk + 500)  # 499 ids of no application

    with pytest.raises(WorkflowError) as checked:
        plan_bulk_transition(
            call=call,
            application_ids=[application.pk, *others],
            transition_name="mark_eligible",
            actor=staff,
        )
    with pytest.raises(WorkflowError) as refused:
        bulk_transition_applications(
            call=call,
            application_ids=[application.pk, *others, application.pk + 500],
            transition_name="mark_eligible",
            actor=staff,
        )

    assert checked.value.message == NOT_OF_THIS_CALL
    assert refused.value.message == "Select at most 500 applications at once."
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


def test_the_same_id_twice_counts_once(call, staff):
    application = submit(call)

    changed = bulk_transition_applications(
        call=call,
        application_ids=[application.pk] * 501,
        transition_name="mark_eligible",
        actor=staff,
    )

    assert changed == Counter({(ApplicationState.SUBMITTED, ApplicationState.ELIGIBLE): 1})
    application.refresh_from_db()
    assert application.state == ApplicationState.ELIGIBLE


# 6 December 2026, 23:30 in Berlin (22:30 UTC): the Berlin date decides, not UTC's.
@time_machine.travel(dt.datetime(2026, 12, 6, 22, 30, tzinfo=dt.UTC), tick=False)
@pytest.mark.parametrize(
    ("due_on", "error"),
    [
        (dt.date(2026, 12, 5), "The due date cannot be in the past."),
        (dt.date(2026, 12, 6), None),
        (dt.date(2026, 12, 7), None),
        (dt.date(2027, 3, 5), None),  # 89 days ahead
        (dt.date(2027, 3, 6), None),  # 90 days ahead
        (
            dt.date(2027, 3, 7),
            "The due date can be at most 90 days ahead, until 6 March 2027.",
        ),
    ],
    ids=str,
)
def test_a_question_is_due_from_today_to_90_days_ahead(due_on, error):
    assert due_date_error(due_on) == error
