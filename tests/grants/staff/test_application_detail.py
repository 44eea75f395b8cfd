import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from grants.models import Attachment, InformationRequest, InternalComment, TransitionLog
from grants.services.audit import log_event
from grants.states import ApplicationState
from tests.factories import make_user
from tests.grants.staff.helpers import sign_in_with_mfa, submit

# Session, user, groups, authenticators (second-factor gate), the application (with call, fund, topic, owner), its milestones,
# team members, attachments and questions (prefetched), the timeline, the internal comments,
# the fund's topics (the list's filters) and the place in the list (one window query), and
# the navigation's inbox count.
DETAIL_QUERIES = 16  # … with the answers and the call's questions
STALE = (
    "Someone else changed this meanwhile, so your action was not carried out. "
    "The page now shows the current state; please check it and try again."
)


def detail_url(application):
    return reverse("staff_application_detail", kwargs={"pk": application.pk})


def screen_url(application):
    return reverse("staff_application_screen", kwargs={"pk": application.pk})


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def transitions_of(application):
    return list(
        TransitionLog.objects.filter(content_type__model="application", object_id=application.pk)
        .exclude(from_state="", to_state="")
        .values_list("action", "from_state", "to_state", "note", "visible_to_applicant")
    )


@pytest.fixture
def application(call):
    return submit(call, members=["ben@example.org"])


def add_attachment(application, name):
    return Attachment.objects.create(
        application=application,
        original_name=name,
        stored_name=f"{name}.stored",
        content_type="application/pdf",
        size=2048,
        uploaded_by=application.owner,
    )


@pytest.mark.django_db
def test_detail_shows_every_part(staff_client, staff, application):
    attachment = add_attachment(application, "plan.pdf")
    log_event(
        subject=application,
        action="grants.application.submitted",
        actor=application.owner,
        from_state="draft",
        to_state="submitted",
        visible_to_applicant=True,
    )
    InformationRequest.objects.create(
        application=application,
        question="Which municipalities take part?",
        due_on=dt.date(2026, 12, 1),
        editable_sections=["summary", "repository_url"],
        asked_by=staff,
        answer="Bonn and Leipzig.",
        answered_by=application.owner,
        answered_at=timezone.now(),
    )
    InternalComment.objects.create(application=application, author=staff, body="Looks strong.")
    response = staff_client.get(detail_url(application))
    html = response.content.decode()
    for text in (
        application.title,
        application.summary,
        # The answers to the call's default questions (tests.factories).
        "Public transport data is hard to reuse.",
        "Python, GTFS and a static site generator.",
        "A first script exists.",
        "Commercial tools are closed.",
        "Municipal data teams and civic hackers.",
        "Ten years of open data work.",
        "MIT License",
        application.repository_url,
        "Individual, 6 months",
        "Open Data",
        "Member 0 &lt;ben@example.org&gt;",
        "Which municipalities take part?",
        "Bonn and Leipzig.",
        "Summary, Repository URL",
        "Looks strong.",
        '<dd class="nowrap">€44,887.50</dd>',  # requested
        '<dd class="nowrap">€47,500.00</dd>',  # cap
    ):
        assert text in html, text
    assert [m.title for m in application.planned_milestones.all()] == [
        "Milestone 1",
        "Milestone 2",
        "Milestone 3",
    ]
    assert html.count('<th scope="row">Milestone ') == 3
    assert (
        f'<a href="{reverse("attachment_download", kwargs={"pk": attachment.pk})}">plan.pdf</a>'
        in html
    )
    assert response.context["budget"]["within_cap"] is True
    assert [
        (row["action"], row["entry"].visible_to_applicant) for row in response.context["timeline"]
    ] == [("Submitted", True)]
    assert "Visible to the applicant" in html


@pytest.mark.django_db
def test_timeline_marks_internal_entries(staff_client, staff, application):
    log_event(subject=application, action="grants.application.review_started", actor=staff)
    response = staff_client.get(detail_url(application))
    assert '<span class="badge badge-internal">Internal</span>' in response.content.decode()


