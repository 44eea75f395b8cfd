"""Every transition of the application workflow × every source state × every role:
django-fsm must allow exactly the combinations the design allows, and refuse the rest."""

import itertools

import pytest
from django_fsm import can_proceed, has_transition_perm

from accounts.models import User
from accounts.roles import Role
from grants.models import Application
from grants.states import ApplicationState as S
from tests.factories import ApplicationFactory, make_grant, set_state
from tests.two_stage import two_stage_calls

ROLES = ["owner", "other_applicant", "juror", "staff", "ministry", "admin"]
STAFF_ROLES = {"staff", "admin"}

# transition → (source states, roles allowed to fire it)
ALLOWED = {
    "submit": ({S.DRAFT}, {"owner"}),
    "withdraw": (
        {S.DRAFT, S.SUBMITTED, S.ELIGIBLE, S.IN_REVIEW, S.REVIEWED, S.INVITED},
        {"owner"},
    ),
    "mark_eligible": ({S.SUBMITTED}, STAFF_ROLES),
    "mark_ineligible": ({S.SUBMITTED}, STAFF_ROLES),
    "start_review": ({S.ELIGIBLE}, STAFF_ROLES),
    "close_review": ({S.IN_REVIEW}, STAFF_ROLES),
    # Fired by the juror whose review completes the application (tests/review): nobody here
    # is assigned to it.
    "complete_reviews": ({S.IN_REVIEW}, set()),
    "approve": ({S.REVIEWED, S.WAITLISTED}, STAFF_ROLES),
    "waitlist": ({S.REVIEWED}, STAFF_ROLES),
    "reject": ({S.REVIEWED, S.WAITLISTED}, STAFF_ROLES),
    # The decisions on a concept (its call is the first of two stages; tested there).
    "invite": ({S.REVIEWED}, STAFF_ROLES),
    "not_invite": ({S.REVIEWED}, STAFF_ROLES),
    # The grantee accepts the agreement staff sent, or declines the award.
    "sign_agreement": ({S.APPROVED}, {"owner"}),
    "decline_award": ({S.APPROVED}, {"owner"}),
    "request_final_report": ({S.FUNDED}, STAFF_ROLES),
    "complete_final_report": ({S.FINAL_REPORT_DUE}, STAFF_ROLES),
    "terminate": ({S.FUNDED, S.FINAL_REPORT_DUE}, STAFF_ROLES),
}

CONCEPT_DECISIONS = ("invite", "not_invite")
CASES = [
    pytest.param(name, state, role, id=f"{name}-{state}-{role}")
    for name, state, role in itertools.product(ALLOWED, S.values, ROLES)
]


def test_every_model_transition_is_in_the_table():
    names = {t.name for t in Application._meta.get_field("state").get_all_transitions(Application)}
    assert names == set(ALLOWED)


def test_every_required_state_is_reachable():
    targets = {S.DRAFT} | {
        t.target for t in Application._meta.get_field("state").get_all_transitions(Application)
    }
    assert targets == set(S.values)


def person(role, pk):
    """An unsaved user holding one role: the rules need only the roles and the identity."""
    user = User(pk=pk, email=f"{role}@example.org", is_superuser=role == "admin")
    user.__dict__["role_names"] = frozenset(
        {"admin": {Role.STAFF}, "other_applicant": {Role.APPLICANT}}.get(role, {role})
    )
    return user


PEOPLE = {role: person(role, 90_000 + index) for index, role in enumerate(ROLES) if role != "owner"}


@pytest.mark.django_db
@pytest.mark.parametrize(("transition", "state", "role"), CASES)
def test_transition_permission(transition, state, role):
    # A complete application in an open call, with an ineligibility reason and an award
    # within the budget, so that only the state and the role decide.
    application = ApplicationFactory(
        ineligibility_reasons=["other"],
        **({"call": two_stage_calls()[0]} if transition in CONCEPT_DECISIONS else {}),
    )
    if transition in ("sign_agreement", "decline_award"):
        # The agreement has been sent to the grantee (the condition of both).
        make_grant(application, state=state)
    else:
        set_state(application, state)  # reloads the row
    application.awarded_amount = application.requested_amount
    user = application.owner if role == "owner" else PEOPLE[role]
    method = getattr(application, transition)
    sources, roles = ALLOWED[transition]
    expected = state in sources and role in roles
    assert (can_proceed(method) and has_transition_perm(method, user)) is expected


@pytest.mark.django_db
@pytest.mark.parametrize("transition", ["approve", "waitlist", "reject"])
def test_a_concept_is_not_decided_with_money(transition):
    application = set_state(ApplicationFactory(call=two_stage_calls()[0]), S.REVIEWED)
    application.awarded_amount = application.requested_amount
    assert not can_proceed(getattr(application, transition))


@pytest.mark.django_db
@pytest.mark.parametrize("transition", CONCEPT_DECISIONS)
def test_only_a_concept_is_invited(transition):
    application = set_state(ApplicationFactory(), S.REVIEWED)
    assert not can_proceed(getattr(application, transition))
