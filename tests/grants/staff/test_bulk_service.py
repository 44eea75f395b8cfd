"""The bulk service called directly: which log entries the applicant sees, and a refusal
that names every application the step does not fit."""

import pytest

from grants.models import Application, TransitionLog
from grants.services.errors import WorkflowError
from grants.services.screening import bulk_transition_applications
from grants.states import ApplicationState
from tests.factories import ApplicationFactory
from tests.grants.staff.helpers import submit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("transition", "source", "visible"),
    [
        ("mark_eligible", ApplicationState.SUBMITTED, True),  # the applicant is told
        ("start_review", ApplicationState.ELIGIBLE, False),
        ("close_review", ApplicationState.IN_REVIEW, False),
    ],
)
def test_only_the_screening_result_is_on_the_applicants_timeline(
    call, staff, transition, source, visible
):
    applications = [submit(call, state=source) for _ in range(2)]
    bulk_transition_applications(
        call=call,
        application_ids=[a.pk for a in applications],
        transition_name=transition,
        actor=staff,
    )
    assert list(TransitionLog.objects.values_list("visible_to_applicant", flat=True)) == [
        visible,
        visible,
    ]


def test_a_refusal_names_every_application_that_does_not_fit(call, staff):
    ready = submit(call)
    wrong = [
        ApplicationFactory(call=call, reference=reference, state=ApplicationState.ELIGIBLE)
        for reference in ("CTF-2026-1-0901", "CTF-2026-1-0902")
    ]
    with pytest.raises(WorkflowError) as refused:
        bulk_transition_applications(
            call=call,
            application_ids=[wrong[0].pk, ready.pk, wrong[1].pk, ready.pk],
            transition_name="mark_eligible",
            actor=staff,
        )
    assert str(refused.value.message) == (
        "Nothing was changed, because this step is not possible for: "
        "CTF-2026-1-0901, CTF-2026-1-0902."
    )
    assert Application.objects.get(pk=ready.pk).state == ApplicationState.SUBMITTED
    assert not TransitionLog.objects.exists()
