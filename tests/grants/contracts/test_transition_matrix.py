"""Every transition of the contract workflows (milestones, change requests, final reports,
account confirmations, transfer files) × every source state × every role: django-fsm allows
exactly what the design allows."""

import itertools
import uuid

import pytest
from django.utils import timezone
from django_fsm import can_proceed, has_transition_perm

from grants.models import (
    BankDetailsCheck,
    ChangeRequest,
    FinalReport,
    Milestone,
    ProofOfUse,
    SepaBatch,
    StatementLine,
)
from grants.states import ApplicationState as A
from grants.states import BankCheckState as B
from grants.states import ChangeRequestState as C
from grants.states import FinalReportState as F
from grants.states import MilestoneState as M
from grants.states import SepaBatchState as T
from grants.states import StatementLineState as L
from tests.factories import make_grant, set_state
from tests.grants.test_transition_matrix import PEOPLE, ROLES

STAFF = {"staff", "admin"}
GRANTEE = {"owner"}

MILESTONE = {
    "submit_report": ({M.PLANNED}, GRANTEE),
    "resubmit_report": ({M.CHANGES_REQUESTED}, GRANTEE),
    "accept": ({M.REPORT_SUBMITTED}, STAFF),
    "request_changes": ({M.REPORT_SUBMITTED}, STAFF),
    "mark_paid": ({M.ACCEPTED}, STAFF),
    "cancel": ({M.PLANNED, M.REPORT_SUBMITTED, M.CHANGES_REQUESTED}, STAFF),
}
CHANGE = {"approve": ({C.PENDING}, STAFF), "refuse": ({C.PENDING}, STAFF)}
FINAL = {
    "submit": ({F.DRAFT, F.CHANGES_REQUESTED}, GRANTEE),
    "accept": ({F.SUBMITTED}, STAFF),
    "request_changes": ({F.SUBMITTED}, STAFF),
}
# Staff confirm an account after calling back; the grantee's newer account replaces it.
BANK_CHECK = {"confirm": ({B.PENDING}, STAFF), "supersede": ({B.PENDING}, GRANTEE)}
# A transfer file (here one without payments: four eyes is tested in test_batches.py).
BATCH = {"mark_paid": ({T.EXPORTED}, STAFF), "cancel": ({T.EXPORTED}, STAFF)}
# A proof of use's line, checked while its final report is submitted.
LINE = {
    "accept": ({L.OPEN, L.ANSWERED}, STAFF),
    "ask": ({L.OPEN, L.ANSWERED, L.ACCEPTED}, STAFF),
    "reply": ({L.QUERIED}, GRANTEE),
}


@pytest.mark.parametrize(
    ("model", "table"),
    [
        (Milestone, MILESTONE),
        (ChangeRequest, CHANGE),
        (FinalReport, FINAL),
        (BankDetailsCheck, BANK_CHECK),
        (SepaBatch, BATCH),
        (StatementLine, LINE),
    ],
)
def test_every_transition_is_in_the_tables(model, table):
    names = {t.name for t in model._meta.get_field("state").get_all_transitions(model)}
    assert names == set(table) != set()


def user_for(role, grant):
    return grant.application.owner if role == "owner" else PEOPLE[role]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("transition", "state", "role"),
    [
        pytest.param(name, state, role, id=f"{name}-{state}-{role}")
        for name, state, role in itertools.product(MILESTONE, M.values, ROLES)
    ],
)
def test_milestone_transition(transition, state, role):
    grant = make_grant(state=A.FUNDED)
    milestone = set_state(grant.milestones.first(), state)
    sources, roles = MILESTONE[transition]
    method = getattr(milestone, transition)
    expected = state in sources and role in roles
    assert (can_proceed(method) and has_transition_perm(method, user_for(role, grant))) is expected


@pytest.mark.django_db
@pytest.mark.parametrize("application_state", [A.APPROVED, A.COMPLETED, A.TERMINATED, A.WITHDRAWN])
def test_grantee_reports_only_while_the_project_runs(application_state):
    grant = make_grant(state=application_state)
    milestone = grant.milestones.first()
    assert has_transition_perm(milestone.submit_report, grant.application.owner) is False


