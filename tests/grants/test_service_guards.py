"""Guards of the services that today's forms hide: called directly, the services refuse on
their own (a form is not a permission check)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.roles import Role
from grants.models import Call, InformationRequest, TransitionLog
from grants.services.applications import answer_information_request
from grants.services.calls import save_call
from grants.services.errors import WorkflowError
from grants.services.screening import request_information
from grants.states import ApplicationState, CallStage
from tests.factories import (
    ApplicationFactory,
    CallFactory,
    answer_text,
    make_user,
    set_state,
)
from tests.two_stage import two_stage_calls

pytestmark = pytest.mark.django_db


def log_of(subject):
    return list(
        TransitionLog.objects.filter(
            content_type__model=type(subject)._meta.model_name, object_id=subject.pk
        ).values_list("action", flat=True)
    )


# Answering a question: only the sections staff unlocked may change.


@pytest.fixture
def questioned():
    application = set_state(
        ApplicationFactory(summary="Old summary.", technical_approach="Old approach."),
        ApplicationState.SUBMITTED,
    )
    request_information(
        application=application,
        actor=make_user(Role.STAFF),
        question="Which licence for the data?",
        due_on=dt.date(2026, 12, 10),
        editable_sections=["summary"],
    )
    application.refresh_from_db()
    return application


@pytest.mark.parametrize(
    "sections",
    [
        {"technical_approach": "A new approach."},
        {"title": "A new title"},
        # One unlocked and one locked section: refused as a whole.
        {"summary": "New summary.", "technical_approach": "A new approach."},
    ],
)
def test_answer_refuses_a_section_staff_did_not_unlock(questioned, sections):
    version = questioned.version
    with pytest.raises(WorkflowError) as refused:
        answer_information_request(
            application=questioned,
            actor=questioned.owner,
            answer="CC-BY 4.0",
            section_values=sections,
            expected_version=version,
        )
    assert str(refused.value.message) == "This section may not be changed."
    questioned.refresh_from_db()
    assert (
        questioned.summary,
        answer_text(questioned, "technical_approach"),
        questioned.version,
    ) == (
        "Old summary.",
        "Old approach.",
        version,
    )
    assert questioned.title.startswith("Open transit data toolkit")
    request = InformationRequest.objects.get(application=questioned)
    assert (request.answer, request.answered_at) == ("", None)
    assert log_of(questioned) == ["grants.application.information_requested"]


def test_answer_changes_an_unlocked_section(questioned):
    answer_information_request(
        application=questioned,
        actor=questioned.owner,
        answer="CC-BY 4.0",
        section_values={"summary": "New summary."},
        expected_version=questioned.version,
    )
    questioned.refresh_from_db()
    assert (questioned.summary, answer_text(questioned, "technical_approach")) == (
        "New summary.",
        "Old approach.",
    )
    assert log_of(questioned) == [
        "grants.application.information_requested",
        "grants.application.information_provided",
    ]


# A call's rules are frozen for staff once an application has been submitted.

RULE_CHANGES = {
    "opens_at": timezone.now() - dt.timedelta(days=20),
    "closes_at": timezone.now() + dt.timedelta(days=30),
    "budget": Decimal("9000000.00"),
    "hourly_rate": Decimal("60.00"),
    "overhead_percent": Decimal("7.00"),
    "funding_rate_percent": Decimal("90.00"),
    "reviews_per_application": 4,
    "stage": CallStage.FULL,
}


def test_every_rule_field_is_tried():
    # The link to the full-proposal call is a call: tried on its own below.
    assert set(RULE_CHANGES) | {"next_stage"} == set(Call.RULE_FIELDS)


def test_staff_cannot_relink_a_frozen_concept_call():
    concept_call, _full_call = two_stage_calls()
    ApplicationFactory(
        call=concept_call, state=ApplicationState.SUBMITTED, submitted_at=timezone.now()
    )
    other_full = CallFactory(stage=CallStage.FULL)
    with pytest.raises(WorkflowError):
        save_call(
            call=Call.objects.get(pk=concept_call.pk),
            actor=make_user(Role.STAFF),
            changes={"next_stage": other_full},
        )
    assert Call.objects.get(pk=concept_call.pk).next_stage_id == _full_call.pk
    admin = make_user(is_superuser=True, is_staff=True)
    save_call(
        call=Call.objects.get(pk=concept_call.pk),
        actor=admin,
        changes={"next_stage": other_full},
        reason="The full call was created twice.",
    )
    entry = TransitionLog.objects.get(content_type__model="call", object_id=concept_call.pk)
    assert entry.data["changes"]["next_stage"] == {
        "from": _full_call.slug,
        "to": other_full.slug,
    }


@pytest.fixture
def locked_call():
    call = CallFactory()
    ApplicationFactory(call=call, state=ApplicationState.SUBMITTED, submitted_at=timezone.now())
    assert call.rules_locked
    return call


def stored_rules(call):
    return Call.objects.filter(pk=call.pk).values(*Call.RULE_FIELDS).get()


@pytest.mark.parametrize("name", RULE_CHANGES)
def test_staff_cannot_change_a_frozen_rule_even_with_a_reason(locked_call, name):
    before = stored_rules(locked_call)
    with pytest.raises(WorkflowError) as refused:
        save_call(
            call=Call.objects.get(pk=locked_call.pk),
            actor=make_user(Role.STAFF),
            changes={name: RULE_CHANGES[name]},
            reason="The ministry asked for it.",
        )
    assert str(refused.value.message) == (
        "Applications have already been submitted to this call, so its rules "
        "(dates, budget, caps and rates) can no longer be changed. Ask an administrator."
    )
    assert stored_rules(locked_call) == before
    assert log_of(locked_call) == []


def test_staff_may_still_rename_a_frozen_call(locked_call):
    save_call(
        call=Call.objects.get(pk=locked_call.pk),
        actor=make_user(Role.STAFF),
        changes={"title_en": "Renamed", "budget": locked_call.budget},
    )
    assert Call.objects.get(pk=locked_call.pk).title_en == "Renamed"
    assert log_of(locked_call) == []


@pytest.mark.parametrize("name", RULE_CHANGES)
def test_admin_changes_a_frozen_rule_with_a_logged_reason(locked_call, name):
    admin = make_user(is_superuser=True, is_staff=True)
    with pytest.raises(WorkflowError) as refused:
        save_call(
            call=Call.objects.get(pk=locked_call.pk),
            actor=admin,
            changes={name: RULE_CHANGES[name]},
            reason="   ",
        )
    assert refused.value.field_errors == {"reason": ["This field is required."]}
    save_call(
        call=Call.objects.get(pk=locked_call.pk),
        actor=admin,
        changes={name: RULE_CHANGES[name]},
        reason="The ministry asked for it.",
    )
    assert stored_rules(locked_call)[name] == RULE_CHANGES[name]
    entry = TransitionLog.objects.get(content_type__model="call", object_id=locked_call.pk)
    assert (entry.action, entry.actor, entry.note.splitlines()[0]) == (
        "grants.call.rules_changed",
        admin,
        "The ministry asked for it.",
    )
    assert entry.note.splitlines()[1].startswith(f"{name}: ")
