"""The applicant's pages and services: start, save, submit, read, withdraw, answer."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from grants.models import Application, InformationRequest, TransitionLog
from grants.services.errors import WorkflowError
from grants.services.screening import request_information, screen_application
from grants.states import ApplicationState
from tests.accounts.helpers import INBOX_COUNT
from tests.factories import (
    ApplicationFactory,
    CallFactory,
    FundFactory,
    TopicFactory,
    make_user,
    set_state,
    track_of,
)

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
pytestmark = pytest.mark.django_db


def draft_post(application, **overrides):
    """A complete edit-form POST for ``application`` (3 milestones, no team)."""
    data = {
        "version": application.version,
        "title": "Accessible timetables",
        "track": "individual_6",
        "topic": application.topic_id or "",
        "licence": "MIT",
        "repository_url": "https://codeberg.org/example/timetables",
        "summary": "Short summary.",
        "q_societal_challenge": "Challenge.",
        "q_technical_approach": "Approach.",
        "q_prior_work": "Prior work.",
        "q_similar_approaches": "Similar.",
        "q_target_group": "Target group.",
        "q_team_experience": "Experience.",
        "milestones-TOTAL_FORMS": 5,
        "milestones-INITIAL_FORMS": 0,
        "team-TOTAL_FORMS": 3,
        "team-INITIAL_FORMS": 0,
    }
    for index in range(3):
        data |= {
            f"milestones-{index}-title": f"Step {index + 1}",
            f"milestones-{index}-deliverable": f"Release {index + 1}",
            f"milestones-{index}-month": index * 2 + 1,
            f"milestones-{index}-hours": 250,
        }
    data.update(overrides)
    if data["track"] and not str(data["track"]).isdigit():  # a key: the call's track's id
        data["track"] = track_of(application.call, data["track"]).pk
    return data


@pytest.fixture
def applicant():
    return make_user(Role.APPLICANT)


@pytest.fixture
def draft(applicant):
    application = ApplicationFactory(owner=applicant, milestones=False, title="", summary="")
    return application


def test_start_application_creates_numbered_draft(client, applicant):
    call = CallFactory(year=2026, round_number=3)
    client.force_login(applicant)
    response = client.post(reverse("application_start", args=[call.slug]))
    application = Application.objects.get(owner=applicant)
    assert response.url == reverse("application_edit", args=[application.pk])
    assert application.reference == "CTF-2026-3-0001"
    assert application.state == ApplicationState.DRAFT
    call.refresh_from_db()
    assert call.last_sequence == 1
    client.post(reverse("application_start", args=[call.slug]))
    assert list(Application.objects.order_by("pk").values_list("reference", flat=True)) == [
        "CTF-2026-3-0001",
        "CTF-2026-3-0002",
    ]


def test_start_refused_when_call_closed(client, applicant):
    call = CallFactory(
        closes_at=dt.datetime(2020, 1, 1, tzinfo=BERLIN),
        opens_at=dt.datetime(2019, 1, 1, tzinfo=BERLIN),
    )
    client.force_login(applicant)
    response = client.post(reverse("application_start", args=[call.slug]), follow=True)
    assert "This call is not open for applications." in response.content.decode()
    assert not Application.objects.exists()


def test_save_draft_keeps_text_over_the_word_limit(client, draft):
    client.force_login(draft.owner)
    long_summary = " ".join(["word"] * 130)
    response = client.post(
        reverse("application_edit", args=[draft.pk]), draft_post(draft, summary=long_summary)
    )
    assert response.url == reverse("application_edit", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.summary == long_summary
    assert draft.version == 2
    assert draft.total_hours == 750
    assert str(draft.requested_amount) == "37406.25"  # 750 h × €50 × 1.05 × 0.95
    page = client.get(reverse("application_edit", args=[draft.pk])).content.decode()
    assert "130 of at most 100 words" in page
    assert 'class="word-count over"' in page


def test_invalid_draft_input_is_shown_again_and_not_lost(client, draft):
    client.force_login(draft.owner)
    response = client.post(
        reverse("application_edit", args=[draft.pk]),
        draft_post(draft, summary="My unsaved summary", **{"milestones-0-hours": "soon"}),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Your draft was not saved: please correct the marked fields." in page
    assert "My unsaved summary" in page
    assert "Enter a whole number." in page
    draft.refresh_from_db()
    assert draft.summary == ""


def test_a_topic_of_another_fund_is_refused_and_not_saved(client, draft):
    other_fund = FundFactory(name="Other Fund", reference_prefix="OTH")
    foreign_topic = TopicFactory(fund=other_fund, slug="elsewhere")
    client.force_login(draft.owner)

    response = client.post(
        reverse("application_edit", args=[draft.pk]),
        draft_post(draft, topic=foreign_topic.pk, summary="My unsaved summary"),
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "topic": ["Select a valid choice. That choice is not one of the available choices."]
    }
    stored = Application.objects.get(pk=draft.pk)
    assert (stored.topic_id, stored.summary) == (draft.topic_id, draft.summary)


def test_stale_draft_edit_is_refused_with_explanation(client, draft):
    client.force_login(draft.owner)
    first = draft_post(draft, summary="From the laptop")
    second = draft_post(draft, summary="From the phone")
    client.post(reverse("application_edit", args=[draft.pk]), first)
    response = client.post(reverse("application_edit", args=[draft.pk]), second)
    page = response.content.decode()
    assert "This draft was saved from another window or device after you opened it." in page
    assert "From the phone" in page  # the refused input is still on screen
    draft.refresh_from_db()
    assert draft.summary == "From the laptop"


def test_submit_incomplete_draft_keeps_it_and_explains(client, draft):
    client.force_login(draft.owner)
    response = client.post(
        reverse("application_submit", args=[draft.pk]), {"version": draft.version}, follow=True
    )
    page = response.content.decode()
    assert "Your application is not complete yet." in page
    assert "Plan between 3 and 5 milestones." in page
    draft.refresh_from_db()
    assert draft.state == ApplicationState.DRAFT
    assert not TransitionLog.objects.filter(action="grants.application.submitted").exists()


def test_submit_complete_application(client, applicant, django_capture_on_commit_callbacks):
    application = ApplicationFactory(owner=applicant)
    client.force_login(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("application_submit", args=[application.pk]), {"version": application.version}
        )
    assert response.url == reverse("application_detail", args=[application.pk])
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED
    assert application.submitted_at is not None
    log = TransitionLog.objects.get(action="grants.application.submitted")
    assert (log.from_state, log.to_state, log.actor, log.visible_to_applicant) == (
        "draft",
        "submitted",
        applicant,
        True,
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [applicant.email]
    assert message.subject == f"[Civic Tech Fund] Application {application.reference} received"
    assert application.reference in message.body
    assert message.alternatives[0][1] == "text/html"
    # Read-only from now on: the edit page says so and links to the application.
    edit = client.get(reverse("application_edit", args=[application.pk]))
    assert edit.status_code == 200
    assert "can no longer be changed" in edit.content.decode()
    assert f'href="/applications/{application.pk}/"' in edit.content.decode()
    detail = client.get(reverse("application_detail", args=[application.pk])).content.decode()
    assert "Submitted" in detail
    assert "Continue writing" not in detail


def test_submit_in_german_sends_german_mail(client, django_capture_on_commit_callbacks):
    applicant = make_user(Role.APPLICANT, language="de")
    application = ApplicationFactory(owner=applicant)
    client.force_login(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("application_submit", args=[application.pk]), {"version": application.version}
        )
    assert mail.outbox[0].subject == f"[Civic Tech Fund] Antrag {application.reference} eingegangen"


def _deadline_call():
    return CallFactory(
        opens_at=dt.datetime(2026, 11, 1, tzinfo=BERLIN),
        closes_at=dt.datetime(2026, 12, 1, 0, 0, 0, tzinfo=BERLIN),  # closing day: 30 November
    )


def test_submit_at_235959_berlin_on_closing_day_succeeds(client, applicant):
    application = ApplicationFactory(owner=applicant, call=_deadline_call())
    with time_machine.travel(dt.datetime(2026, 11, 30, 23, 59, 59, tzinfo=BERLIN), tick=False):
        client.force_login(applicant)
        client.post(
            reverse("application_submit", args=[application.pk]), {"version": application.version}
        )
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


def test_submit_at_midnight_berlin_is_refused_and_draft_stays(client, applicant):
    application = ApplicationFactory(owner=applicant, call=_deadline_call())
    with time_machine.travel(dt.datetime(2026, 12, 1, 0, 0, 0, tzinfo=BERLIN), tick=False):
        client.force_login(applicant)
        response = client.post(
            reverse("application_submit", args=[application.pk]),
            {"version": application.version},
            follow=True,
        )
    assert "The call closed on" in response.content.decode()
    application.refresh_from_db()
    assert application.state == ApplicationState.DRAFT
    assert application.summary  # nothing lost


def test_withdraw_needs_confirmation(client, applicant, django_capture_on_commit_callbacks):
    application = set_state(ApplicationFactory(owner=applicant), ApplicationState.SUBMITTED)
    client.force_login(applicant)
    url = reverse("application_withdraw", args=[application.pk])
    page = client.get(url).content.decode()
    assert "Yes, I want to withdraw this application." in page
    response = client.post(url, {"expected_state": "submitted"})
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"expected_state": "submitted", "confirm": "on", "note": "Found other funding"}
        )
    application.refresh_from_db()
    assert application.state == ApplicationState.WITHDRAWN
    log = TransitionLog.objects.get(action="grants.application.withdrawn")
    assert log.note == "Found other funding"
    assert (
        mail.outbox[0].subject == f"[Civic Tech Fund] Application {application.reference} withdrawn"
    )
    assert client.get(url).status_code == 404  # cannot withdraw twice


def test_withdraw_refused_after_decision(client, applicant):
    application = set_state(ApplicationFactory(owner=applicant), ApplicationState.APPROVED)
    client.force_login(applicant)
    assert client.get(reverse("application_withdraw", args=[application.pk])).status_code == 404


def test_withdraw_with_stale_state_is_refused(client, applicant):
    application = set_state(ApplicationFactory(owner=applicant), ApplicationState.ELIGIBLE)
    client.force_login(applicant)
    response = client.post(
        reverse("application_withdraw", args=[application.pk]),
        {"expected_state": "submitted", "confirm": "on"},
        follow=True,
    )
    assert "Someone else changed this meanwhile" in response.content.decode()
    application.refresh_from_db()
    assert application.state == ApplicationState.ELIGIBLE


def test_information_request_loop(client, applicant, django_capture_on_commit_callbacks):
    staff = make_user(Role.STAFF)
    application = set_state(ApplicationFactory(owner=applicant), ApplicationState.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        request_information(
            application=application,
            actor=staff,
            question="Which licence for the data?",
            due_on=timezone.localdate() + dt.timedelta(days=9),
            editable_sections=["summary"],
        )
    assert (
        mail.outbox[0].subject
        == f"[Civic Tech Fund] Question about your application {application.reference}"
    )
    # Screening waits for the answer.
    with pytest.raises(WorkflowError, match="information request is still open"):
        screen_application(
            application=application, actor=staff, eligible=True, expected_state="submitted"
        )
    client.force_login(applicant)
    dashboard = client.get(reverse("applicant_dashboard")).content.decode()
    assert "Answer the question from the programme staff" in dashboard
    url = reverse("application_answer", args=[application.pk])
    page = client.get(url).content.decode()
    assert "Which licence for the data?" in page
    assert 'name="section_summary"' in page
    assert 'name="section_title"' not in page
    application.refresh_from_db()
    response = client.post(
        url,
        {"version": application.version, "answer": "CC-BY 4.0", "section_summary": "New summary"},
    )
    assert response.url == reverse("application_detail", args=[application.pk])
    application.refresh_from_db()
    assert application.summary == "New summary"
    assert InformationRequest.objects.get().answer == "CC-BY 4.0"
    assert client.get(url).status_code == 404  # nothing open any more
    screen_application(
        application=application, actor=staff, eligible=True, expected_state="submitted"
    )
    application.refresh_from_db()
    assert application.state == ApplicationState.ELIGIBLE
    public = list(
        TransitionLog.objects.filter(
            object_id=application.pk, visible_to_applicant=True
        ).values_list("action", flat=True)
    )
    assert public == [
        "grants.application.information_requested",
        "grants.application.information_provided",
        "grants.application.screened_eligible",
    ]


def test_team_member_reads_but_others_do_not(client):
    application = set_state(
        ApplicationFactory(track="team_6", members=["mate@example.org"]), ApplicationState.SUBMITTED
    )
    mate = make_user(Role.APPLICANT, email="mate@example.org")
    stranger = make_user(Role.APPLICANT)
    url = reverse("application_detail", args=[application.pk])
    client.force_login(mate)
    assert application.title in client.get(url).content.decode()
    assert client.get(reverse("application_withdraw", args=[application.pk])).status_code == 404
    client.force_login(stranger)
    assert client.get(url).status_code == 404


def test_applicant_dashboard_query_count_is_fixed(client, applicant, django_assert_num_queries):
    client.force_login(applicant)
    ApplicationFactory(owner=applicant)
    with django_assert_num_queries(6 + INBOX_COUNT):
        client.get(reverse("applicant_dashboard"))
    for _ in range(2):
        ApplicationFactory(owner=applicant)
    with django_assert_num_queries(6 + INBOX_COUNT):
        response = client.get(reverse("applicant_dashboard"))
    assert response.content.decode().count("Continue writing") == 3


def test_application_detail_query_count_is_fixed(client, applicant, django_assert_num_queries):
    client.force_login(applicant)
    small = ApplicationFactory(owner=applicant, milestones=[900])
    large = ApplicationFactory(owner=applicant, milestones=[300, 300, 300, 100, 100])
    with django_assert_num_queries(11 + INBOX_COUNT):
        client.get(reverse("application_detail", args=[small.pk]))
    with django_assert_num_queries(11 + INBOX_COUNT):
        client.get(reverse("application_detail", args=[large.pk]))


def test_preview_explains_a_budget_over_the_track_cap(client, applicant):
    application = ApplicationFactory(owner=applicant, milestones=[700, 600, 600])  # 1,900 hours
    client.force_login(applicant)
    page = client.get(reverse("application_preview", args=[application.pk])).content.decode()
    assert (
        "The requested funding of €94,762.50 exceeds the cap of €47,500.00 for this track." in page
    )
    assert "Submit application" not in page
