"""Regression tests of the security review (issue 6, finding 4): an applicant cannot fill
the disk. A storage quota that counts removed files until they are purged, the daily purge,
an upload rate limit, a cap on open drafts per call, a hard length on every text, and an
upload handler that stops what is too large while it arrives."""

import datetime as dt
import uuid

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from core.storage import private_storage
from grants.models import Application, Attachment, Call
from grants.services.applications import start_application, update_draft, withdraw_application
from grants.services.attachments import stored_bytes_of
from grants.services.errors import WorkflowError
from grants.states import ApplicationState, CallState
from tests.factories import ApplicationFactory, CallFactory, make_user, set_state
from tests.grants.test_applicant_journey import draft_post

pytestmark = pytest.mark.django_db

TEXT = b"Plain text attachment.\n"


@pytest.fixture
def draft():
    return ApplicationFactory()


def upload(client, application, name="notes.txt", content=TEXT):
    return client.post(
        reverse("attachment_upload", args=[application.pk]),
        {"file": SimpleUploadedFile(name, content, content_type="text/plain")},
        follow=True,
    )


def page_messages(response):
    return [str(message) for message in response.context["messages"]]


def stored(content, *, application, removed_days_ago=None):
    name = f"{uuid.uuid4().hex}.txt"
    private_storage().save(name, ContentFile(content))
    removed_at = None
    if removed_days_ago is not None:
        removed_at = timezone.now() - dt.timedelta(days=removed_days_ago)
    return Attachment.objects.create(
        application=application,
        original_name="notes.txt",
        stored_name=name,
        content_type="text/plain",
        size=len(content),
        uploaded_by=application.owner,
        removed_at=removed_at,
    )


# Quota and purge --------------------------------------------------------------------------


def test_removed_files_count_against_the_quota_until_purged(client, draft, settings):
    settings.ATTACHMENT_QUOTA_BYTES = 3 * 1024
    kilobyte = b"a" * 1000 + b"\n"
    client.force_login(draft.owner)
    for _ in range(3):
        upload(client, draft, content=kilobyte)
        client.post(reverse("attachment_remove", args=[Attachment.objects.latest("pk").pk]))

    refused = upload(client, draft, content=kilobyte)

    assert page_messages(refused) == [
        "“notes.txt” (1001\xa0bytes) does not fit: your files already take 2.9\xa0KB of the "
        "3.0\xa0KB you may store. Files you removed count until they are deleted for good, "
        "7 days after removal."
    ]
    assert Attachment.objects.count() == 3
    with time_machine.travel(timezone.now() + dt.timedelta(days=8)):
        call_command("purge_removed_attachments", verbosity=0)
    accepted = upload(client, draft, content=kilobyte)
    assert page_messages(accepted) == ["“notes.txt” was added."]


def test_the_quota_counts_every_application_of_the_person(client, settings):
    settings.ATTACHMENT_QUOTA_BYTES = 2 * len(TEXT)
    owner = make_user(Role.APPLICANT)
    first, second = ApplicationFactory(owner=owner), ApplicationFactory(owner=owner)
    client.force_login(owner)
    upload(client, first)
    upload(client, second)

    refused = upload(client, second)

    assert "does not fit" in page_messages(refused)[0]
    assert Attachment.objects.count() == 2


def test_purge_deletes_files_removed_long_enough_ago_and_keeps_the_records(draft, capsys):
    old = stored(b"old", application=draft, removed_days_ago=8)
    recent = stored(b"recent", application=draft, removed_days_ago=6)
    kept = stored(b"kept", application=draft)

    call_command("purge_removed_attachments")

    storage = private_storage()
    assert not storage.exists(old.stored_name)
    assert storage.exists(recent.stored_name)
    assert storage.exists(kept.stored_name)
    old.refresh_from_db()
    assert old.purged_at is not None
    assert Attachment.objects.filter(purged_at__isnull=True).count() == 2
    assert capsys.readouterr().out == "Purged 1 removed attachment file(s) older than 7 days.\n"
    # Running it again changes nothing, also when a file is already gone.
    storage.delete(recent.stored_name)
    with time_machine.travel(timezone.now() + dt.timedelta(days=2)):
        call_command("purge_removed_attachments", verbosity=0)
    assert Attachment.objects.filter(purged_at__isnull=False).count() == 2


