"""Questions can unlock milestones, their hours (the budget) and the team as well as text;
what an answer changed is kept in its log entry's data, and staff see it as a diff per
section, with a marker in the timeline."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from core.errors import WorkflowError
from grants.models import Application, InformationRequest, TeamMember
from grants.services.applications import answer_information_request
from grants.states import ApplicationState
from tests.factories import ApplicationFactory, CallFactory, make_user, set_state
from tests.grants.staff.helpers import sign_in_with_mfa
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db


def questioned(sections, **application):
    application = set_state(
        ApplicationFactory(call=CallFactory(), **application), ApplicationState.SUBMITTED
    )
    InformationRequest.objects.create(
        application=application,
        question="Please sharpen the plan.",
        editable_sections=sections,
        due_on=dt.date(2099, 1, 1),
        asked_by=make_user(Role.STAFF),
    )
    return application


def milestone_rows(application, **changes):
    rows = [
        {"title": m.title, "deliverable": m.deliverable, "month": m.month, "hours": m.hours}
        for m in application.planned_milestones.all()
    ]
    for index, values in changes.items():
        rows[int(index)].update(values)
    return rows


def test_the_answer_records_what_it_changed(django_capture_on_commit_callbacks):
    application = questioned(["summary", "milestones"])

    with django_capture_on_commit_callbacks(execute=True):
        answer_information_request(
            application=application,
            actor=application.owner,
            answer="Sharper now.",
            section_values={"summary": "A sharper summary."},
            expected_version=application.version,
            milestones=milestone_rows(application, **{"1": {"month": 5, "hours": 320}}),
        )

    entry = TransitionLog.objects.get(action="grants.application.information_provided")
    request = InformationRequest.objects.get()
    assert entry.data == {
        "information_request": request.pk,
        "changes": {
            "summary": {
                "from": "A toolkit that turns timetable data into accessible open data.",
                "to": "A sharper summary.",
            },
            "milestones": {
                "from": [
                    {"title": "Milestone 1", "deliverable": "Release 1", "month": 2, "hours": 300},
                    {"title": "Milestone 2", "deliverable": "Release 2", "month": 4, "hours": 300},
                    {"title": "Milestone 3", "deliverable": "Release 3", "month": 6, "hours": 300},
                ],
                "to": [
                    {"title": "Milestone 1", "deliverable": "Release 1", "month": 2, "hours": 300},
                    {"title": "Milestone 2", "deliverable": "Release 2", "month": 5, "hours": 320},
                    {"title": "Milestone 3", "deliverable": "Release 3", "month": 6, "hours": 300},
                ],
            },
            "budget": {
                "from": {"hours": 900, "requested": "44887.50"},
                "to": {"hours": 920, "requested": "45885.00"},
            },
        },
    }
    application.refresh_from_db()
    assert (application.total_hours, application.requested_amount) == (920, Decimal("45885.00"))


def test_the_budget_alone_changes_only_the_hours():
    application = questioned(["budget"])

    answer_with(application, "Less time for the last step.", milestone_hours=[300, 300, 200])

    application.refresh_from_db()
    assert [m.hours for m in application.planned_milestones.all()] == [300, 300, 200]
    assert [m.title for m in application.planned_milestones.all()] == [
        "Milestone 1",
        "Milestone 2",
        "Milestone 3",
    ]
    assert application.total_hours == 800


def answer_with(application, answer="Here it is.", **rows):
    """The owner answers, changing only the unlocked rows given."""
    answer_information_request(
        application=application,
        actor=application.owner,
        answer=answer,
        section_values={},
        expected_version=application.version,
        **rows,
    )


def test_hours_unlocked_alone_must_still_make_whole_milestones():
    """Unlocking the budget unlocks the milestones' hours, and so their checks."""
    application = questioned(["budget"])

    with translation.override("en"), pytest.raises(WorkflowError) as refused:
        answer_with(application, milestone_hours=[300, None, 300])

    assert refused.value.field_errors == {"milestones": ["Milestone 2: plan at least one hour."]}
    assert [
        m.hours for m in Application.objects.get(pk=application.pk).planned_milestones.all()
    ] == [300, 300, 300]
    assert InformationRequest.objects.get().answered_at is None


@pytest.mark.parametrize(
    ("section", "rows"),
    [
        (
            "milestones",
            {"milestones": [{"title": "M" * 201, "deliverable": "Code", "month": 1, "hours": 10}]},
        ),
        ("team", {"team_members": [{"email": "ada@example.org", "name": "A" * 201}]}),
    ],
)
def test_an_unlocked_row_over_its_length_is_refused_and_changes_nothing(section, rows):
    application = questioned([section])
    before = list(application.planned_milestones.values_list("title", flat=True))

    with translation.override("en"), pytest.raises(WorkflowError) as refused:
        answer_with(application, **rows)

    assert str(refused.value) == "Some entries are too long or not valid."
    assert list(refused.value.field_errors) == [section]
    assert list(application.planned_milestones.values_list("title", flat=True)) == before
    assert not application.team_members.filter(name__startswith="AAA").exists()
    assert InformationRequest.objects.get().answered_at is None


