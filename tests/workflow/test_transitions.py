"""fire_transition, the one door for every transition: it checks source state and
permission once, lets django-fsm check the conditions, explains refusals, and logs the
action declared on the transition, with structured data."""

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from accounts.roles import Role
from core.errors import StaleObjectError, TransitionRefused
from grants.models import Application, Call, InformationRequest
from grants.states import ApplicationState, CallState
from tests.factories import ApplicationFactory, CallFactory, make_user, set_state
from workflow.models import AppendOnlyError, TransitionLog
from workflow.transitions import fire_transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return make_user(Role.STAFF)


def fire(subject, name, actor, **kwargs):
    with transaction.atomic():
        return fire_transition(subject=subject, transition_name=name, actor=actor, **kwargs)


def test_logs_the_action_label_visibility_and_data_declared_on_the_transition(staff):
    application = set_state(ApplicationFactory(), ApplicationState.SUBMITTED)

    entry = fire(application, "mark_eligible", staff, note="Fine.", data={"checked": ["budget"]})

    stored = TransitionLog.objects.get()
    assert stored == entry
    assert (
        stored.content_type,
        stored.object_id,
        stored.action,
        stored.from_state,
        stored.to_state,
        stored.actor,
        stored.note,
        stored.data,
        stored.visible_to_applicant,
    ) == (
        ContentType.objects.get_for_model(Application),
        application.pk,
        "grants.application.screened_eligible",
        "submitted",
        "eligible",
        staff,
        "Fine.",
        {"checked": ["budget"]},
        True,
    )
    assert Application.objects.get(pk=application.pk).state == ApplicationState.ELIGIBLE


def test_an_internal_transition_is_logged_as_internal(staff):
    application = set_state(ApplicationFactory(), ApplicationState.ELIGIBLE)

    entry = fire(application, "start_review", staff)

    assert (entry.action, entry.visible_to_applicant, entry.data) == (
        "grants.application.review_started",
        False,
        {},
    )


def test_serves_other_models_too(staff):
    call = CallFactory(state=CallState.OPEN)

    entry = fire(call, "close", staff)

    assert (entry.content_type.model, entry.action, entry.from_state, entry.to_state) == (
        "call",
        "grants.call.closed",
        "open",
        "closed",
    )


def test_refuses_a_transition_that_does_not_start_from_the_current_state(staff):
    application = set_state(ApplicationFactory(), ApplicationState.ELIGIBLE)

    with pytest.raises(TransitionRefused) as refusal:
        fire(application, "mark_eligible", staff)

    assert (refusal.value.reason, refusal.value.failed_conditions) == ("state", ())
    assert refusal.value.message == "This step is not possible in the current state."
    assert not TransitionLog.objects.exists()


def test_refuses_an_actor_without_permission():
    application = set_state(ApplicationFactory(), ApplicationState.SUBMITTED)

    with pytest.raises(TransitionRefused) as refusal:
        fire(application, "mark_eligible", application.owner)

    assert (refusal.value.reason, refusal.value.message) == (
        "permission",
        "You may not do this now.",
    )
    assert Application.objects.get(pk=application.pk).state == ApplicationState.SUBMITTED


def test_names_the_conditions_that_failed(staff):
    application = set_state(ApplicationFactory(), ApplicationState.SUBMITTED)
    InformationRequest.objects.create(
        application=application, question="Why?", due_on="2099-01-01", asked_by=staff
    )

    with pytest.raises(TransitionRefused) as refusal:
        fire(application, "mark_ineligible", staff)

    assert refusal.value.reason == "conditions"
    assert refusal.value.failed_conditions == (
        "has_no_open_information_request",
        "has_ineligibility_reason",
    )
    # Without a message of the caller's, the generic one, never an empty refusal.
    assert refusal.value.message == "This step is not possible in the current state."
    assert Application.objects.get(pk=application.pk).state == ApplicationState.SUBMITTED


