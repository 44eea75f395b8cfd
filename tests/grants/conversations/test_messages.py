"""Messages in an application's thread: who may write (its team with a verified address,
programme staff; never jurors, the ministry or a conflicted staff juror), files through the
one upload service (all or nothing), e-mails in each person's language, read markers and
the log; refusals change nothing."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.roles import Role
from core.errors import WorkflowError
from core.storage import private_storage
from grants.conversations.queries import read_at, unread_counts
from grants.conversations.services.messages import send_message
from grants.inbox.services import take_over
from grants.models import Application, Attachment, ConversationRead, Message, TeamMember
from grants.states import MESSAGE_MAX_CHARS
from tests.factories import ApplicationFactory, CallFactory, make_user
from tests.grants.inbox.world import _submitted
from tests.review.helpers import conflict
from workflow.queries import log_of

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def owner():
    return make_user(Role.APPLICANT, full_name="Ada Owner", language="de")


@pytest.fixture
def staff():
    return make_user(Role.STAFF, full_name="Sam Staff", language="en")


@pytest.fixture
def application(owner):
    return _submitted(CallFactory(), owner)


@pytest.fixture
def member(application):
    person = make_user(
        Role.APPLICANT, full_name="Mia Mate", email="mia@team.example", language="en"
    )
    TeamMember.objects.create(application=application, email="MIA@team.example", name="Mia Mate")
    return person


def pdf(name="plan.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def send(application, actor, body="Hello", files=(), capture=None):
    return send_message(application=application, actor=actor, body=body, files=files)


def test_staff_write_to_the_team_in_each_persons_language(
    application, staff, owner, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = send(application, staff, "Welcome aboard! https://fund.example/guide")

    assert (message.from_staff, message.kind, message.author) == (True, "message", staff)
    by_address = {m.to[0]: m for m in mail.outbox}
    assert sorted(by_address) == ["mia@team.example", owner.email]
    german = by_address[owner.email]
    english = by_address["mia@team.example"]
    assert german.subject == f"[Civic Tech Fund] Neue Nachricht zu {application.reference}"
    assert german.body.startswith("Guten Tag Ada Owner,\n")
    assert "Welcome aboard! https://fund.example/guide" in german.body
    assert f"/applications/{application.pk}/messages/" in german.body
    assert english.subject == f"[Civic Tech Fund] New message about {application.reference}"
    assert english.body.startswith("Hello Mia Mate,\n")
    assert "the programme staff (Sam Staff) wrote to you about" in english.body
    assert "because of your application" in english.body


def test_the_team_writes_to_the_staff_who_take_part(
    application, staff, owner, member, django_capture_on_commit_callbacks
):
    holder = make_user(Role.STAFF, full_name="Mara Klein", language="de")
    bystander = make_user(Role.STAFF, full_name="Otto Other")
    send(application, staff, "Any questions?")
    take_over(subject=application, actor=holder)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        send(application, owner, "Yes: when is the first payment?")

    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([staff.email, holder.email, "mia@team.example"])
    assert bystander.email not in recipients
    to_holder = next(m for m in mail.outbox if m.to == [holder.email])
    assert to_holder.subject == f"[Civic Tech Fund] Neue Nachricht zu {application.reference}"
    assert (
        f"Ada Owner hat zu {application.reference} („{application.title}“) geschrieben:\n\n"
        "Yes: when is the first payment?\n"
    ) in to_holder.body
    assert to_holder.body.endswith(
        "Sie erhalten diese E-Mail, weil Sie zum Programmteam des Civic Tech Fund gehören.\n\n"
    )
    to_member = next(m for m in mail.outbox if m.to == ["mia@team.example"])
    assert "You receive this e-mail because of your application" in to_member.body


def test_a_conflicted_staff_juror_who_wrote_before_is_not_told(
    application, staff, owner, django_capture_on_commit_callbacks
):
    reader = make_user(Role.STAFF, Role.JUROR)
    send(application, reader, "Hello from me.")
    conflict(reader, application)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        send(application, owner, "Thanks!")

    assert [m.to for m in mail.outbox] == []


def test_files_go_through_the_one_upload_service(application, owner):
    message = send(application, owner, "The plan is attached.", files=[pdf(), pdf("b.pdf")])

    files = list(message.attachments.order_by("pk"))
    assert [(f.original_name, f.content_type, f.application_id) for f in files] == [
        ("plan.pdf", "application/pdf", application.pk),
        ("b.pdf", "application/pdf", application.pk),
    ]
    assert all(private_storage().exists(f.stored_name) for f in files)


def test_a_refused_file_sends_nothing_and_keeps_no_file(application, owner):
    good = pdf()
    bad = SimpleUploadedFile(
        "evil.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf"
    )

    with pytest.raises(WorkflowError) as refused:
        send(application, owner, "Two files.", files=[good, bad])

    assert "is not a PDF, PNG, JPEG or plain-text file" in refused.value.message
    assert not Message.objects.filter(kind="message").exists()
    assert not Attachment.objects.exists()
    assert list(private_storage().listdir("")[1]) == []


def test_the_hourly_upload_limit_applies(application, owner, settings):
    settings.ATTACHMENT_UPLOADS_PER_HOUR = 1
    send(application, owner, "One.", files=[pdf()])

    with pytest.raises(WorkflowError) as refused:
        send(application, owner, "Two.", files=[pdf()])

    assert refused.value.message.startswith("You have uploaded 1 files within an hour")
    assert Message.objects.filter(kind="message").count() == 1


def test_the_storage_quota_applies(application, owner, settings):
    settings.ATTACHMENT_QUOTA_BYTES = len(PDF) + 10

    send(application, owner, "One.", files=[pdf()])
    with pytest.raises(WorkflowError) as refused:
        send(application, owner, "Two.", files=[pdf()])

    assert "does not fit" in refused.value.message


def test_at_most_three_files(application, owner):
    with pytest.raises(WorkflowError) as refused:
        send(application, owner, "Many.", files=[pdf(f"{n}.pdf") for n in range(4)])

    assert refused.value.message == "A message may carry at most 3 files."
    assert refused.value.field_errors == {"files": ["A message may carry at most 3 files."]}
    assert not Message.objects.filter(kind="message").exists()


@pytest.mark.parametrize("body", ["", "   \n  "])
def test_an_empty_message_is_refused(application, owner, body):
    with pytest.raises(WorkflowError) as refused:
        send(application, owner, body)

    assert refused.value.field_errors == {"body": ["This field is required."]}
    assert not Message.objects.exists()


def test_a_huge_message_is_refused(application, owner):
    with pytest.raises(WorkflowError) as refused:
        send(application, owner, "x" * (MESSAGE_MAX_CHARS + 1))

    assert refused.value.field_errors == {
        "body": ["Ensure this value has at most 10000 characters (it has 10001)."]
    }
    assert not Message.objects.exists()


def test_a_message_at_the_limit_is_sent(application, owner):
    message = send(application, owner, "x" * MESSAGE_MAX_CHARS)

    assert len(message.body) == MESSAGE_MAX_CHARS


def writers():
    return {
        "other applicant": lambda application: make_user(Role.APPLICANT),
        "juror": lambda application: make_user(Role.JUROR),
        "ministry": lambda application: make_user(Role.MINISTRY),
        "unverified member": _unverified_member,
    }


def _unverified_member(application):
    person = make_user(Role.APPLICANT, email="late@team.example")
    EmailAddress.objects.filter(user=person).update(verified=False)
    TeamMember.objects.create(application=application, email="late@team.example", name="Late")
    return person


@pytest.mark.parametrize("who", list(writers()))
def test_outsiders_may_not_write(application, who):
    person = writers()[who](application)

    with pytest.raises(WorkflowError) as refused:
        send(application, person, "Let me in.")

    assert refused.value.message == "You may not write in this conversation."
    assert not Message.objects.exists()


def test_a_conflicted_staff_juror_may_not_write(application):
    reader = make_user(Role.STAFF, Role.JUROR)
    conflict(reader, application)

    with pytest.raises(WorkflowError):
        send(application, reader, "Hello")

    assert not Message.objects.exists()


def test_a_draft_has_no_thread(owner):
    draft = ApplicationFactory(owner=owner)

    with pytest.raises(WorkflowError):
        send(draft, owner, "Hello")

    assert not Message.objects.exists()


def test_a_verified_team_member_writes_as_the_team(application, member):
    message = send(application, member, "From the team.")

    assert message.from_staff is False


def test_sending_marks_the_thread_read_for_the_author_and_logs_it(application, staff, owner):
    message = send(application, staff, "Hi", files=[pdf()])

    assert read_at(application, staff) == message.created_at
    entry = log_of(application).get(action="grants.application.message_from_staff")
    assert (entry.actor, entry.visible_to_applicant, entry.data, entry.note) == (
        staff,
        True,
        {"message": message.pk, "files": 1},
        "",
    )
    send(application, owner, "Thanks")
    assert log_of(application).filter(action="grants.application.message_from_team").count() == 1


def test_unread_counts_are_per_person(application, staff, owner, member):
    send(application, staff, "One")
    send(application, staff, "Two")
    send(application, owner, "Three")

    applications = Application.objects.filter(pk=application.pk)
    # Writing is reading: the owner's own message marked the thread read up to it.
    assert unread_counts(applications, owner) == {}
    assert unread_counts(applications, member) == {application.pk: 3}
    assert unread_counts(applications, staff) == {application.pk: 1}
    assert ConversationRead.objects.filter(user=member).count() == 0