@pytest.mark.django_db
def test_grantee_reports_while_the_final_report_is_due():
    grant = make_grant(state=A.FINAL_REPORT_DUE)
    assert has_transition_perm(grant.milestones.first().submit_report, grant.application.owner)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("transition", "state", "role"),
    [
        pytest.param(name, state, role, id=f"{name}-{state}-{role}")
        for name, state, role in itertools.product(CHANGE, C.values, ROLES)
    ],
)
def test_change_request_transition(transition, state, role):
    grant = make_grant(state=A.FUNDED)
    change = ChangeRequest.objects.create(
        grant=grant, kind="end_date", reason="Illness", requested_by=grant.application.owner
    )
    set_state(change, state)
    sources, roles = CHANGE[transition]
    method = getattr(change, transition)
    expected = state in sources and role in roles
    assert (can_proceed(method) and has_transition_perm(method, user_for(role, grant))) is expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("transition", "state", "role"),
    [
        pytest.param(name, state, role, id=f"{name}-{state}-{role}")
        for name, state, role in itertools.product(FINAL, F.values, ROLES)
    ],
)
def test_final_report_transition(transition, state, role):
    grant = make_grant(state=A.FINAL_REPORT_DUE)
    report = set_state(FinalReport.objects.create(grant=grant), state)
    sources, roles = FINAL[transition]
    method = getattr(report, transition)
    expected = state in sources and role in roles
    assert (can_proceed(method) and has_transition_perm(method, user_for(role, grant))) is expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("transition", "state", "role"),
    [
        pytest.param(name, state, role, id=f"{name}-{state}-{role}")
        for name, state, role in itertools.product(BANK_CHECK, B.values, ROLES)
    ],
)
def test_bank_check_transition(transition, state, role):
    grant = make_grant(state=A.FUNDED)
    check = BankDetailsCheck.objects.create(
        grant=grant,
        reason="change",
        account_holder="Ada",
        iban_masked=grant.iban_masked,
        confirmed_by=grant.application.owner,  # a confirmed one names someone (constraint)
        confirmed_at=timezone.now(),
    )
    check = set_state(check, state)
    sources, roles = BANK_CHECK[transition]
    method = getattr(check, transition)
    expected = state in sources and role in roles
    assert (can_proceed(method) and has_transition_perm(method, user_for(role, grant))) is expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("transition", "state", "role"),
    [
        pytest.param(name, state, role, id=f"{name}-{state}-{role}")
        for name, state, role in itertools.product(BATCH, T.values, ROLES)
    ],
)
def test_sepa_batch_transition(transition, state, role):
    grant = make_grant(state=A.FUNDED)
    batch = SepaBatch.objects.create(
        message_id=f"T-{uuid.uuid4().hex[:30]}",
        created_by=grant.application.owner,  # any user: the rules do not ask
        execution_date=timezone.localdate(),
        payment_count=0,
        total=0,
        paid_on=timezone.localdate(),
        cancel_reason="Never uploaded.",
    )
    batch = set_state(batch, state)
    sources, roles = BATCH[transition]
    method = getattr(batch, transition)
    expected = state in sources and role in roles
    assert (can_proceed(method) and has_transition_perm(method, user_for(role, grant))) is expected


@pytest.mark.django_db
def test_the_daily_command_may_request_final_reports_and_nobody_but_staff_else():
    grant = make_grant(state=A.FUNDED)
    application = grant.application
    assert has_transition_perm(application.request_final_report, None) is True
    assert has_transition_perm(application.request_final_report, application.owner) is False
    assert has_transition_perm(application.request_final_report, PEOPLE["ministry"]) is False


def statement_line(grant, report_state, line_state):
    report = set_state(FinalReport.objects.create(grant=grant), report_state)
    proof = ProofOfUse.objects.create(final_report=report)
    line = StatementLine.objects.create(proof=proof, kind="person", position=1, name="Ada",
                                        hours=10, amount=500)  # fmt: skip
    return set_state(line, line_state)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("transition", "state", "role"),
    [
        pytest.param(name, state, role, id=f"{name}-{state}-{role}")
        for name, state, role in itertools.product(LINE, L.values, ROLES)
    ],
)
def test_statement_line_transition(transition, state, role):
    grant = make_grant(state=A.FINAL_REPORT_DUE)
    line = statement_line(grant, F.SUBMITTED, state)
    sources, roles = LINE[transition]
    method = getattr(line, transition)
    expected = state in sources and role in roles
    assert (can_proceed(method) and has_transition_perm(method, user_for(role, grant))) is expected


@pytest.mark.django_db
@pytest.mark.parametrize("report_state", [F.DRAFT, F.CHANGES_REQUESTED, F.ACCEPTED])
def test_statement_lines_are_checked_only_while_the_report_is_handed_in(report_state):
    grant = make_grant(state=A.FINAL_REPORT_DUE)
    line = statement_line(grant, report_state, L.OPEN)
    assert has_transition_perm(line.accept, PEOPLE["staff"]) is False
    queried = set_state(line, L.QUERIED)
    assert has_transition_perm(queried.reply, grant.application.owner) is False
