"""Applicant pages make a fixed number of queries, however many milestones, team members,
attachments or questions the application has."""

import datetime as dt

import pytest
from django.urls import reverse

from accounts.roles import Role
from grants.models import Attachment, InformationRequest
from grants.states import ApplicationState
from tests.accounts.helpers import INBOX_COUNT
from tests.factories import ApplicationFactory, CallFactory, make_user, set_state

pytestmark = pytest.mark.django_db


def add_attachments(application, count):
    for index in range(count):
        Attachment.objects.create(
            application=application,
            original_name=f"file{index}.pdf",
            stored_name=f"{application.pk}-{index}.pdf",
            content_type="application/pdf",
            size=100,
            uploaded_by=application.owner,
        )


@pytest.fixture
def small_and_large():
    applicant = make_user(Role.APPLICANT)
    small = ApplicationFactory(
        owner=applicant, milestones=[900], track="team_6", members=["a@example.org"]
    )
    large = ApplicationFactory(
        owner=applicant,
        milestones=[300, 300, 300, 100, 100],
        track="team_6",
        members=["b@example.org", "c@example.org", "d@example.org"],
    )
    add_attachments(small, 1)
    add_attachments(large, 4)
    return applicant, small, large


@pytest.mark.parametrize(
    ("url_name", "queries"),
    # The edit page also lists the call's tracks to choose from; it does not load the
    # information requests (a draft has none), one query fewer than before.
    [("application_edit", 11 + INBOX_COUNT), ("application_preview", 10 + INBOX_COUNT)],
)
def test_draft_pages(client, django_assert_num_queries, small_and_large, url_name, queries):
    applicant, small, large = small_and_large
    client.force_login(applicant)
    for application in (small, large):
        with django_assert_num_queries(queries):
            response = client.get(reverse(url_name, args=[application.pk]))
        assert application.reference in response.content.decode()


def test_withdraw_page(client, django_assert_num_queries, small_and_large):
    applicant, small, large = small_and_large
    client.force_login(applicant)
    for application in (small, large):
        set_state(application, ApplicationState.SUBMITTED)
        with django_assert_num_queries(10 + INBOX_COUNT):
            client.get(reverse("application_withdraw", args=[application.pk]))


def test_answer_page(client, django_assert_num_queries, small_and_large):
    applicant, small, large = small_and_large
    staff = make_user(Role.STAFF)
    client.force_login(applicant)
    for application, earlier_questions in ((small, 0), (large, 3)):
        set_state(application, ApplicationState.SUBMITTED)
        for number in range(earlier_questions):
            InformationRequest.objects.create(
                application=application,
                question=f"Earlier {number}",
                due_on=dt.date(2026, 12, 1),
                asked_by=staff,
                answer="Done",
                answered_by=applicant,
                answered_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
            )
        InformationRequest.objects.create(
            application=application,
            question="Open question",
            due_on=dt.date(2026, 12, 24),
            asked_by=staff,
            editable_sections=["summary", "title"],
        )
        with django_assert_num_queries(11 + INBOX_COUNT):
            response = client.get(reverse("application_answer", args=[application.pk]))
        assert "Open question" in response.content.decode()


def test_call_page(client, django_assert_num_queries):
    call = CallFactory()
    # The call, its questions, its questions and answers, the jury's criteria, its tracks
    # (tests/grants/staff/test_call_page.py: the same with 1 and 3 entries and criteria).
    with django_assert_num_queries(5):
        response = client.get(reverse("call_detail", args=[call.slug]))
    assert call.title_en in response.content.decode()


@pytest.mark.parametrize("sections", [["milestones", "team"], ["budget"]])
def test_answer_page_with_the_plan_unlocked(
    client, django_assert_num_queries, small_and_large, sections
):
    applicant, small, large = small_and_large
    client.force_login(applicant)
    for application in (small, large):
        set_state(application, ApplicationState.SUBMITTED)
        InformationRequest.objects.create(
            application=application,
            question="Please plan again.",
            due_on=dt.date(2026, 12, 24),
            asked_by=make_user(Role.STAFF),
            editable_sections=sections,
        )
        # Milestones and team are prefetched with the application: no query per row.
        with django_assert_num_queries(11 + INBOX_COUNT):
            response = client.get(reverse("application_answer", args=[application.pk]))
        assert "Please plan again." in response.content.decode()


@pytest.mark.parametrize(
    ("url_name", "queries"),
    # The edit page's lookup leaves out the information requests (one query fewer).
    [("application_edit", 9 + INBOX_COUNT), ("application_preview", 10 + INBOX_COUNT)],
)
def test_the_page_of_an_application_that_is_no_longer_a_draft(
    client, django_assert_num_queries, small_and_large, url_name, queries
):
    applicant, small, large = small_and_large
    client.force_login(applicant)
    for application in (small, large):
        set_state(application, ApplicationState.SUBMITTED)
        # Session, user, groups, the application with all its parts, the rule's check.
        with django_assert_num_queries(queries):
            response = client.get(reverse(url_name, args=[application.pk]))
        assert "can no longer be changed" in response.content.decode()