def test_a_first_file_as_large_as_the_quota_fits(client, draft, settings):
    """Nobody's files yet take nothing: not one byte of the quota is used up."""
    settings.ATTACHMENT_QUOTA_BYTES = len(TEXT)
    assert stored_bytes_of(draft.owner) == 0
    client.force_login(draft.owner)

    assert page_messages(upload(client, draft)) == ["“notes.txt” was added."]
    assert stored_bytes_of(draft.owner) == len(TEXT)


# Upload rate limit ------------------------------------------------------------------------


def test_uploads_are_rate_limited_per_person(client, draft, settings, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 15, tzinfo=dt.UTC), tick=False)
    settings.ATTACHMENT_UPLOADS_PER_HOUR = 2
    client.force_login(draft.owner)
    upload(client, draft)
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 40, tzinfo=dt.UTC), tick=False)
    upload(client, draft)

    refused = upload(client, draft)

    # The first upload was at 10:15 Berlin time: the next one is possible an hour later.
    assert page_messages(refused) == [
        "You have uploaded 2 files within an hour, the most allowed. You can upload the next "
        "file at 11:15."
    ]
    assert Attachment.objects.count() == 2
    time_machine.move_to(dt.datetime(2026, 3, 2, 10, 15, tzinfo=dt.UTC), tick=False)
    assert page_messages(upload(client, draft)) == ["“notes.txt” was added."]


def test_the_next_upload_time_counts_only_the_last_hour(client, draft, settings, time_machine):
    """An upload older than an hour neither counts nor sets the time of the next one."""
    settings.ATTACHMENT_UPLOADS_PER_HOUR = 2
    client.force_login(draft.owner)
    for minute in ((8, 0), (9, 15), (9, 40)):
        time_machine.move_to(dt.datetime(2026, 3, 2, *minute, tzinfo=dt.UTC), tick=False)
        assert page_messages(upload(client, draft)) == ["“notes.txt” was added."]
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 45, tzinfo=dt.UTC), tick=False)

    refused = upload(client, draft)

    # 10:15 and 10:40 Berlin time are the last hour's uploads: the next is possible at 11:15.
    assert page_messages(refused) == [
        "You have uploaded 2 files within an hour, the most allowed. You can upload the next "
        "file at 11:15."
    ]
    assert Attachment.objects.count() == 3


def test_the_upload_rate_limit_is_on_outside_the_tests():
    from config.settings import base

    assert base.ATTACHMENT_UPLOADS_PER_HOUR == 30
    assert "attachment_upload" not in base.ACCOUNT_RATE_LIMITS  # one limit, in the service


# Open drafts per call ---------------------------------------------------------------------


def test_open_drafts_per_applicant_and_call_are_capped(client, settings):
    assert settings.OPEN_DRAFTS_PER_CALL == 3
    call, other_call = CallFactory(), CallFactory()
    applicant = make_user(Role.APPLICANT)
    for _ in range(3):
        start_application(call=call, actor=applicant)

    with pytest.raises(WorkflowError) as refused:
        start_application(call=call, actor=applicant)

    assert refused.value.message == (
        "You already have 3 open drafts in this call. Submit or withdraw one of them before "
        "you start another one."
    )
    assert Application.objects.filter(call=call).count() == 3
    # Another call, and another applicant, are not affected; nor is the reference counter.
    start_application(call=other_call, actor=applicant)
    assert start_application(call=call, actor=make_user(Role.APPLICANT)).reference.endswith("-0004")


def test_a_withdrawn_or_submitted_draft_frees_its_place(settings):
    settings.OPEN_DRAFTS_PER_CALL = 1
    call = CallFactory()
    applicant = make_user(Role.APPLICANT)
    first = start_application(call=call, actor=applicant)
    withdraw_application(application=first, actor=applicant, expected_state="draft")

    second = start_application(call=call, actor=applicant)
    set_state(second, ApplicationState.SUBMITTED)

    assert start_application(call=call, actor=applicant).state == ApplicationState.DRAFT


