"""Submitting checks the word limits again: a draft saved over a limit is kept, but it
cannot be submitted until it fits."""

import pytest
from django.core import mail
from django.urls import reverse

from grants.models import TransitionLog
from grants.services.applications import submit_application
from grants.services.errors import WorkflowError
from grants.states import WORD_LIMITS, ApplicationState
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def words(count):
    return " ".join(f"word{index}" for index in range(count))


@pytest.mark.parametrize(("field", "limit"), WORD_LIMITS.items())
def test_submit_refuses_a_section_one_word_over_its_limit(field, limit):
    application = ApplicationFactory(**{field: words(limit + 1)})
    with pytest.raises(WorkflowError) as refused:
        submit_application(
            application=application, actor=application.owner, expected_version=application.version
        )
    assert refused.value.field_errors == {
        field: [f"{limit + 1} words; at most {limit} are allowed."]
    }
    application.refresh_from_db()
    assert application.state == ApplicationState.DRAFT
    assert application.submitted_at is None
    assert getattr(application, field) == words(limit + 1)  # the draft keeps the text
    assert not TransitionLog.objects.filter(action="grants.application.submitted").exists()


@pytest.mark.parametrize(("field", "limit"), WORD_LIMITS.items())
def test_submit_accepts_a_section_of_exactly_its_limit(field, limit):
    application = ApplicationFactory(**{field: words(limit)})
    submit_application(
        application=application, actor=application.owner, expected_version=application.version
    )
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


def test_submit_page_explains_the_word_limit_and_keeps_the_draft(
    client, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(summary=words(101))
    client.force_login(application.owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("application_submit", args=[application.pk]),
            {"version": application.version},
            follow=True,
        )
    page = response.content.decode()
    assert "Your application is not complete yet." in page
    assert "101 words; at most 100 are allowed." in page
    application.refresh_from_db()
    assert (application.state, application.summary) == (ApplicationState.DRAFT, words(101))
    assert mail.outbox == []
