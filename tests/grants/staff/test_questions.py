"""Staff build the questions of a call on the call's page: add (with options and a
condition), refuse bad input with a message and nothing saved, freeze after the first
submission (an admin may change them with a reason, logged), and the preview."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from accounts.roles import Role
from grants.models import Question
from grants.states import ApplicationState
from tests.accounts.helpers import INBOX_COUNT
from tests.factories import ApplicationFactory, make_user, set_state
from tests.grants.staff.helpers import sign_in_with_mfa
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db

CHOICE = {
    "key": "legal-form",
    "kind": "choice",
    "label_de": "Rechtsform",
    "label_en": "Legal form",
    "help_de": "",
    "help_en": "",
    "required": "on",
    "word_limit": "",
    "options": "Verein | Association\ngmbh | GmbH | Company",
    "condition": "",
    "for_jurors": "on",
}


def submitted(call):
    application = ApplicationFactory(call=call, submitted_at=timezone.now())
    return set_state(application, ApplicationState.SUBMITTED)


def create(client, call, data, purpose="proposal"):
    url = reverse("staff_question_create", kwargs={"slug": call.slug}) + f"?purpose={purpose}"
    return client.post(url, data)


def questions_of(call):
    return list(
        Question.objects.filter(call=call, removed_at__isnull=True)
        .order_by("purpose", "position")
        .values_list("purpose", "key", "kind", "position")
    )


def test_a_new_call_asks_the_six_default_questions(call):
    assert [key for _p, key, _k, _pos in questions_of(call)] == [
        "societal_challenge",
        "technical_approach",
        "prior_work",
        "similar_approaches",
        "target_group",
        "team_experience",
    ]


def test_staff_add_a_choice_question_and_it_is_logged(staff_client, call):
    response = create(staff_client, call, CHOICE)

    assert response.url == reverse("staff_call_edit", kwargs={"slug": call.slug}) + "#questions"
    question = Question.objects.get(call=call, key="legal-form")
    assert (question.kind, question.position, question.options) == (
        "choice",
        7,
        [
            {"key": "association", "de": "Verein", "en": "Association"},
            {"key": "gmbh", "de": "GmbH", "en": "Company"},
        ],
    )
    entry = TransitionLog.objects.get(action="grants.call.questions_changed")
    assert (entry.data["change"], entry.data["question"]) == ("added", "legal-form")
    page = staff_client.get(reverse("staff_call_edit", kwargs={"slug": call.slug}))
    assert "Legal form" in page.content.decode()


def test_a_conditional_question_is_shown_after_the_answer_it_depends_on(staff_client, call):
    create(staff_client, call, CHOICE)
    legal_form = Question.objects.get(call=call, key="legal-form")
    data = {
        **CHOICE,
        "key": "register",
        "kind": "text",
        "label_de": "Vereinsregister",
        "label_en": "Register of associations",
        "options": "",
        "condition": f"{legal_form.pk}:association",
    }
    create(staff_client, call, data)
    question = Question.objects.get(call=call, key="register")
    assert (question.condition_question_id, question.condition_value) == (
        legal_form.pk,
        "association",
    )
    draft = ApplicationFactory(call=call)
    client = staff_client.__class__()
    client.force_login(draft.owner)
    html = client.get(reverse("application_edit", args=[draft.pk])).content.decode()
    assert 'data-show-if="q_legal-form" data-show-value="association"' in html
    assert "Answer this only if you answered “Association” to “Legal form”." in html


@pytest.mark.parametrize(
    ("changes", "field_message"),
    [
        ({"word_limit": "²"}, "Enter a whole number."),
        ({"word_limit": "5001"}, "Ensure this value is less than or equal to 5000."),
        ({"options": "Nur eine | Only one"}, "Give at least two options."),
        (
            {"options": "no separator"},
            "Line 1: write “German | English” or “key | German | English”.",
        ),
        ({"label_en": "x" * 301}, "Ensure this value has at most 300 characters (it has 301)."),
        ({"key": "title"}, "This name belongs to a part of every proposal; choose another."),
        (
            {"key": "<b>"},
            "Enter a valid “slug” consisting of letters, numbers, underscores or hyphens.",
        ),
        (
            {"condition": "999999:yes"},
            "Select a valid choice. 999999:yes is not one of the available choices.",
        ),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(
    staff_client, call, changes, field_message
):
    before = questions_of(call)

    response = create(staff_client, call, {**CHOICE, **changes})

    assert response.status_code == 200
    html = response.content.decode()
    assert "The question was not saved. Please correct the marked fields." in html
    assert (
        field_message in html.replace("&quot;", "“").replace("&#x27;", "'") or field_message in html
    )
    assert questions_of(call) == before
    assert not TransitionLog.objects.filter(action="grants.call.questions_changed").exists()


def test_a_label_with_markup_is_stored_as_typed_and_shown_as_text(staff_client, call):
    create(staff_client, call, {**CHOICE, "label_en": "<script>alert(1)</script>"})
    draft = ApplicationFactory(call=call)
    client = staff_client.__class__()
    client.force_login(draft.owner)
    with translation.override("en"):
        html = client.get(reverse("application_edit", args=[draft.pk])).content.decode()

    assert Question.objects.get(key="legal-form").label_en == "<script>alert(1)</script>"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script>" not in html


def test_after_the_first_submission_staff_cannot_change_the_questions(staff_client, call):
    submitted(call)
    question = Question.objects.get(call=call, key="prior_work")
    before = questions_of(call)

    create(staff_client, call, CHOICE)
    staff_client.post(reverse("staff_question_remove", args=[question.pk]), {"confirmed": "on"})
    staff_client.post(reverse("staff_question_move", args=[question.pk]), {"direction": "up"})

    assert questions_of(call) == before
    assert not TransitionLog.objects.filter(action="grants.call.questions_changed").exists()


def test_an_admin_changes_a_frozen_question_only_with_a_reason(client, call):
    submitted(call)
    admin = make_user(is_superuser=True, is_staff=True)
    sign_in_with_mfa(client, admin)
    question = Question.objects.get(call=call, key="prior_work")
    url = reverse("staff_question_edit", args=[question.pk])
    data = {
        "kind": "long_text",
        "key": "prior_work",
        "label_de": "Vorarbeiten",
        "label_en": "Earlier work",
        "required": "on",
        "word_limit": "100",
        "for_jurors": "on",
    }

    refused = client.post(url, data)
    assert "Give a reason for changing the questions of a call that has submissions." in (
        refused.content.decode()
    )
    question.refresh_from_db()
    assert question.label_en == "Prior work"

    client.post(url, {**data, "reason": "A clearer name."})
    question.refresh_from_db()
    assert question.label_en == "Earlier work"
    entry = TransitionLog.objects.get(action="grants.call.questions_changed")
    assert (entry.data["reason"], entry.data["fields"]["label_en"]) == (
        "A clearer name.",
        {"from": "Prior work", "to": "Earlier work"},
    )


def test_removing_asks_first_then_hides_the_question(staff_client, call):
    ApplicationFactory(call=call)
    question = Question.objects.get(call=call, key="prior_work")
    url = reverse("staff_question_remove", args=[question.pk])

    first = staff_client.post(url)
    assert "1 application has answered this question." in first.content.decode()
    question.refresh_from_db()
    assert question.removed_at is None

    staff_client.post(url, {"confirmed": "on"})
    question.refresh_from_db()
    assert question.removed_at is not None
    assert "prior_work" not in [key for _p, key, _k, _pos in questions_of(call)]


def test_moving_a_question_up_swaps_it_with_the_one_before(staff_client, call):
    question = Question.objects.get(call=call, key="prior_work")
    staff_client.post(reverse("staff_question_move", args=[question.pk]), {"direction": "up"})
    assert [key for _p, key, _k, _pos in questions_of(call)][1:3] == [
        "prior_work",
        "technical_approach",
    ]


def test_the_preview_shows_the_form_in_german(client, call):
    sign_in_with_mfa(client, make_user(Role.STAFF, language="de"))
    response = client.get(
        reverse("staff_question_preview", kwargs={"slug": call.slug}),
        HTTP_ACCEPT_LANGUAGE="de",
    )
    html = response.content.decode()
    assert "Gesellschaftliche Herausforderung" in html
    assert "Erfahrung des Teams" in html


@pytest.mark.parametrize("extra", [0, 24])
def test_the_call_page_costs_the_same_queries_however_many_questions(
    staff_client, call, django_assert_num_queries, extra
):
    for number in range(extra):
        Question.objects.create(
            call=call,
            key=f"extra-{number}",
            kind="text",
            label_de="F",
            label_en="Q",
            position=10 + number,
        )
    # With the full calls to link to and the tracks.
    with django_assert_num_queries(10 + INBOX_COUNT):
        response = staff_client.get(reverse("staff_call_edit", kwargs={"slug": call.slug}))
    assert response.content.decode().count('href="/staff/questions/') == 6 + extra
