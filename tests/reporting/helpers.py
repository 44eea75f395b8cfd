"""Helpers of the reporting tests."""

import io

from pypdf import PdfReader

from accounts.roles import Role
from tests.accounts.helpers import sign_in
from tests.factories import make_user


def pdf_text(content: bytes) -> str:
    """All text of a PDF, with white space (line breaks in table cells) made single spaces."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def ministry_client(client, **kwargs):
    user = make_user(Role.MINISTRY, full_name="Dr. Katrin Vogel", **kwargs)
    sign_in(client, user)
    return client, user