def test_an_answer_over_the_cap_is_refused_and_changes_nothing():
    application = questioned(["budget"])

    with pytest.raises(WorkflowError) as refused:
        answer_with(application, "More time.", milestone_hours=[900, 900, 900])

    assert list(refused.value.field_errors) == ["budget"]
    assert [
        m.hours for m in Application.objects.get(pk=application.pk).planned_milestones.all()
    ] == [
        300,
        300,
        300,
    ]
    assert InformationRequest.objects.get().answered_at is None


def test_parts_that_were_not_unlocked_stay_locked():
    application = questioned(["summary"])

    with pytest.raises(WorkflowError):
        answer_information_request(
            application=application,
            actor=application.owner,
            answer="Also the team.",
            section_values={},
            expected_version=application.version,
            team_members=[{"name": "Eve", "email": "eve@example.org"}],
        )

    assert not TeamMember.objects.exists()


def test_a_new_team_member_is_invited(django_capture_on_commit_callbacks):
    application = questioned(["team"], track="team_6", members=["ana@example.org"])
    TeamMember.objects.update(invited_at=application.created_at)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        answer_information_request(
            application=application,
            actor=application.owner,
            answer="Ben joins us.",
            section_values={},
            expected_version=application.version,
            team_members=[
                {"name": "Member 0", "email": "ana@example.org"},
                {"name": "Ben", "email": "ben@example.org"},
            ],
        )

    assert [message.to for message in mail.outbox] == [["ben@example.org"]]
    assert TeamMember.objects.filter(invited_at__isnull=True).count() == 0


def test_the_applicant_answers_through_the_form(client):
    application = questioned(["milestones", "team"], track="team_6", members=["a@x.org"])
    client.force_login(application.owner)
    page = client.get(reverse("application_answer", args=[application.pk])).content.decode()
    assert 'name="milestones-0-title"' in page
    assert 'name="team-0-email" value="a@x.org"' in page
    data = {
        "version": application.version,
        "answer": "Updated.",
        "milestones-TOTAL_FORMS": 5,
        "milestones-INITIAL_FORMS": 0,
        "team-TOTAL_FORMS": 3,
        "team-INITIAL_FORMS": 0,
        "team-0-name": "Member 0",
        "team-0-email": "a@x.org",
    }
    for index, m in enumerate(application.planned_milestones.all()):
        data |= {
            f"milestones-{index}-title": m.title,
            f"milestones-{index}-deliverable": m.deliverable,
            f"milestones-{index}-month": m.month,
            f"milestones-{index}-hours": m.hours,
        }
    data["milestones-2-title"] = "Public release"

    response = client.post(reverse("application_answer", args=[application.pk]), data)

    assert response.status_code == 302
    assert [m.title for m in Application.objects.get(pk=application.pk).planned_milestones.all()][
        2
    ] == "Public release"


def test_staff_see_a_diff_per_section_and_a_marker_in_the_timeline(client):
    application = questioned(["summary", "milestones"])
    answer_information_request(
        application=application,
        actor=application.owner,
        answer="Sharper now.",
        section_values={"summary": "A toolkit that turns timetable data into open data."},
        expected_version=application.version,
        milestones=milestone_rows(application, **{"2": {"title": "Public release"}}),
    )
    staff = make_user(Role.STAFF)
    sign_in_with_mfa(client, staff)

    html = client.get(reverse("staff_application_detail", args=[application.pk])).content.decode()

    request = InformationRequest.objects.get()
    assert f'<div id="answer-{request.pk}" class="answer-changes">' in html
    assert "<h4>What the answer changed</h4>" in html
    assert "<h5>Summary</h5>" in html
    assert '<del><span class="visually-hidden">removed: </span>accessible </del>' in html
    assert "<h5>Milestones</h5>" in html
    assert (
        '<li class="diff-removed"><del><span class="visually-hidden">removed: </span>'
        "3. Milestone 3 – Release 3 (month 6, 300 hours)</del></li>" in html
    )
    assert (
        '<li class="diff-added"><ins><span class="visually-hidden">added: </span>'
        "3. Public release – Release 3 (month 6, 300 hours)</ins></li>" in html
    )
    assert '<span class="badge badge-change">Changed: Summary, Milestones</span>' in html
    assert f'<a href="#answer-{request.pk}">See what changed</a>' in html


def test_an_answer_that_changed_nothing_says_so(client):
    application = questioned(["summary"])
    answer_information_request(
        application=application,
        actor=application.owner,
        answer="It is right as it is.",
        section_values={"summary": application.summary},
        expected_version=application.version,
    )
    sign_in_with_mfa(client, make_user(Role.STAFF))

    html = client.get(reverse("staff_application_detail", args=[application.pk])).content.decode()

    assert "The answer changed none of the unlocked sections." in html
    assert '<span class="badge">No section changed</span>' in html


def test_staff_can_unlock_milestones_budget_and_team(client):
    application = set_state(ApplicationFactory(call=CallFactory()), ApplicationState.SUBMITTED)
    sign_in_with_mfa(client, make_user(Role.STAFF))

    client.post(
        reverse("staff_request_information", args=[application.pk]),
        {
            "question": "Please plan the release later.",
            "due_on": (dt.date.today() + dt.timedelta(days=7)).isoformat(),
            "editable_sections": ["milestones", "budget", "team"],
        },
    )

    assert InformationRequest.objects.get().editable_sections == ["milestones", "budget", "team"]
