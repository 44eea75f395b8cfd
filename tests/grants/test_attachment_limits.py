"""The attachment service at its limits: exact sizes, empty files, long names, and the
extension a file is stored and asked to be renamed with."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from grants.models import Attachment
from grants.services.attachments import add_attachment, safe_file_name
from grants.services.errors import WorkflowError
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


@pytest.fixture
def draft():
    return ApplicationFactory()


def add(draft, name, content):
    return add_attachment(
        application=draft, actor=draft.owner, uploaded_file=SimpleUploadedFile(name, content)
    )


def refusal(draft, name, content):
    with pytest.raises(WorkflowError) as refused:
        add(draft, name, content)
    assert not Attachment.objects.exists()
    return str(refused.value.message)


def test_a_file_of_exactly_the_limit_is_accepted(draft, settings):
    settings.ATTACHMENT_MAX_BYTES = len(PDF)
    assert add(draft, "plan.pdf", PDF).size == len(PDF)


def test_one_byte_over_the_limit_is_refused(draft, settings):
    settings.ATTACHMENT_MAX_BYTES = len(PDF) - 1
    assert refusal(draft, "plan.pdf", PDF).startswith("“plan.pdf” is too large")


def test_an_empty_file_is_refused(draft):
    assert refusal(draft, "notes.txt", b"") == "“notes.txt” is empty."


def test_a_one_byte_file_is_not_empty(draft):
    assert add(draft, "note.txt", b"x").content_type == "text/plain"


@pytest.mark.parametrize(
    ("name", "content", "extension"),
    [("notes.txt", b"plain text\n", ".txt"), ("photo.jpeg", JPEG, ".jpg")],
)
def test_stored_under_the_first_extension_of_its_type(draft, name, content, extension):
    assert add(draft, name, content).stored_name.endswith(extension)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "notes.pdf",
            b"plain text\n",
            "The content of “notes.pdf” does not match its name: it is a text/plain file. "
            "Rename it to end in .txt.",
        ),
        (
            "photo.png",
            JPEG,
            "The content of “photo.png” does not match its name: it is a image/jpeg file. "
            "Rename it to end in .jpg.",
        ),
    ],
)
def test_a_misnamed_file_is_refused_with_the_right_extension(draft, name, content, message):
    assert refusal(draft, name, content) == message


def test_long_names_are_cut():
    assert safe_file_name("a" * 150 + ".pdf") == "a" * 100 + ".pdf"
    assert safe_file_name("a" * 100 + ".pdf") == "a" * 100 + ".pdf"
    assert safe_file_name("plan.abcdefghijkl") == "plan.abcdefghi"
    assert safe_file_name("plan.abcdefghi") == "plan.abcdefghi"
