"""Applicants answer the questions of a call: the eligibility check before a draft starts
(a disqualifying answer shows its reason and starts nothing), typed answers in the draft
(bad input refused per field, nothing typed lost), conditional questions in completeness,
German labels, and pages whose queries do not grow with the number of questions."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from grants.models import Answer, Application, Question
from grants.states import ApplicationState
from tests.accounts.helpers import INBOX_COUNT
from tests.factories import ApplicationFactory, CallFactory, make_user, set_state
from tests.grants.staff.helpers import sign_in_with_mfa
from tests.grants.test_applicant_journey import draft_post

pytestmark = pytest.mark.django_db


def eligibility_question(call, **extra):
    return Question.objects.create(
        call=call,
        purpose="eligibility",
        key="open-source",
        kind="yes_no",
        label_de="Wird Ihr Projekt Open Source?",
        label_en="Will your project be open source?",
        disqualifying_values=["no"],
        disqualification_reason_de="Wir fördern nur Open-Source-Software.",
        disqualification_reason_en="We fund open-source software only.",
        **extra,
    )


@pytest.fixture
def checked_call():
    call = CallFactory()
    eligibility_question(call)
    return call


def start(client, call, **answers):
    return client.post(reverse("application_start", args=[call.slug]), answers)


def test_a_disqualifying_answer_shows_the_reason_and_starts_nothing(client, checked_call):
    client.force_login(make_user(Role.APPLICANT))

    response = start(client, checked_call, **{"q_open-source": "no"})

    assert response.status_code == 400
    html = response.content.decode()
    assert "Your answers rule out an application to this call:" in html
    assert "We fund open-source software only." in html
    assert not Application.objects.exists()


def test_the_check_must_be_answered(client, checked_call):
    client.force_login(make_user(Role.APPLICANT))

    response = start(client, checked_call)

    assert response.status_code == 400
    assert "Please answer this question." in response.content.decode()
    assert not Application.objects.exists()


@pytest.mark.parametrize("value", ["maybe", "yes<script>", "١"])
def test_an_answer_not_offered_is_refused(client, checked_call, value):
    client.force_login(make_user(Role.APPLICANT))

    response = start(client, checked_call, **{"q_open-source": value})

    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    assert not Application.objects.exists()


def test_passing_the_check_starts_a_draft_that_records_the_answers(client, checked_call):
    client.force_login(make_user(Role.APPLICANT))

    response = start(client, checked_call, **{"q_open-source": "yes"})

    application = Application.objects.get()
    assert response.url == reverse("application_edit", args=[application.pk])
    answer = Answer.objects.get(application=application)
    assert (answer.question.key, answer.boolean) == ("open-source", True)
    set_state(application, ApplicationState.SUBMITTED)
    staff = sign_in_with_mfa(client, make_user(Role.STAFF))
    assert staff is client
    html = client.get(reverse("staff_application_detail", args=[application.pk])).content
    assert "Will your project be open source?</dt>\n      <dd>Yes" in html.decode()


def test_anyone_may_take_the_check_before_registering_in_german(client, checked_call):
    url = reverse("call_detail", args=[checked_call.slug])

    response = client.get(url, {"check": "1", "q_open-source": "no"}, HTTP_ACCEPT_LANGUAGE="de")

    html = response.content.decode()
    assert "Wird Ihr Projekt Open Source?" in html
    assert "Wir fördern nur Open-Source-Software." in html
    assert not Application.objects.exists()


@pytest.fixture
def draft(client):
    owner = make_user(Role.APPLICANT)
    client.force_login(owner)
    call = CallFactory()
    Question.objects.create(
        call=call,
        key="budget-share",
        kind="number",
        label_de="Anteil",
        label_en="Share",
        position=8,
    )
    Question.objects.create(
        call=call, key="start", kind="date", label_de="Beginn", label_en="Start", position=9
    )
    return ApplicationFactory(owner=owner, call=call)


def test_answers_are_saved_as_typed(client, draft):
    client.post(
        reverse("application_edit", args=[draft.pk]),
        draft_post(
            draft, **{"q_budget-share": "40", "q_start": "2027-01-15", "q_prior_work": "New."}
        ),
    )

    answers = {
        a.question.key: a
        for a in Answer.objects.filter(application=draft).select_related("question")
    }
    assert (
        answers["budget-share"].number,
        str(answers["start"].date),
        answers["prior_work"].text,
    ) == (
        40,
        "2027-01-15",
        "New.",
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("q_budget-share", "²", "Enter a whole number."),
        (
            "q_budget-share",
            "10000000000000",
            "Ensure this value is less than or equal to 1000000000000.",
        ),
        ("q_start", "2027-02-30", "Enter a valid date."),
    ],
)
def test_bad_answers_are_refused_and_nothing_typed_is_lost(client, draft, field, value, message):
    response = client.post(
        reverse("application_edit", args=[draft.pk]),
        draft_post(draft, **{field: value, "q_prior_work": "Typed and kept."}),
    )

    html = response.content.decode()
    assert message in html
    assert "Typed and kept." in html
    assert not Answer.objects.filter(application=draft, question__key__in=["budget-share", "start"])
    assert (
        Answer.objects.get(application=draft, question__key="prior_work").text
        == "A first script exists."
    )


def test_a_required_question_is_asked_for_at_preview(client, draft):
    Answer.objects.filter(application=draft, question__key="target_group").delete()

    html = client.get(reverse("application_preview", args=[draft.pk])).content.decode()

    assert "<strong>Target group:</strong> This field is required." in html


@pytest.mark.parametrize("extra", [1, 30])
def test_the_edit_and_staff_pages_do_not_grow_with_the_questions(
    client, django_assert_num_queries, extra
):
    call = CallFactory(default_questions=False)
    for number in range(extra):
        Question.objects.create(
            call=call,
            key=f"q{number}",
            kind="long_text",
            label_de="F",
            label_en="Q",
            position=number,
        )
    application = ApplicationFactory(call=call)
    client.force_login(application.owner)
    # … and the call's tracks (11: no information requests, which a draft has none of)
    with django_assert_num_queries(11 + INBOX_COUNT):
        edit = client.get(reverse("application_edit", args=[application.pk]))
    assert edit.content.decode().count('<textarea name="q_q') == extra
    set_state(application, ApplicationState.SUBMITTED)
    sign_in_with_mfa(client, make_user(Role.STAFF))
    with django_assert_num_queries(15 + INBOX_COUNT):
        detail = client.get(reverse("staff_application_detail", args=[application.pk]))
    assert detail.status_code == 200


def test_required_questions_are_announced_as_required(client):
    """A required question's field carries aria-required (its label's star is hidden from
    assistive technology); a group of options says it in its legend; an optional question
    says neither. No `required` attribute in the draft: a draft is saved incomplete."""
    call = CallFactory(default_questions=False)
    for position, (kind, required) in enumerate(
        [("text", True), ("long_text", True), ("url", False), ("date", True)]
        + [("choice", True), ("multiple_choice", False), ("yes_no", True), ("file", True)]
    ):
        Question.objects.create(
            call=call,
            key=f"{kind.replace('_', '-')}-q",
            kind=kind,
            label_de=f"Frage {position}",
            label_en=f"Question {position}",
            required=required,
            position=position,
            options=[{"key": "a", "de": "A", "en": "A"}] if "choice" in kind else [],
        )
    application = ApplicationFactory(call=call)
    client.force_login(application.owner)

    html = client.get(reverse("application_edit", args=[application.pk])).content.decode()

    assert '<input type="text" name="q_text-q" maxlength="500" aria-required="true" ' in html
    assert '<textarea name="q_long-text-q" cols="40" rows="6" aria-required="true" ' in html
    assert '<input type="url" name="q_url-q" inputmode="url" maxlength="500" id=' in html
    assert '<input type="date" name="q_date-q" aria-required="true" ' in html
    assert 'image/jpeg,text/plain" aria-required="true" id="id_q_file-q">' in html
    assert html.count('aria-required="true"') == 4
    required = ' <span aria-hidden="true">*</span> <span class="visually-hidden">(required)</span>'
    assert f"<legend>Question 4{required}</legend>" in html
    assert f"<legend>Question 6{required}</legend>" in html
    assert "<legend>Question 5</legend>" in html
    assert " required " not in html and " required>" not in html
