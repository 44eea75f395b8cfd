"""Uploads are recognised by content, limited in size and number, stored under generated
names outside the web root and served only through a permission check."""

import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from core.storage import private_storage
from grants.models import Attachment
from grants.services.attachments import safe_file_name
from grants.states import ApplicationState
from tests.factories import ApplicationFactory, make_user, mark_session_mfa, set_state

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def png_bytes():
    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def draft():
    return ApplicationFactory()


def upload(client, application, name, content, content_type="application/octet-stream"):
    return client.post(
        reverse("attachment_upload", args=[application.pk]),
        {"file": SimpleUploadedFile(name, content, content_type=content_type)},
        follow=True,
    )


@pytest.mark.parametrize(
    ("name", "content", "stored_type"),
    [
        ("plan.pdf", PDF, "application/pdf"),
        ("diagram.png", png_bytes(), "image/png"),
        ("photo.jpeg", JPEG, "image/jpeg"),
        ("notes.txt", "Grüße – plain UTF-8 text\n".encode(), "text/plain"),
    ],
)
def test_allowed_types_are_stored_privately(client, draft, name, content, stored_type):
    client.force_login(draft.owner)
    response = upload(client, draft, name, content)
    assert f"“{name}” was added." in response.content.decode()
    attachment = Attachment.objects.get()
    assert (attachment.original_name, attachment.content_type, attachment.size) == (
        name,
        stored_type,
        len(content),
    )
    assert attachment.stored_name != name
    assert private_storage().open(attachment.stored_name).read() == content


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", EXE),  # a program with a harmless extension
        ("script.txt", b"\x00\x01\x02binary\xff\xfe"),  # binary bytes named as text
        ("page.html", b"<html><script>alert(1)</script></html>"),  # text, but not an allowed name
        ("image.png", PDF),  # a PDF posing as an image
    ],
)
def test_wrong_content_is_rejected_before_storing(client, draft, name, content):
    client.force_login(draft.owner)
    response = upload(client, draft, name, content, content_type="application/pdf")
    page = response.content.decode()
    assert "was added" not in page
    assert ("is not a PDF, PNG, JPEG or plain-text file" in page) or (
        "does not match its name" in page
    )
    assert not Attachment.objects.exists()
    assert not private_storage().exists("") or private_storage().listdir("")[1] == []


def test_too_large_is_rejected(client, draft, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    client.force_login(draft.owner)
    response = upload(client, draft, "big.pdf", PDF + b"0" * 1024)
    # Stopped while it arrived (grants.uploads), before any service saw it.
    assert (
        "“big.pdf” is too large; files may be at most 1.0\xa0KB. It was not stored."
        in response.content.decode()
    )
    assert not Attachment.objects.exists()


def test_ten_megabytes_is_the_default_limit(settings):
    assert settings.ATTACHMENT_MAX_BYTES == 10 * 1024 * 1024
    assert settings.ATTACHMENTS_PER_APPLICATION == 5


def test_sixth_attachment_is_rejected(client, draft):
    client.force_login(draft.owner)
    for index in range(5):
        upload(client, draft, f"part{index}.pdf", PDF)
    response = upload(client, draft, "part6.pdf", PDF)
    assert (
        "An application may have at most 5 attachments. Remove one first."
        in response.content.decode()
    )
    assert Attachment.objects.count() == 5


def test_removed_attachment_frees_a_slot_but_is_kept(client, draft):
    client.force_login(draft.owner)
    upload(client, draft, "a.pdf", PDF)
    attachment = Attachment.objects.get()
    client.post(reverse("attachment_remove", args=[attachment.pk]))
    attachment.refresh_from_db()
    assert attachment.removed_at is not None
    assert private_storage().exists(attachment.stored_name)
    assert client.get(reverse("attachment_download", args=[attachment.pk])).status_code == 404


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\windows\\system.ini.txt", "system.ini.txt"),
        ("/absolute/path/plan.PDF", "plan.pdf"),
        ('we"ird<name>;.txt', "we_ird_name__.txt"),
        ("line\nbreak\r.txt", "linebreak.txt"),
        ("....", "attachment"),
        ("", "attachment"),
    ],
)
def test_file_names_are_made_safe(raw, expected):
    assert safe_file_name(raw) == expected


def test_path_traversal_name_is_stored_under_generated_name(client, draft, settings):
    client.force_login(draft.owner)
    upload(client, draft, "../../../outside.txt", b"hello\n")
    attachment = Attachment.objects.get()
    assert attachment.original_name == "outside.txt"
    assert "/" not in attachment.stored_name and ".." not in attachment.stored_name
    assert (settings.PRIVATE_MEDIA_ROOT / attachment.stored_name).exists()
    assert not (settings.PRIVATE_MEDIA_ROOT.parent / "outside.txt").exists()


def test_download_is_permission_checked_and_safe(client, draft):
    client.force_login(draft.owner)
    upload(client, draft, "Ünïcode plan.pdf", PDF)
    attachment = Attachment.objects.get()
    url = reverse("attachment_download", args=[attachment.pk])
    response = client.get(url)
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    # RFC 6266 / 5987 encoding: no raw non-ASCII or quotes reach the header.
    assert (
        response["Content-Disposition"]
        == "attachment; filename*=utf-8''%C3%9Cn%C3%AFcode%20plan.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    stranger = make_user(Role.APPLICANT)
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    juror = make_user(Role.JUROR)
    mark_session_mfa(client, juror)
    assert client.get(url).status_code == 404
    staff = make_user(Role.STAFF)
    mark_session_mfa(client, staff)
    assert client.get(url).status_code == 404  # staff do not see drafts
    set_state(draft, ApplicationState.SUBMITTED)
    assert b"".join(client.get(url).streaming_content) == PDF


def test_no_uploads_after_submission(client, draft):
    set_state(draft, ApplicationState.SUBMITTED)
    client.force_login(draft.owner)
    response = client.post(
        reverse("attachment_upload", args=[draft.pk]), {"file": SimpleUploadedFile("late.pdf", PDF)}
    )
    assert response.status_code == 404
    assert not Attachment.objects.exists()
