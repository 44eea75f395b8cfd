"""Where uploaded and generated files live: a folder that is never served directly; files
leave it only through permission-checked views."""

import hashlib
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage


def private_storage() -> FileSystemStorage:
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    sha256: str
    size: int


def store_generated_file(content: bytes, *, folder: str, suffix: str) -> StoredFile:
    """Keep a generated document (a PDF, a workbook) in private storage under a name nobody
    can guess, with the SHA-256 that proves later which bytes were handed out."""
    stored_name = private_storage().save(
        f"{folder}/{uuid.uuid4().hex}{suffix}", ContentFile(content)
    )
    return StoredFile(
        stored_name=stored_name, sha256=hashlib.sha256(content).hexdigest(), size=len(content)
    )