def test_the_start_button_explains_the_cap(client, settings):
    settings.OPEN_DRAFTS_PER_CALL = 1
    call = CallFactory()
    applicant = make_user(Role.APPLICANT)
    client.force_login(applicant)
    client.post(reverse("application_start", kwargs={"slug": call.slug}), follow=True)

    response = client.post(reverse("application_start", kwargs={"slug": call.slug}), follow=True)

    assert response.redirect_chain == [(f"/calls/{call.slug}/", 302)]
    assert page_messages(response) == [
        "You already have 1 open draft in this call. Submit or withdraw it before you start "
        "another one."
    ]


# Streaming upload handler -----------------------------------------------------------------


class Recorder(FileUploadHandler):
    """Sits just before Django's memory and temporary-file handlers and records how many
    bytes of each file reach them."""

    received: list[int] = []

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        Recorder.received.append(0)

    def receive_data_chunk(self, raw_data, start):
        Recorder.received[-1] += len(raw_data)
        return raw_data

    def file_complete(self, file_size):
        return None


@pytest.fixture
def recorder(settings):
    handlers = list(settings.FILE_UPLOAD_HANDLERS)
    handlers.insert(
        handlers.index("django.core.files.uploadhandler.MemoryFileUploadHandler"),
        f"{__name__}.Recorder",
    )
    settings.FILE_UPLOAD_HANDLERS = handlers
    Recorder.received = []
    return Recorder


def test_a_file_over_the_limit_is_stopped_while_it_arrives(client, draft, settings, recorder):
    settings.ATTACHMENT_MAX_BYTES = 100 * 1024
    client.force_login(draft.owner)

    response = upload(client, draft, "big.txt", b"a" * (300 * 1024))

    assert page_messages(response) == [
        "“big.txt” is too large; files may be at most 100.0\xa0KB. It was not stored."
    ]
    # Django's handlers (memory, temporary file) saw no more than the limit.
    assert recorder.received[0] <= 100 * 1024
    assert not Attachment.objects.exists()


def test_a_request_over_the_limit_is_not_read_into_any_file(client, draft, settings, recorder):
    settings.UPLOAD_REQUEST_MAX_BYTES = 50 * 1024
    client.force_login(draft.owner)

    response = upload(client, draft, "big.txt", b"a" * (200 * 1024))

    assert page_messages(response) == [
        "The upload was stopped because it was larger than 50.0\xa0KB. Upload files of at most "
        "10.0\xa0MB, one at a time."
    ]
    assert recorder.received == []
    assert not Attachment.objects.exists()


def test_files_within_the_limits_pass_the_handler_whole(client, draft, recorder):
    client.force_login(draft.owner)

    upload(client, draft, "notes.txt", TEXT * 1000)

    assert recorder.received == [len(TEXT) * 1000]
    assert private_storage().open(Attachment.objects.get().stored_name).read() == TEXT * 1000


# Text lengths -----------------------------------------------------------------------------


def test_an_11_megabyte_summary_is_not_saved_and_the_input_stays(client, draft):
    client.force_login(draft.owner)
    summary = "Long summary. " + "x" * (11 * 1024 * 1024)

    response = client.post(
        reverse("application_edit", args=[draft.pk]), draft_post(draft, summary=summary)
    )

    assert response.status_code == 200
    assert response.context["form"].errors["summary"] == [
        f"Ensure this value has at most 20000 characters (it has {len(summary)})."
    ]
    assert page_messages(response) == [
        "Your draft was not saved: please correct the marked fields. "
        "Your input is still shown below."
    ]
    assert summary in response.content.decode()
    stored_draft = Application.objects.get(pk=draft.pk)
    assert (stored_draft.summary, stored_draft.version) == (draft.summary, draft.version)