@pytest.mark.django_db
def test_detail_queries_do_not_grow(staff_client, staff, application, django_assert_num_queries):
    def add_one_of_each(number):
        add_attachment(application, f"file{number}.pdf")
        log_event(subject=application, action="grants.application.review_started", actor=staff)
        InternalComment.objects.create(application=application, author=staff, body=f"Note {number}")
        InformationRequest.objects.create(
            application=application,
            question=f"Question {number}",
            due_on=dt.date(2026, 12, 1),
            asked_by=staff,
            answer="Answer",
            answered_by=application.owner,
            answered_at=timezone.now(),
        )

    add_one_of_each(1)
    with django_assert_num_queries(DETAIL_QUERIES):
        response = staff_client.get(detail_url(application))
    assert len(response.context["comments"]) == 1
    add_one_of_each(2)
    add_one_of_each(3)
    with django_assert_num_queries(DETAIL_QUERIES):
        response = staff_client.get(detail_url(application))
    assert len(response.context["comments"]) == 3
    assert len(response.context["timeline"]) == 3
    assert len(response.context["information_requests"]) == 3


# Screening.


@pytest.mark.django_db
def test_screen_eligible(staff_client, staff, application, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            screen_url(application), {"decision": "eligible", "expected_state": "submitted"}
        )
    assert response.status_code == 302
    assert response.url == detail_url(application)
    assert messages_of(response) == [
        f"{application.reference} is eligible. The applicant is informed by e-mail."
    ]
    application.refresh_from_db()
    assert application.state == ApplicationState.ELIGIBLE
    assert transitions_of(application) == [
        ("grants.application.screened_eligible", "submitted", "eligible", "", True)
    ]
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (
            [application.owner.email],
            f"[Civic Tech Fund] Application {application.reference} is eligible",
        )
    ]


@pytest.mark.django_db
def test_screen_ineligible_with_reasons(
    staff_client, application, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            screen_url(application),
            {
                "decision": "ineligible",
                "reasons": ["not_open_source", "other"],
                "note": "The code would stay closed.",
                "expected_state": "submitted",
            },
        )
    assert response.status_code == 302
    assert messages_of(response) == [
        f"{application.reference} is ineligible. The applicant is informed by e-mail."
    ]
    application.refresh_from_db()
    assert application.state == ApplicationState.INELIGIBLE
    assert application.ineligibility_reasons == ["not_open_source", "other"]
    assert application.screening_note == "The code would stay closed."
    assert transitions_of(application) == [
        (
            "grants.application.screened_ineligible",
            "submitted",
            "ineligible",
            "The code would stay closed.",
            True,
        )
    ]
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (
            [application.owner.email],
            f"[Civic Tech Fund] Application {application.reference}: result of the eligibility check",
        )
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"decision": "ineligible"}, "reasons", "Choose at least one reason."),
        (
            {"decision": "ineligible", "reasons": ["other"], "note": "  "},
            "note",
            "Explain the other reason in the note.",
        ),
        (
            {"decision": "perhaps"},
            "decision",
            "Select a valid choice. perhaps is not one of the available choices.",
        ),
        ({"reasons": ["budget"]}, "decision", "This field is required."),
    ],
)
def test_screening_needs_a_decision_and_reasons(
    staff_client, application, django_capture_on_commit_callbacks, data, field, message
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            screen_url(application), {**data, "expected_state": "submitted"}
        )
    assert response.status_code == 200
    assert response.context["screening_form"].errors[field] == [message]
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED
    assert transitions_of(application) == []
    assert mail.outbox == []


@pytest.mark.django_db
def test_stale_screening_by_two_staff(client, application, django_capture_on_commit_callbacks):
    first, second = make_user(Role.STAFF), make_user(Role.STAFF)
    first_client = sign_in_with_mfa(client.__class__(), first)
    second_client = sign_in_with_mfa(client.__class__(), second)
    # Both open the page while the application is submitted ...
    for staff_client in (first_client, second_client):
        page = staff_client.get(detail_url(application))
        assert page.context["screening_form"].initial == {"expected_state": "submitted"}
    # ... the first decides, then the second, who has not seen that.
    with django_capture_on_commit_callbacks(execute=True):
        first_client.post(
            screen_url(application), {"decision": "eligible", "expected_state": "submitted"}
        )
        response = second_client.post(
            screen_url(application),
            {"decision": "ineligible", "reasons": ["budget"], "expected_state": "submitted"},
        )
    assert response.status_code == 302
    assert response.url == detail_url(application)
    assert messages_of(response) == [STALE]
    application.refresh_from_db()
    assert application.state == ApplicationState.ELIGIBLE
    assert application.ineligibility_reasons == []
    assert transitions_of(application) == [
        ("grants.application.screened_eligible", "submitted", "eligible", "", True)
    ]
    assert len(mail.outbox) == 1
    # The page the second person is sent back to shows the current state, without a form.
    page = second_client.get(detail_url(application))
    assert page.context["screening_form"] is None
    assert STALE in page.content.decode()


# Questions to the applicant.


