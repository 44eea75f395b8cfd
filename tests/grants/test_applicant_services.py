"""Applicant services called directly: the team list of a draft, invitations on submission,
answers that change sections, and transitions fired on an object someone else moved."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.utils import timezone

from accounts.roles import Role
from grants.models import Answer, Application, TeamMember, TransitionLog
from grants.questions import proposal_questions
from grants.services.applications import (
    answer_information_request,
    start_application,
    submit_application,
    update_draft,
    withdraw_application,
)
from grants.services.errors import StaleObjectError, WorkflowError
from grants.services.screening import request_information
from grants.services.transitions import fire_transition
from grants.states import ApplicationState
from tests.factories import (
    ApplicationFactory,
    CallFactory,
    answer_text,
    make_user,
    set_state,
    track_of,
)

pytestmark = pytest.mark.django_db

MILESTONES = [
    {"title": f"Step {n}", "deliverable": f"Release {n}", "month": n, "hours": 300}
    for n in (1, 2, 3)
]


def team_of(application):
    return list(application.team_members.order_by("email").values_list("email", "name"))


def save_team(application, team):
    return update_draft(
        application=application,
        actor=application.owner,
        expected_version=Application.objects.get(pk=application.pk).version,
        fields={"track": track_of(application.call, "team_6")},
        milestones=MILESTONES,
        team_members=team,
    )


def test_draft_team_is_added_renamed_and_removed():
    application = ApplicationFactory(track="team_6")
    save_team(
        application,
        [{"email": "Ada@Example.org", "name": "Ada"}, {"email": "bo@example.org", "name": "Bo"}],
    )
    # A draft keeps addresses as typed; they are matched regardless of case.
    assert team_of(application) == [("Ada@Example.org", "Ada"), ("bo@example.org", "Bo")]
    kept = TeamMember.objects.get(email__iexact="ada@example.org")

    save_team(
        application,
        [
            {"email": "ADA@example.org", "name": "Ada Lovelace"},
            {"email": "cy@example.org", "name": "Cy"},
        ],
    )
    assert team_of(application) == [("Ada@Example.org", "Ada Lovelace"), ("cy@example.org", "Cy")]
    # The same member, renamed, not replaced.
    assert TeamMember.objects.get(email__iexact="ada@example.org").pk == kept.pk

    save_team(application, [])
    assert team_of(application) == []


def test_members_typed_twice_with_one_address_stay_who_they_were_in_the_order_typed():
    """Rows repeating an address are kept as typed (the rules flag them); the first row
    typed stays the first member stored, so nobody is renamed into someone else."""
    application = ApplicationFactory(track="team_6")
    twice = [
        {"email": "ada@example.org", "name": "Ada"},
        {"email": "ada@example.org", "name": "Bo"},
    ]
    save_team(application, twice)
    first, second = application.team_members.order_by("pk")

    save_team(application, twice)

    assert list(application.team_members.order_by("pk").values_list("pk", "name")) == [
        (first.pk, "Ada"),
        (second.pk, "Bo"),
    ]


def test_draft_saves_milestones_hours_and_the_requested_amount():
    application = ApplicationFactory()
    saved = save_team(application, [{"email": "ada@example.org", "name": "Ada"}])
    assert (saved.total_hours, saved.requested_amount, saved.version) == (
        900,
        saved.budget()["requested"],
        application.version + 1,
    )
    assert list(saved.planned_milestones.values_list("position", "title", "month")) == [
        (1, "Step 1", 1),
        (2, "Step 2", 2),
        (3, "Step 3", 3),
    ]


def test_submission_invites_the_team_once(django_capture_on_commit_callbacks):
    application = ApplicationFactory(track="team_6", members=["ada@example.org", "bo@example.org"])
    TeamMember.objects.filter(email="bo@example.org").update(
        invited_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    )
    with django_capture_on_commit_callbacks(execute=True):
        submit_application(
            application=application, actor=application.owner, expected_version=application.version
        )
    invitations = [m for m in mail.outbox if "team member" in m.subject]
    assert [(m.to, m.subject) for m in invitations] == [
        (
            ["ada@example.org"],
            f"[Civic Tech Fund] You are named as a team member of application {application.reference}",
        )
    ]
    assert TeamMember.objects.filter(invited_at__isnull=True).count() == 0


@pytest.fixture
def questioned():
    application = set_state(ApplicationFactory(), ApplicationState.SUBMITTED)
    request_information(
        application=application,
        actor=make_user(Role.STAFF),
        question="Please shorten the summary.",
        due_on=timezone.localdate() + dt.timedelta(days=9),
        editable_sections=["summary", "title"],
    )
    application.refresh_from_db()
    return application


def answer(application, **sections):
    return answer_information_request(
        application=application,
        actor=application.owner,
        answer="Done.",
        section_values=sections,
        expected_version=application.version,
    )


def test_an_answer_keeps_word_limits(questioned):
    summary = questioned.summary
    with pytest.raises(WorkflowError) as refused:
        answer(questioned, summary="word " * 101)
    assert (str(refused.value.message), refused.value.field_errors) == (
        "Your answer was not sent: the application must stay complete. "
        "Please correct the marked sections.",
        {"summary": ["101 words; at most 100 are allowed."]},
    )
    questioned.refresh_from_db()
    assert questioned.summary == summary
    answer(questioned, summary="word " * 100)
    questioned.refresh_from_db()
    assert questioned.summary == "word " * 100


def test_an_unlocked_section_over_the_limit_must_be_fixed_with_the_answer(questioned):
    """The application stays complete: what staff unlocked is checked as on submission,
    even where the answer leaves it unchanged; a section that was not unlocked is not."""
    Application.objects.filter(pk=questioned.pk).update(summary="word " * 120)
    Answer.objects.filter(application=questioned, question__key="target_group").update(
        text="word " * 120
    )
    questioned.refresh_from_db()
    with pytest.raises(WorkflowError) as refused:
        answer(questioned, summary="word " * 120, title="A new title")
    assert refused.value.field_errors == {"summary": ["120 words; at most 100 are allowed."]}
    answer(questioned, summary="word " * 100, title="A new title")
    questioned.refresh_from_db()
    assert (questioned.title, answer_text(questioned, "target_group")) == (
        "A new title",
        "word " * 120,
    )


def test_an_empty_answer_is_refused(questioned):
    with pytest.raises(WorkflowError) as refused:
        answer_information_request(
            application=questioned,
            actor=questioned.owner,
            answer="  ",
            section_values={},
            expected_version=questioned.version,
        )
    assert refused.value.field_errors == {"answer": ["This field is required."]}


def test_a_stale_answer_is_refused(questioned):
    with pytest.raises(StaleObjectError):
        answer_information_request(
            application=questioned,
            actor=questioned.owner,
            answer="Done.",
            section_values={},
            expected_version=questioned.version - 1,
        )


def test_a_transition_on_an_object_someone_else_moved_is_stale():
    """Two copies of one application: the second save finds the state changed under it."""
    application = set_state(ApplicationFactory(), ApplicationState.SUBMITTED)
    staff = make_user(Role.STAFF)
    first, second = (Application.objects.get(pk=application.pk) for _ in range(2))
    with transaction.atomic():
        fire_transition(subject=first, transition_name="mark_eligible", actor=staff, note="a")
    with pytest.raises(StaleObjectError), transaction.atomic():
        fire_transition(subject=second, transition_name="mark_eligible", actor=staff, note="b")
    assert Application.objects.get(pk=application.pk).state == ApplicationState.ELIGIBLE
    assert list(TransitionLog.objects.values_list("note", flat=True)) == ["a"]


def test_the_deadline_message_names_the_last_minute_in_berlin_time():
    berlin = ZoneInfo("Europe/Berlin")
    application = ApplicationFactory(
        call=CallFactory(
            opens_at=dt.datetime(2026, 11, 1, tzinfo=berlin),
            closes_at=dt.datetime(2026, 12, 1, tzinfo=berlin),
        )
    )
    moment = dt.datetime(2026, 12, 1, 0, 0, 1, tzinfo=berlin)
    with time_machine.travel(moment, tick=False), pytest.raises(WorkflowError) as refused:
        submit_application(
            application=application, actor=application.owner, expected_version=application.version
        )
    assert str(refused.value.message) == (
        "The call closed on 30 November 2026, 23:59 (Berlin time). "
        "Your draft is kept, but it can no longer be submitted."
    )


def test_a_call_without_a_closing_time_accepts_nothing():
    application = ApplicationFactory(call=CallFactory(closes_at=None))
    with pytest.raises(WorkflowError) as refused:
        submit_application(
            application=application, actor=application.owner, expected_version=application.version
        )
    assert str(refused.value.message) == "This call does not accept applications."


def test_the_applicant_sees_start_and_withdrawal_on_the_timeline():
    application = ApplicationFactory()
    start_application(call=application.call, actor=application.owner)
    withdraw_application(
        application=application, actor=application.owner, expected_state=ApplicationState.DRAFT
    )
    assert list(
        TransitionLog.objects.order_by("pk").values_list("action", "visible_to_applicant")
    ) == [("grants.application.created", True), ("grants.application.withdrawn", True)]


def test_hours_of_a_milestone_left_empty_count_as_none():
    application = ApplicationFactory()
    milestones = [*MILESTONES[:2], {**MILESTONES[2], "hours": None}]
    saved = update_draft(
        application=application,
        actor=application.owner,
        expected_version=application.version,
        fields={},
        milestones=milestones,
        team_members=[],
    )
    assert saved.total_hours == 600


def test_an_answer_bumps_the_version_once(questioned):
    version = questioned.version
    answer(questioned, title="A new title")
    questioned.refresh_from_db()
    assert questioned.version == version + 1


def test_the_question_reaches_the_applicant(django_capture_on_commit_callbacks):
    application = set_state(ApplicationFactory(), ApplicationState.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        request_information(
            application=application,
            actor=make_user(Role.STAFF),
            question="Which licence will the data have?",
            due_on=dt.date(2026, 12, 10),
        )
    [message] = mail.outbox
    assert "\n\nWhich licence will the data have?\n\n" in message.body


def test_a_draft_takes_answers_to_the_questions_the_caller_read():
    application = ApplicationFactory()
    questions = proposal_questions(application.call)
    key = questions[0].key
    saved = update_draft(
        application=application,
        actor=application.owner,
        expected_version=application.version,
        fields={},
        milestones=MILESTONES,
        team_members=[],
        answers={key: "Typed once, read once."},
        questions=questions,
    )
    assert saved.version == application.version + 1
    assert answer_text(application, key) == "Typed once, read once."


def test_questions_of_another_call_are_refused_and_nothing_is_saved():
    application = ApplicationFactory()
    other = proposal_questions(CallFactory())
    before = (application.version, Answer.objects.count())
    with pytest.raises(ValueError, match="another call"):
        update_draft(
            application=application,
            actor=application.owner,
            expected_version=application.version,
            fields={"title": "Changed"},
            milestones=MILESTONES,
            team_members=[],
            answers={other[0].key: "Not here."},
            questions=other,
        )
    application.refresh_from_db()
    assert (application.version, Answer.objects.count()) == before
    assert application.title != "Changed"
