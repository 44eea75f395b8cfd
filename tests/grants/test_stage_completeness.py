"""What each stage of a two-stage call asks before submission (grants.completeness): a
concept its title, summary, topic, track (where the call has tracks) and the call's
questions; the full proposal everything. The completeness check, the preview, the submit
transition's guard and the staff's page agree."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from core.errors import WorkflowError
from grants.completeness import completeness_errors
from grants.models import Application, CallTrack
from grants.questions import proposal_questions
from grants.services.applications import submit_application
from grants.states import ApplicationState as S
from grants.states import CallState
from tests.accounts.helpers import sign_in
from tests.factories import ApplicationFactory, answer_text, make_user
from tests.two_stage import add_question, two_stage_calls
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db


def open_concept_call():
    """A concept call open for concepts, and its full-proposal call."""
    concept_call, full_call = two_stage_calls(concept_state=CallState.OPEN)
    now = timezone.now()
    type(concept_call).objects.filter(pk=concept_call.pk).update(
        opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=5)
    )
    concept_call.refresh_from_db()
    return concept_call, full_call


def concept_draft(call, **kwargs):
    """A concept as stage one asks for it: no milestones, no licence, no team."""
    return ApplicationFactory(
        call=call, milestones=False, licence="", total_hours=0, requested_amount=0, **kwargs
    )


def snapshot(application):
    row = Application.objects.values("state", "submitted_at", "version").get(pk=application.pk)
    return row, TransitionLog.objects.filter(object_id=application.pk).count()


def test_a_concept_without_milestones_is_complete_and_submitted():
    concept_call, _full = open_concept_call()
    concept = concept_draft(concept_call)
    assert completeness_errors(concept) == {}
    submit_application(application=concept, actor=concept.owner, expected_version=1)
    concept.refresh_from_db()
    assert concept.state == S.SUBMITTED
    assert concept.planned_milestones.count() == 0


def test_a_full_proposal_without_milestones_is_not_complete():
    _concept_call, full_call = open_concept_call()
    full = ApplicationFactory(call=full_call, milestones=False)
    assert completeness_errors(full) == {"milestones": ["Plan between 3 and 5 milestones."]}
    before = snapshot(full)
    with pytest.raises(WorkflowError) as refusal:
        submit_application(application=full, actor=full.owner, expected_version=1)
    assert refusal.value.field_errors == {"milestones": ["Plan between 3 and 5 milestones."]}
    assert snapshot(full) == before


def test_a_full_proposal_still_needs_its_licence():
    _concept_call, full_call = open_concept_call()
    full = ApplicationFactory(call=full_call, licence="")
    assert completeness_errors(full) == {"licence": ["This field is required."]}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "  "}, "title"),
        ({"summary": ""}, "summary"),
        ({"topic": None}, "topic"),
        ({"track": None}, "track"),
    ],
)
def test_a_concept_needs_title_summary_topic_and_track(changes, field):
    concept_call, _full = open_concept_call()
    concept = concept_draft(concept_call, **changes)
    assert completeness_errors(concept) == {field: ["This field is required."]}
    before = snapshot(concept)
    with pytest.raises(WorkflowError):
        submit_application(application=concept, actor=concept.owner, expected_version=1)
    assert snapshot(concept) == before


def test_a_concept_call_without_tracks_asks_for_none():
    concept_call, _full = open_concept_call()
    CallTrack.objects.filter(call=concept_call).delete()
    concept_call.refresh_from_db()
    concept = concept_draft(concept_call, track=None)
    assert completeness_errors(concept) == {}


def test_a_concept_answers_the_required_questions_of_its_call():
    concept_call, _full = open_concept_call()
    add_question(concept_call, "pilot", required=True)
    concept = concept_draft(concept_call)
    assert completeness_errors(concept) == {"pilot": ["This field is required."]}


def test_a_concept_word_limit_holds():
    concept_call, _full = open_concept_call()
    concept = concept_draft(concept_call, summary="word " * 101)
    assert completeness_errors(concept) == {"summary": ["101 words; at most 100 are allowed."]}


def test_a_concept_on_a_team_track_may_name_its_team_later():
    concept_call, _full = open_concept_call()
    assert completeness_errors(concept_draft(concept_call, track="team_10")) == {}


def test_a_concept_names_its_team_fully_if_at_all():
    concept_call, _full = open_concept_call()
    concept = concept_draft(concept_call, track="team_10", members=["not-an-address"])
    assert completeness_errors(concept) == {
        "team": ["Team member 1: “not-an-address” is not a valid e-mail address."]
    }
    individual = concept_draft(concept_call, members=["ada@example.org"])
    assert list(completeness_errors(individual)) == ["team"]


def test_the_preview_of_a_concept_offers_to_submit(client):
    concept_call, _full = open_concept_call()
    concept = concept_draft(concept_call)
    client.force_login(concept.owner)
    html = client.get(reverse("application_preview", args=[concept.pk])).content.decode()
    assert "Your application is complete." in html
    assert "Before you can submit" not in html
    assert "A concept plans no milestones and no budget" in html
    assert 'id="budget"' not in html


def test_the_preview_of_a_full_proposal_without_milestones_lists_them(client):
    _concept_call, full_call = open_concept_call()
    full = ApplicationFactory(call=full_call, milestones=False)
    client.force_login(full.owner)
    html = client.get(reverse("application_preview", args=[full.pk])).content.decode()
    assert "Before you can submit" in html
    assert "Plan between 3 and 5 milestones." in html


def test_the_concept_edit_page_asks_no_milestones_and_saves(client):
    concept_call, _full = open_concept_call()
    concept = concept_draft(concept_call)
    client.force_login(concept.owner)
    html = client.get(reverse("application_edit", args=[concept.pk])).content.decode()
    assert 'name="milestones-TOTAL_FORMS"' in html
    assert 'name="milestones-0-title"' not in html
    assert 'id="concept-scope"' in html
    data = {
        "version": "1",
        "title": "A shorter title",
        "track": str(concept.track_id),
        "topic": str(concept.topic_id),
        "licence": "",
        "repository_url": "",
        "summary": concept.summary,
        "milestones-TOTAL_FORMS": "5",
        "milestones-INITIAL_FORMS": "0",
        "team-TOTAL_FORMS": "3",
        "team-INITIAL_FORMS": "0",
        "save": "1",
    } | {
        question.field_name: answer_text(concept, question.key)
        for question in proposal_questions(concept_call)
    }
    response = client.post(reverse("application_edit", args=[concept.pk]), data)
    assert response.status_code == 302
    concept.refresh_from_db()
    assert (concept.title, concept.version) == ("A shorter title", 2)
    assert completeness_errors(concept) == {}


def test_the_staff_page_of_a_concept_shows_no_budget(client):
    staff = make_user(Role.STAFF)
    concept_call, _full = open_concept_call()
    concept = concept_draft(concept_call)
    submit_application(application=concept, actor=concept.owner, expected_version=1)
    sign_in(client, staff)
    html = client.get(reverse("staff_application_detail", args=[concept.pk])).content.decode()
    assert 'id="concept-scope"' in html
    assert 'id="budget"' not in html
    assert "Planned milestones" not in html
