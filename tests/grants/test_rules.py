"""The object rules of grants/rules.py asked directly: who may do what with which
application, at each state, including people who are not signed in and missing objects.
(The permission matrix asks the same through the pages.)"""

import datetime as dt

import pytest
import rules
from django.contrib.auth.models import AnonymousUser

from accounts.access import may
from grants.models import Attachment, InformationRequest
from grants.states import ApplicationState as S
from tests.accounts.helpers import make_role_user
from tests.factories import ApplicationFactory, make_user, set_state

pytestmark = pytest.mark.django_db

PEOPLE = ("anonymous", "owner", "team_member", "applicant", "juror", "staff", "ministry", "admin")
# Staff work on the fund as a whole.
STAFF_WORK = ("grants.manage_calls", "grants.list_applications")
# Staff work on one application, which staff must see (no draft).
STAFF_APPLICATION_WORK = (
    "grants.screen_application",
    "grants.request_information",
    "grants.comment_internally",
    "grants.manage_review",
    "grants.decide_application",
    "grants.manage_grant",
)


@pytest.fixture
def world():
    application = ApplicationFactory(track="team_6", members=["Mate@Example.org"])
    people = {
        "anonymous": AnonymousUser(),
        "owner": application.owner,
        "team_member": make_user(email="mate@example.org"),
        **{role: make_role_user(role) for role in ("applicant", "juror", "staff", "ministry")},
        "admin": make_role_user("admin"),
    }
    return application, people


def allowed(permission, people, obj=None):
    return {name for name, user in people.items() if may(user, permission, obj)}


@pytest.mark.parametrize(
    ("state", "readers"),
    [
        # Staff never see drafts; team members only from the submission on.
        (S.DRAFT, {"owner"}),
        (S.SUBMITTED, {"owner", "team_member", "staff", "admin"}),
        # Ministry viewers read funded projects on the ministry's pages only, never here.
        (S.FUNDED, {"owner", "team_member", "staff", "admin"}),
        (S.WITHDRAWN, {"owner", "team_member", "staff", "admin"}),
    ],
)
def test_who_reads_an_application(world, state, readers):
    application, people = world
    set_state(application, state)
    assert allowed("grants.view_application", people, application) == readers


@pytest.mark.parametrize("state", list(S))
def test_only_the_owner_edits_submits_and_withdraws(world, state):
    application, people = world
    set_state(application, state)
    draft = {"owner"} if state == S.DRAFT else set()
    assert allowed("grants.edit_application", people, application) == draft
    assert allowed("grants.submit_application", people, application) == draft
    # An invited concept too: withdrawing it withdraws the invitation (two-stage calls).
    withdrawable = state in (S.DRAFT, S.SUBMITTED, S.ELIGIBLE, S.IN_REVIEW, S.REVIEWED, S.INVITED)
    assert allowed("grants.start_full_proposal", people, application) == (
        {"owner"} if state == S.INVITED else set()
    )
    assert allowed("grants.withdraw_application", people, application) == (
        {"owner"} if withdrawable else set()
    )


def test_only_the_owner_answers_an_open_question(world):
    application, people = world
    set_state(application, S.SUBMITTED)
    assert allowed("grants.answer_information_request", people, application) == set()
    question = InformationRequest.objects.create(
        application=application,
        question="Which licence?",
        due_on=dt.date.today() + dt.timedelta(days=9),
        asked_by=people["staff"],
    )
    assert allowed("grants.answer_information_request", people, application) == {"owner"}
    question.answered_at = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    question.save()
    assert allowed("grants.answer_information_request", people, application) == set()


def test_staff_work_and_what_only_admins_do(world):
    application, people = world
    assert allowed("grants.start_application", people) == {"owner", "applicant"}
    for permission in STAFF_WORK:
        assert allowed(permission, people) == {"staff", "admin"}, permission
    for permission in STAFF_APPLICATION_WORK:
        assert allowed(permission, people) == set(), permission  # no application: nobody
        assert allowed(permission, people, application) == set(), permission  # a draft
    set_state(application, S.SUBMITTED)
    for permission in STAFF_APPLICATION_WORK:
        assert allowed(permission, people, application) == {"staff", "admin"}, permission
    assert allowed("grants.change_locked_call_rules", people) == {"admin"}


def test_attachments_follow_their_application(world):
    application, people = world
    attachment = Attachment(
        application=application,
        original_name="plan.pdf",
        stored_name="x.pdf",
        content_type="application/pdf",
        size=10,
        uploaded_by=application.owner,
    )
    assert allowed("grants.view_attachment", people, attachment) == {"owner"}
    assert allowed("grants.remove_attachment", people, attachment) == {"owner"}
    set_state(application, S.SUBMITTED)
    attachment.application.refresh_from_db()
    assert allowed("grants.view_attachment", people, attachment) == {
        "owner",
        "team_member",
        "staff",
        "admin",
    }
    assert allowed("grants.remove_attachment", people, attachment) == set()


@pytest.mark.parametrize(
    "permission",
    [
        "grants.view_application",
        "grants.edit_application",
        "grants.submit_application",
        "grants.withdraw_application",
        "grants.answer_information_request",
        "grants.view_attachment",
        "grants.remove_attachment",
    ],
)
def test_object_rules_refuse_a_missing_object(world, permission):
    _application, people = world
    assert allowed(permission, people, None) == set()


def test_an_inactive_admin_has_no_admin_rights(world):
    admin = make_user(is_superuser=True, is_active=False)
    assert not rules.has_perm("grants.change_locked_call_rules", admin)
