"""Regression tests of the security review (issue 6, finding 5): the answer to a staff
question uses the draft form's fields and validation for the sections staff unlocked, and the
application stays complete after the answer."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from grants.completeness import completeness_errors
from grants.models import Application, InformationRequest
from grants.services.applications import answer_information_request
from grants.services.errors import WorkflowError
from grants.states import ApplicationState
from tests.factories import ApplicationFactory, make_user, set_state

pytestmark = pytest.mark.django_db

SECTIONS = ["title", "summary", "repository_url"]


@pytest.fixture
def questioned():
    application = set_state(ApplicationFactory(), ApplicationState.SUBMITTED)
    assert completeness_errors(application) == {}
    InformationRequest.objects.create(
        application=application,
        question="Please sharpen the project description.",
        editable_sections=SECTIONS,
        due_on=timezone.localdate() + timezone.timedelta(days=14),
        asked_by=make_user(Role.STAFF),
    )
    return application


@pytest.fixture
def owner_client(client, questioned):
    client.force_login(questioned.owner)
    return client


def answer_url(application):
    return reverse("application_answer", args=[application.pk])


def post_answer(client, application, **sections):
    data = {"version": application.version, "answer": "Done, see the changed sections."}
    for name in SECTIONS:
        data[f"section_{name}"] = getattr(application, name)
    data.update({f"section_{name}": value for name, value in sections.items()})
    return client.post(answer_url(application), data)


def assert_nothing_saved(application):
    stored = Application.objects.get(pk=application.pk)
    assert (stored.title, stored.summary, stored.repository_url, stored.version) == (
        application.title,
        application.summary,
        application.repository_url,
        application.version,
    )
    assert InformationRequest.objects.get().answered_at is None


def test_the_answer_form_renders_the_draft_forms_fields(owner_client, questioned):
    html = owner_client.get(answer_url(questioned)).content.decode()

    assert '<input type="text" name="section_title"' in html
    assert 'maxlength="200"' in html
    assert '<input type="url" name="section_repository_url"' in html
    assert 'data-word-limit="100"' in html  # the summary's live word count


@pytest.mark.parametrize(
    ("sections", "field", "message"),
    [
        (
            {"title": "T" * 5000},
            "section_title",
            "Ensure this value has at most 200 characters (it has 5000).",
        ),
        (
            {"repository_url": "javascript:alert(document.cookie)"},
            "section_repository_url",
            "Enter a full web address starting with https://.",
        ),
        ({"summary": ""}, "section_summary", "This field is required."),
        ({"summary": "   "}, "section_summary", "This field is required."),
        ({"title": ""}, "section_title", "This field is required."),
        (
            {"summary": "word " * 101},
            "section_summary",
            "101 words; at most 100 are allowed.",
        ),
    ],
)
def test_an_answer_that_would_break_the_application_is_refused(
    owner_client, questioned, sections, field, message
):
    response = post_answer(owner_client, questioned, **sections)

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert_nothing_saved(questioned)


def test_a_refused_answer_keeps_the_input_on_screen(owner_client, questioned):
    response = post_answer(owner_client, questioned, summary="", title="A sharper title")

    html = response.content.decode()
    assert 'value="A sharper title"' in html
    assert "Done, see the changed sections." in html
    assert "the application must stay complete" in html


def test_a_good_answer_is_saved_and_the_application_stays_complete(owner_client, questioned):
    response = post_answer(
        owner_client,
        questioned,
        title="Open timetable toolkit for small towns",
        repository_url="https://codeberg.org/example/timetables",
    )

    assert response.status_code == 302
    application = Application.objects.get(pk=questioned.pk)
    assert application.title == "Open timetable toolkit for small towns"
    assert InformationRequest.objects.get().answered_at is not None
    assert completeness_errors(application) == {}
    assert application.is_complete()


def test_the_service_refuses_what_the_form_refuses(questioned):
    for sections, field in (
        ({"title": "T" * 5000}, "title"),
        ({"repository_url": "javascript:alert(1)"}, "repository_url"),
        ({"summary": ""}, "summary"),
    ):
        with pytest.raises(WorkflowError) as refused:
            answer_information_request(
                application=questioned,
                actor=questioned.owner,
                answer="Here you are.",
                section_values=sections,
                expected_version=questioned.version,
            )
        assert list(refused.value.field_errors) == [field]
    assert_nothing_saved(questioned)


def test_an_overlong_answer_is_refused(owner_client, questioned):
    response = owner_client.post(
        answer_url(questioned),
        {"version": questioned.version, "answer": "x" * 10_001},
    )

    assert response.context["form"].errors["answer"] == [
        "Ensure this value has at most 10000 characters (it has 10001)."
    ]
    assert_nothing_saved(questioned)


def test_sections_staff_did_not_unlock_stay_locked(questioned):
    with pytest.raises(WorkflowError, match="This section may not be changed."):
        answer_information_request(
            application=questioned,
            actor=questioned.owner,
            answer="Here you are.",
            section_values={"team_experience": "Rewritten"},
            expected_version=questioned.version,
        )
