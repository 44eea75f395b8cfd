"""Announcements: exactly who receives them (each person once: owners and verified team
members of the applications in scope), the preview with the exact count, sending only if
the count still holds, in each recipient's language, recorded and logged; refusals send
nothing; hostile input; fixed query counts."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse

from accounts.roles import Role
from core.errors import WorkflowError
from grants.conversations.queries import announcement_recipients
from grants.conversations.services.announcements import (
    RecipientsChanged,
    plan_announcement,
    send_announcement,
)
from grants.models import Announcement, AnnouncementRecipient, TeamMember
from grants.states import AnnouncementAudience as A
from tests.accounts.helpers import INBOX_COUNT, sign_in
from tests.factories import ApplicationFactory, CallFactory, make_grant, make_user
from tests.grants.inbox.world import _submitted
from workflow.queries import log_of

pytestmark = pytest.mark.django_db

TEXTS = {
    "subject_de": "Neue Sprechstunde",
    "subject_en": "New office hours",
    "body_de": "Ab Montag beraten wir dienstags von 10 bis 12 Uhr.",
    "body_en": "From Monday we advise on Tuesdays from 10 to 12.",
}


@pytest.fixture
def staff():
    return make_user(Role.STAFF, full_name="Sam Staff")


@pytest.fixture
def call():
    return CallFactory()


def emails(users):
    return sorted(user.email for user in users)


def test_the_applicants_of_a_call_each_once_with_their_verified_team(call):
    ada = make_user(Role.APPLICANT, email="ada@example.org")
    _submitted(call, ada)
    _submitted(call, ada)  # two applications: one e-mail
    team_app = _submitted(call)
    make_user(Role.APPLICANT, email="mate@example.org")
    unverified = make_user(Role.APPLICANT, email="late@example.org")
    EmailAddress.objects.filter(user=unverified).update(verified=False)
    TeamMember.objects.create(application=team_app, email="Mate@Example.org", name="Mate")
    TeamMember.objects.create(application=team_app, email="late@example.org", name="Late")
    ApplicationFactory(call=call)  # a draft
    withdrawn = _submitted(call)
    type(withdrawn).objects.filter(pk=withdrawn.pk).update(state="withdrawn")
    inactive = _submitted(call)
    type(inactive.owner).objects.filter(pk=inactive.owner_id).update(is_active=False)
    _submitted(CallFactory())  # another call

    recipients = announcement_recipients(A.CALL_APPLICANTS, call)

    assert emails(recipients) == sorted(
        ["ada@example.org", team_app.owner.email, "mate@example.org"]
    )


def test_the_grantees_of_a_call_and_of_all_calls(call):
    funded = make_grant(ApplicationFactory(call=call))
    reporting = make_grant(ApplicationFactory(call=call), state="final_report_due")
    make_grant(ApplicationFactory(call=call), state="approved")  # not signed
    make_grant(ApplicationFactory(call=call), state="completed")  # finished
    elsewhere = make_grant(ApplicationFactory(call=CallFactory()))

    in_call = announcement_recipients(A.CALL_GRANTEES, call)
    everywhere = announcement_recipients(A.ALL_GRANTEES)

    grantees = [funded, reporting]
    assert emails(in_call) == emails(g.application.owner for g in grantees)
    assert emails(everywhere) == emails(g.application.owner for g in [*grantees, elsewhere])


def test_the_plan_counts_the_recipients_by_language(staff, call):
    _submitted(call, make_user(Role.APPLICANT, language="de"))
    _submitted(call, make_user(Role.APPLICANT, language="de"))
    _submitted(call, make_user(Role.APPLICANT, language="en"))

    plan = plan_announcement(actor=staff, audience=A.CALL_APPLICANTS, call=call, texts=TEXTS)

    assert (plan.count, plan.languages) == (3, {"de": 2, "en": 1})
    assert plan.announcement.pk is None
    assert not Announcement.objects.exists()


def test_sending_reaches_everyone_in_their_language_and_is_logged(
    staff, call, django_capture_on_commit_callbacks
):
    german = make_user(Role.APPLICANT, language="de", full_name="Lena Schmidt")
    english = make_user(Role.APPLICANT, language="en", full_name="Ann Lee")
    _submitted(call, german)
    _submitted(call, english)

    with django_capture_on_commit_callbacks(execute=True):
        sent = send_announcement(
            actor=staff, audience=A.CALL_APPLICANTS, call=call, texts=TEXTS, expected_count=2
        )

    assert sent.recipient_count == 2
    assert emails(r.user for r in AnnouncementRecipient.objects.filter(announcement=sent)) == (
        emails([german, english])
    )
    by_address = {m.to[0]: m for m in mail.outbox}
    assert by_address[german.email].subject == "[Civic Tech Fund] Neue Sprechstunde"
    assert by_address[german.email].body.startswith(
        "Guten Tag Lena Schmidt,\n\nAb Montag beraten wir dienstags von 10 bis 12 Uhr.\n"
    )
    assert by_address[english.email].subject == "[Civic Tech Fund] New office hours"
    assert by_address[english.email].body.startswith(
        "Hello Ann Lee,\n\nFrom Monday we advise on Tuesdays from 10 to 12.\n"
    )
    assert (
        "<p>From Monday we advise on Tuesdays from 10 to 12.</p>"
        in (by_address[english.email].alternatives[0][0])
    )
    entry = log_of(sent).get()
    assert (entry.action, entry.actor, entry.data) == (
        "grants.announcement.sent",
        staff,
        {"audience": "call_applicants", "call": call.pk, "recipients": 2},
    )


def test_a_changed_count_sends_nothing(staff, call, django_capture_on_commit_callbacks):
    _submitted(call)
    _submitted(call)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RecipientsChanged) as no:
        send_announcement(
            actor=staff, audience=A.CALL_APPLICANTS, call=call, texts=TEXTS, expected_count=1
        )

    assert no.value.message == (
        "The number of recipients has changed from 1 to 2 since the preview. Nothing was "
        "sent: check the preview and send again."
    )
    assert not Announcement.objects.exists()
    assert not AnnouncementRecipient.objects.exists()
    assert mail.outbox == []


def test_an_announcement_to_nobody_is_refused(staff, call):
    with pytest.raises(WorkflowError) as refused:
        send_announcement(
            actor=staff, audience=A.CALL_GRANTEES, call=call, texts=TEXTS, expected_count=0
        )

    assert refused.value.message == "Nobody would receive this announcement; it was not sent."
    assert not Announcement.objects.exists()


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.JUROR, Role.MINISTRY])
def test_only_staff_send(call, role):
    _submitted(call)

    with pytest.raises(WorkflowError):
        send_announcement(
            actor=make_user(role),
            audience=A.CALL_APPLICANTS,
            call=call,
            texts=TEXTS,
            expected_count=1,
        )

    assert not Announcement.objects.exists()


def test_both_languages_and_the_call_are_required(staff):
    with pytest.raises(WorkflowError) as no_call:
        plan_announcement(actor=staff, audience=A.CALL_APPLICANTS, call=None, texts=TEXTS)
    with pytest.raises(WorkflowError) as no_english:
        plan_announcement(
            actor=staff, audience=A.ALL_GRANTEES, call=None, texts={**TEXTS, "body_en": " "}
        )

    assert no_call.value.field_errors == {"call": ["Choose the call."]}
    assert no_english.value.field_errors == {"body_en": ["This field is required."]}


# The pages: write, preview, send.


def post(client, data):
    return client.post(reverse("staff_announcement_new"), data)


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def form_data(call, **extra):
    return {"audience": "call_applicants", "call": call.slug, **TEXTS, **extra}


def hidden_fields(html):
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))
    fields.update(re.findall(r'<textarea name="(\w+)" hidden aria-hidden="true">([^<]*)<', html))
    fields.pop("csrfmiddlewaretoken", None)
    fields.pop("next", None)
    return fields


def test_the_preview_shows_the_exact_count_and_both_texts(client, staff, call):
    for _ in range(3):
        _submitted(call)
    sign_in(client, staff)

    response = post(client, form_data(call, preview="1"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "It will be sent to 3 people." in html
    assert "Send to 3 people</button>" in html
    assert "Ab Montag beraten wir dienstags von 10 bis 12 Uhr." in html
    assert hidden_fields(html) == {
        "audience": "call_applicants",
        "call": call.slug,
        "expected_count": "3",
        **TEXTS,
    }
    assert not Announcement.objects.exists()


def test_sending_from_the_preview(client, staff, call, django_capture_on_commit_callbacks):
    _submitted(call)
    sign_in(client, staff)
    preview = post(client, form_data(call, preview="1"))

    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, {**hidden_fields(preview.content.decode()), "send": "1"})

    sent = Announcement.objects.get()
    assert response["Location"] == reverse("staff_announcement", args=[sent.pk])
    assert messages_of(response) == ["The announcement is on its way to 1 person."]
    assert len(mail.outbox) == 1


def test_a_changed_count_shows_the_preview_again(client, staff, call):
    _submitted(call)
    sign_in(client, staff)
    preview = post(client, form_data(call, preview="1"))
    _submitted(call)

    response = post(client, {**hidden_fields(preview.content.decode()), "send": "1"})

    assert response.status_code == 200
    assert "It will be sent to 2 people." in response.content.decode()
    assert messages_of(response) == [
        "The number of recipients has changed from 1 to 2 since the preview. Nothing was "
        "sent: check the preview and send again."
    ]
    assert not Announcement.objects.exists()


def test_change_goes_back_to_the_form_with_the_texts(client, staff, call):
    _submitted(call)
    sign_in(client, staff)

    response = post(client, {**form_data(call, expected_count="1"), "change": "1"})

    assert response.templates[0].name == "grants/conversations/announcement_form.html"
    assert response.context["form"]["body_de"].value() == TEXTS["body_de"]


@pytest.mark.parametrize("count", ["²", "-1", str(2**64), "many"])
def test_a_forged_count_sends_nothing(client, staff, call, count):
    _submitted(call)
    sign_in(client, staff)

    response = post(client, {**form_data(call, expected_count=count), "send": "1"})

    assert response.status_code == 200
    assert response.templates[0].name == "grants/conversations/announcement_form.html"
    assert not Announcement.objects.exists()


def test_a_huge_text_is_refused_and_kept(client, staff, call):
    huge = "Bitte lesen. " * 1000
    sign_in(client, staff)

    response = post(client, form_data(call, body_de=huge, preview="1"))

    assert response.templates[0].name == "grants/conversations/announcement_form.html"
    assert response.context["form"]["body_de"].value() == huge
    assert "Ensure this value has at most 10000 characters" in response.content.decode()


def test_an_unknown_call_and_audience_are_refused(client, staff):
    sign_in(client, staff)

    response = post(client, {**TEXTS, "audience": "everyone", "call": "x'; drop", "preview": "1"})

    assert response.templates[0].name == "grants/conversations/announcement_form.html"
    errors = response.context["form"].errors
    assert set(errors) == {"audience", "call"}


@pytest.mark.parametrize("count", [1, 3])
def test_the_list_costs_the_same_with_1_and_3_announcements(
    client, staff, call, django_assert_num_queries, count
):
    for _ in range(count):
        Announcement.objects.create(
            audience="call_applicants", call=call, sent_by=staff, recipient_count=4, **TEXTS
        )
    sign_in(client, staff)

    # Session, user, groups, second-factor gate; the announcements with call and sender;
    # the navigation's count.
    with django_assert_num_queries(4 + 1 + INBOX_COUNT):
        response = client.get(reverse("staff_announcements"))

    assert response.content.decode().count("New office hours") == count


@pytest.mark.parametrize("count", [1, 3])
def test_the_preview_costs_the_same_with_1_and_3_recipients(
    client, staff, call, django_assert_num_queries, count
):
    for _ in range(count):
        _submitted(call)
    sign_in(client, staff)

    # Session, user, groups, second-factor gate; the call chosen; the recipients counted by
    # language; the calls of the form's select are not shown (hidden); the navigation.
    with django_assert_num_queries(4 + 1 + 1 + INBOX_COUNT):
        response = post(client, form_data(call, preview="1"))

    assert response.context["plan"].count == count