def ask_url(application):
    return reverse("staff_request_information", kwargs={"pk": application.pk})


@pytest.mark.django_db
def test_request_information(staff_client, staff, application, django_capture_on_commit_callbacks):
    due_on = timezone.localdate() + dt.timedelta(days=14)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            ask_url(application),
            {
                "question": "Which licence will the data use?",
                "due_on": due_on.isoformat(),
                "editable_sections": ["summary", "title"],
            },
        )
    assert response.status_code == 302
    assert messages_of(response) == ["Your question has been sent to the applicant by e-mail."]
    question = InformationRequest.objects.get(application=application)
    assert (question.question, question.due_on, question.editable_sections, question.asked_by) == (
        "Which licence will the data use?",
        due_on,
        ["summary", "title"],
        staff,
    )
    assert list(
        TransitionLog.objects.filter(object_id=application.pk).values_list(
            "action", "note", "visible_to_applicant"
        )
    ) == [("grants.application.information_requested", "Which licence will the data use?", True)]
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (
            [application.owner.email],
            f"[Civic Tech Fund] Question about your application {application.reference}",
        )
    ]
    # While the question is open, neither screening nor a second question is offered.
    page = staff_client.get(detail_url(application))
    assert page.context["screening_form"] is None
    assert page.context["information_form"] is None
    assert page.context["open_request"] == question
    assert "Screening can continue once the applicant has answered the open question." in (
        page.content.decode()
    )
    # A screening posted anyway (an old page) is refused with the reason.
    response = staff_client.post(
        screen_url(application), {"decision": "eligible", "expected_state": "submitted"}
    )
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [
        "An information request is still open. Wait for the answer before screening."
    ]
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"question": "", "due_on": "2099-01-01"}, "question", "This field is required."),
        (
            {"question": "Why?", "due_on": "2000-01-01"},
            "due_on",
            "The due date cannot be in the past.",
        ),
        ({"question": "Why?"}, "due_on", "This field is required."),
        (
            {"question": "Why?", "due_on": "2099-01-01", "editable_sections": ["owner"]},
            "editable_sections",
            "Select a valid choice. owner is not one of the available choices.",
        ),
    ],
)
def test_request_information_checks_its_input(staff_client, application, data, field, message):
    response = staff_client.post(ask_url(application), data)
    assert response.status_code == 200
    assert response.context["information_form"].errors[field] == [message]
    assert not InformationRequest.objects.exists()


@pytest.mark.django_db
def test_no_questions_after_a_decision(staff_client, call):
    rejected = submit(call, state=ApplicationState.REJECTED)
    page = staff_client.get(detail_url(rejected))
    assert page.context["information_form"] is None
    due_on = (timezone.localdate() + dt.timedelta(days=14)).isoformat()
    response = staff_client.post(ask_url(rejected), {"question": "Why?", "due_on": due_on})
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [
        "Questions can be asked only while an application is being assessed."
    ]
    assert not InformationRequest.objects.exists()


# Internal comments.


@pytest.mark.django_db
def test_internal_comment(staff_client, staff, application):
    response = staff_client.post(
        reverse("staff_application_comment", kwargs={"pk": application.pk}),
        {"body": "  Check the budget against last year.  "},
    )
    assert response.status_code == 302
    assert response.url == detail_url(application) + "#comments"
    assert messages_of(response) == ["Your internal comment has been added."]
    comment = InternalComment.objects.get(application=application)
    assert (comment.author, comment.body) == (staff, "Check the budget against last year.")
    page = staff_client.get(detail_url(application))
    assert "Check the budget against last year." in page.content.decode()
    # Comments are not log entries, so they never reach the applicant's timeline.
    assert not TransitionLog.objects.filter(object_id=application.pk).exists()


@pytest.mark.django_db
def test_empty_internal_comment_is_refused(staff_client, application):
    response = staff_client.post(
        reverse("staff_application_comment", kwargs={"pk": application.pk}), {"body": "   "}
    )
    assert response.status_code == 200
    assert response.context["comment_form"].errors["body"] == ["This field is required."]
    assert not InternalComment.objects.exists()


@pytest.mark.django_db
def test_applicant_never_sees_internal_comments(client, staff, application):
    InternalComment.objects.create(application=application, author=staff, body="Internal only")
    sign_in_with_mfa(client, application.owner)
    response = client.get(reverse("application_detail", kwargs={"pk": application.pk}))
    assert response.status_code == 200
    assert "Internal only" not in response.content.decode()
    assert client.get(detail_url(application)).status_code == 404