def test_text_areas_do_not_cut_pasted_text_silently(client, draft):
    client.force_login(draft.owner)

    html = client.get(reverse("application_edit", args=[draft.pk])).content.decode()

    assert '<textarea name="summary"' in html
    assert 'maxlength="20000"' not in html  # the browser would cut a long paste unnoticed
    assert 'maxlength="200"' in html  # single-line fields keep the browser's limit


@pytest.mark.parametrize(
    ("fields", "milestones", "team", "key"),
    [
        ({"summary": "x" * 20_001}, None, [], "summary"),
        ({"title": "x" * 201}, None, [], "title"),
        ({}, [{"title": "A", "deliverable": "x" * 501, "month": 1, "hours": 10}], [], "milestones"),
        ({}, None, [{"name": "Ana", "email": "a" * 250 + "@example.org"}], "team"),
        ({}, None, [{"name": "x" * 201, "email": "ana@example.org"}], "team"),
    ],
)
def test_the_draft_service_checks_lengths_on_save(draft, fields, milestones, team, key):
    with pytest.raises(WorkflowError) as refused:
        update_draft(
            application=draft,
            actor=draft.owner,
            expected_version=draft.version,
            fields=fields,
            milestones=milestones or [],
            team_members=team,
        )

    assert list(refused.value.field_errors) == [key]
    assert Application.objects.get(pk=draft.pk).version == draft.version


def test_a_team_address_longer_than_the_database_column_is_a_form_error(client, draft):
    client.force_login(draft.owner)
    email = "a" * 250 + "@example.org"

    response = client.post(
        reverse("application_edit", args=[draft.pk]),
        draft_post(draft, **{"team-0-name": "Ana", "team-0-email": email}),
    )

    assert response.status_code == 200
    assert response.context["team"].forms[0].errors["email"] == [
        f"Ensure this value has at most 254 characters (it has {len(email)})."
    ]


def test_a_withdrawal_note_has_a_limit(client):
    application = set_state(ApplicationFactory(), ApplicationState.SUBMITTED)
    client.force_login(application.owner)

    response = client.post(
        reverse("application_withdraw", args=[application.pk]),
        {"expected_state": "submitted", "note": "x" * 10_001, "confirm": "on"},
    )

    assert response.context["form"].errors["note"] == [
        "Ensure this value has at most 10000 characters (it has 10001)."
    ]
    with pytest.raises(WorkflowError):
        withdraw_application(
            application=application,
            actor=application.owner,
            expected_state="submitted",
            note="x" * 10_001,
        )
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


@pytest.mark.parametrize(
    ("url_name", "data", "form_name", "field"),
    [
        ("staff_application_comment", {"body": "x" * 10_001}, "comment_form", "body"),
        (
            "staff_request_information",
            {"question": "x" * 10_001, "due_on": "2030-01-01"},
            "information_form",
            "question",
        ),
        (
            "staff_application_screen",
            {"decision": "eligible", "note": "x" * 10_001, "expected_state": "submitted"},
            "screening_form",
            "note",
        ),
    ],
)
def test_staff_texts_have_a_limit(client, url_name, data, form_name, field):
    from tests.accounts.helpers import sign_in

    application = set_state(ApplicationFactory(), ApplicationState.SUBMITTED)
    sign_in(client, make_user(Role.STAFF))

    response = client.post(reverse(url_name, kwargs={"pk": application.pk}), data)

    assert response.context[form_name].errors[field] == [
        "Ensure this value has at most 10000 characters (it has 10001)."
    ]
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


def test_a_call_description_has_a_limit(client):
    from tests.accounts.helpers import sign_in
    from tests.grants.staff.test_calls import data_of

    call = CallFactory(state=CallState.DRAFT)
    sign_in(client, make_user(Role.STAFF))

    response = client.post(
        reverse("staff_call_edit", kwargs={"slug": call.slug}),
        data_of(call, description_en="x" * 10_001),
    )

    assert response.context["form"].errors["description_en"] == [
        "Ensure this value has at most 10000 characters (it has 10001)."
    ]
    assert Call.objects.get(pk=call.pk).description_en == call.description_en