def test_an_approval_without_an_award_fails_both_award_conditions(staff):
    # Every condition is asked again to explain a refusal: the budget's own check must say
    # no to a missing award (not compare None with the money left).
    call = CallFactory(budget=Decimal("100000.00"))
    application = set_state(ApplicationFactory(call=call), ApplicationState.REVIEWED)

    with pytest.raises(TransitionRefused) as refusal:
        fire(application, "approve", staff)

    assert refusal.value.failed_conditions == ("award_within_request", "award_fits_budget")
    assert Application.objects.get(pk=application.pk).state == ApplicationState.REVIEWED
    assert not TransitionLog.objects.exists()


def test_an_award_in_a_call_without_a_budget_does_not_fit(staff):
    application = set_state(
        ApplicationFactory(call=CallFactory(budget=None)), ApplicationState.REVIEWED
    )
    Application.objects.filter(pk=application.pk).update(requested_amount=Decimal("900.00"))
    application.refresh_from_db()
    application.awarded_amount = Decimal("900.00")

    with pytest.raises(TransitionRefused) as refusal:
        fire(application, "approve", staff)

    assert refusal.value.failed_conditions == ("award_fits_budget",)
    assert Application.objects.get(pk=application.pk).state == ApplicationState.REVIEWED


def test_a_refused_message_of_the_caller_replaces_the_generic_one(staff):
    application = set_state(ApplicationFactory(), ApplicationState.REJECTED)

    with pytest.raises(TransitionRefused, match="can no longer be withdrawn"):
        fire(
            application,
            "withdraw",
            application.owner,
            refused_message="This application can no longer be withdrawn.",
        )


def test_an_expected_state_the_object_has_left_is_stale(staff):
    call = CallFactory(state=CallState.CLOSED)

    with pytest.raises(StaleObjectError):
        fire(call, "start_review", staff, expected_state=CallState.OPEN)

    assert Call.objects.get(pk=call.pk).state == CallState.CLOSED


def test_a_concurrent_change_is_stale_and_logs_nothing(staff):
    application = set_state(ApplicationFactory(), ApplicationState.SUBMITTED)
    seen = Application.objects.get(pk=application.pk)
    fire(application, "mark_eligible", staff)

    with pytest.raises(StaleObjectError):
        fire(seen, "mark_eligible", staff)

    assert list(TransitionLog.objects.values_list("action", flat=True)) == [
        "grants.application.screened_eligible"
    ]


def test_log_entries_cannot_be_changed_or_deleted(staff):
    entry = fire(CallFactory(state=CallState.OPEN), "close", staff)

    entry.note = "rewritten"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()


# transition_refusal: why a step is not possible, asked before anyone confirms it.


def test_transition_refusal_is_none_when_the_step_is_possible(staff):
    from workflow.transitions import transition_refusal, transition_target

    application = set_state(ApplicationFactory(), ApplicationState.SUBMITTED)

    assert (
        transition_refusal(subject=application, transition_name="mark_eligible", actor=staff)
        is None
    )
    assert transition_target(Application, "mark_eligible", "submitted") == "eligible"
    assert Application.objects.get(pk=application.pk).state == "submitted"
    assert not TransitionLog.objects.exists()


def test_transition_refusal_names_state_permission_and_conditions(staff):
    from workflow.transitions import transition_refusal

    eligible = set_state(ApplicationFactory(), ApplicationState.ELIGIBLE)
    submitted = set_state(ApplicationFactory(), ApplicationState.SUBMITTED)
    InformationRequest.objects.create(
        application=submitted, question="Why?", due_on="2099-01-01", asked_by=staff
    )
    applicant = make_user(Role.APPLICANT)

    by_state = transition_refusal(subject=eligible, transition_name="mark_eligible", actor=staff)
    by_permission = transition_refusal(
        subject=set_state(ApplicationFactory(), ApplicationState.SUBMITTED),
        transition_name="mark_eligible",
        actor=applicant,
    )
    by_condition = transition_refusal(
        subject=submitted, transition_name="mark_eligible", actor=staff
    )

    assert (by_state.reason, by_permission.reason, by_condition.reason) == (
        "state",
        "permission",
        "conditions",
    )
    assert by_condition.failed_conditions == ("has_no_open_information_request",)
    assert Application.objects.get(pk=submitted.pk).state == "submitted"
