"""The thread page: who reads it, what it shows (new markers, the question with its due date
and the answer button, files), writing in it without JavaScript, hostile input (no HTML, no
javascript: links, huge text refused with the text kept), and its fixed number of queries."""

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from grants.models import Message
from grants.states import MESSAGE_MAX_CHARS
from tests.accounts.helpers import INBOX_COUNT, sign_in
from tests.factories import CallFactory, make_user
from tests.grants.inbox.world import _submitted, message, question

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def owner():
    return make_user(Role.APPLICANT, full_name="Ada Owner")


@pytest.fixture
def staff():
    return make_user(Role.STAFF, full_name="Sam Staff")


@pytest.fixture
def application(owner):
    return _submitted(CallFactory(), owner)


def url(application):
    return reverse("conversation", args=[application.pk])


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_thread_shows_messages_and_marks_the_new_ones(client, application, owner, staff):
    message(application, owner, "Is the budget right?")
    reply = message(application, staff, "Yes, it is.", from_staff=True)
    sign_in(client, owner)

    first = client.get(url(application))
    again = client.get(url(application))

    html = first.content.decode()
    assert first.status_code == 200
    assert [e["is_new"] for e in first.context["entries"]] == [False, True]
    assert f'<a href="#message-{reply.pk}">1 new message: go to it</a>' in html
    assert html.count('class="badge badge-new"') == 1
    assert [e["is_new"] for e in again.context["entries"]] == [False, False]


def test_the_question_shows_its_due_date_and_the_owners_answer_button(
    client, application, owner, staff
):
    question(application, staff, due_in=5)
    sign_in(client, owner)

    html = client.get(url(application)).content.decode()

    assert "Which city tests the prototype first?" in html
    assert "Question with a due date" in html
    answer = reverse("application_answer", args=[application.pk])
    assert f'<a class="button" href="{answer}">Answer the question</a>' in html


def test_staff_see_the_answer_with_a_link_to_what_it_changed(client, application, staff):
    request = question(application, staff, answered=True)
    sign_in(client, staff)

    html = client.get(url(application)).content.decode()

    assert "Ulm, from March." in html
    detail = reverse("staff_application_detail", args=[application.pk])
    assert f'href="{detail}#answer-{request.pk}">See what the answer changed</a>' in html
    assert "Answer the question</a>" not in html


def test_writing_sends_and_returns_to_the_message(client, application, owner):
    sign_in(client, owner)

    response = client.post(
        url(application),
        {"body": "Here is our plan.", "files": [SimpleUploadedFile("plan.pdf", PDF)]},
    )

    sent = Message.objects.get(kind="message")
    assert response.status_code == 302
    assert response["Location"] == f"{url(application)}#message-{sent.pk}"
    assert messages_of(response) == ["Your message has been sent."]
    assert [f.original_name for f in sent.attachments.all()] == ["plan.pdf"]
    page = client.get(url(application)).content.decode()
    download = reverse("attachment_download", args=[sent.attachments.get().pk])
    assert f'<a href="{download}">plan.pdf</a>' in page


def test_message_files_stay_out_of_the_proposals_files(client, application, owner, staff):
    client_owner = sign_in(client, owner)
    client_owner.post(
        url(application), {"body": "Plan", "files": [SimpleUploadedFile("plan.pdf", PDF)]}
    )
    client.logout()
    sign_in(client, staff)

    detail = client.get(reverse("staff_application_detail", args=[application.pk]))

    assert list(detail.context["attachments"]) == []


def test_hostile_text_is_shown_as_text(client, application, owner, staff):
    hostile = (
        "<script>alert(1)</script> javascript:alert(2) JaVaScRiPt://x.org/%0Aalert(3) "
        'data:text/html,<b>x</b> https://example.org/ok?a=1&b=2. "><img src=x onerror=alert(4)>'
    )
    message(application, owner, hostile)
    sign_in(client, staff)

    html = client.get(url(application)).content.decode()

    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript' not in html.lower()
    assert "<img src=x" not in html
    assert (
        '<a href="https://example.org/ok?a=1&amp;b=2" rel="nofollow noopener noreferrer">'
        "https://example.org/ok?a=1&amp;b=2</a>." in html
    )
    assert html.count('rel="nofollow noopener noreferrer"') == 1


def test_a_huge_text_is_refused_and_kept(client, application, owner):
    huge = "Our long story. " * (MESSAGE_MAX_CHARS // 10)
    sign_in(client, owner)

    response = client.post(url(application), {"body": huge})

    assert response.status_code == 200
    assert not Message.objects.exists()
    assert messages_of(response) == [
        "Your message was not sent. Please correct the marked field; your text is kept."
    ]
    assert response.context["form"]["body"].value() == huge
    html = response.content.decode()
    length = len(huge.strip())  # the form strips the trailing space
    assert f"Ensure this value has at most 10000 characters (it has {length})." in html
    assert "maxlength" not in html


def test_an_empty_message_is_refused(client, application, owner):
    sign_in(client, owner)

    response = client.post(url(application), {"body": "   "})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Message.objects.exists()


def test_a_refused_file_keeps_the_text(client, application, owner):
    sign_in(client, owner)

    response = client.post(
        url(application),
        {"body": "With a file.", "files": [SimpleUploadedFile("run.exe", b"MZ\x90\x00binary")]},
    )

    assert response.status_code == 200
    assert not Message.objects.exists()
    assert messages_of(response) == [
        "“run.exe” is not a PDF, PNG, JPEG or plain-text file. Only these types are accepted.",
        "Please choose the files again: browsers do not keep them.",
    ]
    assert response.context["form"]["body"].value() == "With a file."


def test_a_draft_has_no_thread_page(client, owner):
    from tests.factories import ApplicationFactory

    draft = ApplicationFactory(owner=owner)
    sign_in(client, owner)

    assert client.get(url(draft)).status_code == 404


def test_other_methods_are_refused(client, application, owner):
    sign_in(client, owner)

    assert client.delete(url(application)).status_code == 405


@pytest.mark.parametrize("count", [1, 3])
def test_the_thread_costs_the_same_with_1_and_3_messages(
    client, application, owner, staff, django_assert_num_queries, count
):
    question(application, staff, answered=True)
    for number in range(count):
        sent = message(application, staff, f"Message {number}", from_staff=True)
        from grants.models import Attachment

        Attachment.objects.create(
            application=application,
            message=sent,
            original_name=f"file{number}.pdf",
            stored_name=f"{application.pk}-{number}.pdf",
            content_type="application/pdf",
            size=10,
            uploaded_by=staff,
        )
    sign_in(client, owner)

    # Session, user, groups; the application with its call, owner and grant; the read
    # marker; the messages with their authors and questions; their files; the read marker
    # written; the team; the navigation's count. (The owner's side costs no query.)
    with django_assert_num_queries(3 + 1 + 1 + 1 + 1 + 1 + 1 + INBOX_COUNT):
        response = client.get(url(application))

    assert len(response.context["entries"]) == 2 + count


@pytest.mark.parametrize("count", [1, 3])
def test_the_staff_thread_costs_the_same_with_1_and_3_messages(
    client, application, owner, staff, django_assert_num_queries, count
):
    for number in range(count):
        message(application, owner, f"Message {number}")
    sign_in(client, staff)

    # Session, user, groups, second-factor gate; the application; whether the reader is on
    # its team (the side they write on); the read marker; the messages; their files; the
    # marker written; the team; the navigation's count.
    with django_assert_num_queries(4 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + INBOX_COUNT):
        response = client.get(url(application))

    assert len(response.context["entries"]) == count
