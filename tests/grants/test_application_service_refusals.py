"""The applicant services' own refusals, behind the pages (which mostly stop bad input
first): each says why in the user's language and changes nothing, writes no log entry and
sends no mail. The services are the guard for every way in."""

import pytest
from django.core import mail
from django.utils import translation

from accounts.roles import Role
from core.errors import StaleObjectError, WorkflowError
from grants.models import Application, InformationRequest
from grants.services.applications import (
    answer_information_request,
    start_application,
    submit_application,
    update_draft,
)
from grants.states import ApplicationState
from tests.factories import ApplicationFactory, CallFactory, make_user, set_state
from tests.grants.test_question_answers import eligibility_question
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db


def untouched(application):
    """What a refusal must leave as it was."""
    stored = Application.objects.get(pk=application.pk)
    return (
        stored.state,
        stored.version,
        stored.title,
        TransitionLog.objects.count(),
        len(mail.outbox),
    )


def refusal(call_service, **arguments) -> str:
    with translation.override("en"), pytest.raises(WorkflowError) as refused:
        call_service(**arguments)
    return str(refused.value)


@pytest.fixture
def checked_call():
    call = CallFactory()
    eligibility_question(call)
    return call


def test_only_an_applicant_starts_an_application():
    call = CallFactory()

    message = refusal(start_application, call=call, actor=make_user(Role.STAFF))

    assert message == "Only applicants can start an application."
    assert (Application.objects.count(), TransitionLog.objects.count()) == (0, 0)


def test_a_call_with_an_eligibility_check_needs_its_answers(checked_call):
    message = refusal(
        start_application,
        call=checked_call,
        actor=make_user(Role.APPLICANT),
        eligibility_answers={},
    )

    assert message == "Please answer the eligibility check of this call first."
    assert (Application.objects.count(), TransitionLog.objects.count()) == (0, 0)


def test_a_disqualifying_answer_is_refused_with_the_reason_in_german(checked_call):
    with translation.override("de"), pytest.raises(WorkflowError) as refused:
        start_application(
            call=checked_call,
            actor=make_user(Role.APPLICANT),
            eligibility_answers={"open-source": "no"},
        )

    assert str(refused.value) == (
        "Ihre Antworten in der Förderfähigkeitsprüfung schließen einen Antrag aus: "
        "Wir fördern nur Open-Source-Software."
    )
    assert Application.objects.count() == 0


def test_a_passing_answer_starts_a_draft(checked_call):
    applicant = make_user(Role.APPLICANT)

    draft = start_application(
        call=checked_call, actor=applicant, eligibility_answers={"open-source": "yes"}
    )

    assert (draft.state, draft.owner, draft.call) == (
        ApplicationState.DRAFT,
        applicant,
        checked_call,
    )


@pytest.fixture
def draft():
    return ApplicationFactory(call=CallFactory(), title="Open transit data toolkit")


def save(draft, actor, **fields):
    update_draft(
        application=draft,
        actor=actor,
        expected_version=draft.version,
        fields=fields or {"title": "Renamed"},
        milestones=[],
        team_members=[],
    )


def test_someone_else_cannot_save_a_draft(draft):
    before = untouched(draft)

    message = refusal(save, draft=draft, actor=make_user(Role.APPLICANT))

    assert message == "This application can no longer be edited."
    assert untouched(draft) == before


def test_a_submitted_application_cannot_be_saved_by_its_owner(draft):
    set_state(draft, ApplicationState.SUBMITTED)
    before = untouched(draft)

    message = refusal(save, draft=draft, actor=draft.owner)

    assert message == "This application can no longer be edited."
    assert untouched(draft) == before


def test_a_field_outside_the_form_is_never_saved(draft):
    before = untouched(draft)

    with pytest.raises(ValueError, match="^state is not editable$"):
        save(draft, draft.owner, state=ApplicationState.APPROVED)

    assert untouched(draft) == before


def test_a_track_of_another_call_is_refused_on_the_track_field(draft):
    other_track = CallFactory().tracks.get(key="individual_10")
    before = untouched(draft)

    with translation.override("en"), pytest.raises(WorkflowError) as refused:
        save(draft, draft.owner, track=other_track)

    assert str(refused.value) == "Choose one of the tracks of this call."
    assert refused.value.field_errors == {"track": ["Choose one of the tracks of this call."]}
    assert untouched(draft) == before


def test_a_stale_submission_is_refused(draft):
    before = untouched(draft)

    with pytest.raises(StaleObjectError):
        submit_application(application=draft, actor=draft.owner, expected_version=draft.version - 1)

    assert untouched(draft) == before


def test_an_application_is_submitted_once(draft):
    set_state(draft, ApplicationState.SUBMITTED)
    before = untouched(draft)

    message = refusal(
        submit_application, application=draft, actor=draft.owner, expected_version=draft.version
    )

    assert message == "This application has already been submitted or withdrawn."
    assert untouched(draft) == before


def test_an_answer_without_an_open_question_is_refused(draft):
    set_state(draft, ApplicationState.SUBMITTED)
    before = untouched(draft)

    message = refusal(
        answer_information_request,
        application=draft,
        actor=draft.owner,
        answer="Here is more.",
        section_values={},
        expected_version=draft.version,
    )

    assert message == "There is no open question to answer."
    assert untouched(draft) == before
    assert InformationRequest.objects.count() == 0
