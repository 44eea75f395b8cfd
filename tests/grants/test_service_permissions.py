"""Every transition of Application and Call, fired through its service by the wrong person
while the state allows it, is refused, changes nothing, logs nothing and tells nobody.

The transition matrix (test_transition_matrix.py) checks the model's permissions; this
checks that the services ask them: the same call by the right person goes through."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import transaction

from core.errors import StaleObjectError, WorkflowError
from grants.contracts.services.agreements import decline_award
from grants.models import Application, Call
from grants.services.applications import submit_application, withdraw_application
from grants.services.calls import transition_call
from grants.services.screening import bulk_transition_applications, screen_application
from grants.states import ApplicationState as S
from grants.states import CallState as C
from tests.accounts.helpers import make_role_user
from tests.factories import ApplicationFactory, CallFactory, make_grant, set_state
from tests.two_stage import two_stage_calls
from workflow.models import TransitionLog
from workflow.transitions import fire_transition

pytestmark = pytest.mark.django_db

ROLES = ("owner", "applicant", "juror", "staff", "ministry", "admin")  # admin: superuser
APPLICANT = frozenset({"owner"})
STAFF = frozenset({"staff", "admin"})  # admins hold the staff role
NOT_NOW = "You may not do this now."
# What the actor may not see is treated like an unknown id in a bulk selection.
NOT_IN_CALL = "Some selected applications do not belong to this call."


def submit(application, actor):
    submit_application(application=application, actor=actor, expected_version=application.version)


def withdraw(application, actor):
    withdraw_application(application=application, actor=actor, expected_state=application.state)


def screen(eligible):
    def fire(application, actor):
        screen_application(
            application=application,
            actor=actor,
            eligible=eligible,
            expected_state=application.state,
            reasons=() if eligible else ["budget"],
        )

    return fire


def bulk(name):
    def fire(application, actor):
        bulk_transition_applications(
            call=application.call,
            application_ids=[application.pk],
            transition_name=name,
            actor=actor,
        )

    return fire


def door(name):
    """The one door that every service uses (decisions, agreements, final reports and
    terminations have services with further checks of their own, tested in tests/review
    and tests/grants/contracts; here only who may fire the transition matters)."""

    def fire(application, actor):
        with transaction.atomic():
            fire_transition(
                subject=Application.objects.get(pk=application.pk),
                transition_name=name,
                actor=actor,
            )

    return fire


def concept_door(name):
    """The decisions on a concept: the application is moved into a concept call first."""

    def fire(application, actor):
        concept_call, _full_call = two_stage_calls()
        Application.objects.filter(pk=application.pk).update(call=concept_call)
        door(name)(application, actor)

    return fire


def decline(application, actor):
    decline_award(application=application, actor=actor)


# (transition, service, source states, target, who may, message for anyone else)
APPLICATION_TRANSITIONS = [
    (
        "submit",
        submit,
        [S.DRAFT],
        S.SUBMITTED,
        APPLICANT,
        NOT_NOW,
    ),
    (
        "withdraw",
        withdraw,
        [S.DRAFT, S.SUBMITTED, S.ELIGIBLE, S.IN_REVIEW, S.REVIEWED, S.INVITED],
        S.WITHDRAWN,
        APPLICANT,
        "This application can no longer be withdrawn.",
    ),
    ("mark_eligible", screen(True), [S.SUBMITTED], S.ELIGIBLE, STAFF, NOT_NOW),
    ("mark_ineligible", screen(False), [S.SUBMITTED], S.INELIGIBLE, STAFF, NOT_NOW),
    ("mark_eligible-bulk", bulk("mark_eligible"), [S.SUBMITTED], S.ELIGIBLE, STAFF, NOT_IN_CALL),
    ("start_review-bulk", bulk("start_review"), [S.ELIGIBLE], S.IN_REVIEW, STAFF, NOT_IN_CALL),
    ("close_review-bulk", bulk("close_review"), [S.IN_REVIEW], S.REVIEWED, STAFF, NOT_IN_CALL),
    # Only the juror whose review is the last one of the application may: nobody here.
    ("complete_reviews", door("complete_reviews"), [S.IN_REVIEW], S.REVIEWED, frozenset(), NOT_NOW),
    ("approve", door("approve"), [S.REVIEWED, S.WAITLISTED], S.APPROVED, STAFF, NOT_NOW),
    ("waitlist", door("waitlist"), [S.REVIEWED], S.WAITLISTED, STAFF, NOT_NOW),
    ("reject", door("reject"), [S.REVIEWED, S.WAITLISTED], S.REJECTED, STAFF, NOT_NOW),
    ("invite", concept_door("invite"), [S.REVIEWED], S.INVITED, STAFF, NOT_NOW),
    ("not_invite", concept_door("not_invite"), [S.REVIEWED], S.NOT_INVITED, STAFF, NOT_NOW),
    # The grantee answers the agreement staff sent them.
    ("sign_agreement", door("sign_agreement"), [S.APPROVED], S.FUNDED, APPLICANT, NOT_NOW),
    (
        "decline_award",
        decline,
        [S.APPROVED],
        S.WITHDRAWN,
        APPLICANT,
        "This award cannot be declined (any more).",
    ),
    (
        "request_final_report",
        door("request_final_report"),
        [S.FUNDED],
        S.FINAL_REPORT_DUE,
        STAFF,
        NOT_NOW,
    ),
    (
        "complete_final_report",
        door("complete_final_report"),
        [S.FINAL_REPORT_DUE],
        S.COMPLETED,
        STAFF,
        NOT_NOW,
    ),
    ("terminate", door("terminate"), [S.FUNDED, S.FINAL_REPORT_DUE], S.TERMINATED, STAFF, NOT_NOW),
]


def application_cases(allowed):
    return [
        pytest.param(service, state, target, role, message, id=f"{name}-{state}-{role}")
        for name, service, states, target, roles, message in APPLICATION_TRANSITIONS
        for state in states
        for role in ROLES
        if (role in roles) is allowed
    ]


def test_every_application_transition_is_covered():
    names = {t.name for t in Application._meta.get_field("state").get_all_transitions(Application)}
    assert {entry[0].removesuffix("-bulk") for entry in APPLICATION_TRANSITIONS} == names


@pytest.fixture
def application():
    return ApplicationFactory(title="Open transit data toolkit")


def put_in_state(application, state):
    """The state, with what its transitions need: an award within the request and the
    budget, and from approval on a grant agreement sent to the grantee."""
    if state in (S.APPROVED, S.FUNDED, S.FINAL_REPORT_DUE):
        make_grant(application, state=state)
        application.refresh_from_db()
        return
    set_state(application, state)
    Application.objects.filter(pk=application.pk).update(
        awarded_amount=application.requested_amount
    )
    application.refresh_from_db()


def actor_for(role, application):
    return application.owner if role == "owner" else make_role_user(role)


def log_of(subject):
    return list(
        TransitionLog.objects.filter(
            content_type__model=type(subject)._meta.model_name, object_id=subject.pk
        ).values_list("action", "from_state", "to_state")
    )


@pytest.mark.parametrize(
    ("service", "state", "target", "role", "message"), application_cases(False)
)
def test_wrong_person_is_refused(
    application, service, state, target, role, message, django_capture_on_commit_callbacks
):
    put_in_state(application, state)
    actor = actor_for(role, application)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(WorkflowError) as refused:
        service(application, actor)
    assert not isinstance(refused.value, StaleObjectError)
    assert str(refused.value.message) == message
    assert Application.objects.get(pk=application.pk).state == state
    assert log_of(application) == []
    assert mail.outbox == []


@pytest.mark.parametrize(("service", "state", "target", "role", "message"), application_cases(True))
def test_right_person_goes_through(application, service, state, target, role, message):
    put_in_state(application, state)
    service(application, actor_for(role, application))
    assert Application.objects.get(pk=application.pk).state == target
    assert [(source, to) for _action, source, to in log_of(application)] == [(state, target)]


CALL_TRANSITIONS = [
    ("open", C.DRAFT, C.OPEN),
    ("close", C.OPEN, C.CLOSED),
    ("start_review", C.CLOSED, C.IN_REVIEW),
    ("decide", C.IN_REVIEW, C.DECIDED),
    ("archive", C.DECIDED, C.ARCHIVED),
]


def test_every_call_transition_is_covered():
    names = {t.name for t in Call._meta.get_field("state").get_all_transitions(Call)}
    assert {name for name, _source, _target in CALL_TRANSITIONS} == names


@pytest.mark.parametrize(
    ("name", "source", "target", "role"),
    [
        pytest.param(name, source, target, role, id=f"{name}-{role}")
        for name, source, target in CALL_TRANSITIONS
        for role in ("applicant", "juror", "ministry")
    ],
)
def test_wrong_person_cannot_move_a_call(name, source, target, role):
    call = set_state(CallFactory(), source)
    with pytest.raises(WorkflowError) as refused:
        transition_call(
            call=call, actor=make_role_user(role), transition_name=name, expected_state=source
        )
    assert not isinstance(refused.value, StaleObjectError)
    assert str(refused.value.message) == NOT_NOW
    assert Call.objects.get(pk=call.pk).state == source
    assert log_of(call) == []


@pytest.mark.parametrize(
    ("name", "source", "target", "role"),
    [
        pytest.param(name, source, target, role, id=f"{name}-{role}")
        for name, source, target in CALL_TRANSITIONS
        for role in sorted(STAFF)
    ],
)
def test_staff_move_a_call(name, source, target, role):
    call = set_state(CallFactory(), source)
    moved = transition_call(
        call=call, actor=make_role_user(role), transition_name=name, expected_state=source
    )
    assert Call.objects.get(pk=call.pk).state == target
    assert moved.reviews_started == 0  # the call has no application to start
    assert log_of(call) == [(f"grants.call.{CALL_ACTIONS[name]}", source, target)]
    # A call's steps are staff business: not on any applicant's timeline.
    # (Marking it decided also seals the jury's selection record: logged on the record.)
    entry = TransitionLog.objects.get(
        content_type=ContentType.objects.get_for_model(Call), object_id=call.pk
    )
    assert entry.visible_to_applicant is False


CALL_ACTIONS = {
    "open": "opened",
    "close": "closed",
    "start_review": "review_started",
    "decide": "decided",
    "archive": "archived",
}
