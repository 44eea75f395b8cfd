"""Uploads: checked by content before anything is stored, kept outside the web root."""

import os
import re
import unicodedata
import uuid
from datetime import timedelta

import filetype
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Sum
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import may
from core.errors import WorkflowError
from core.storage import private_storage
from grants.models import Application, Attachment

# Detected content type → extensions a file of that type may carry.
ALLOWED_TYPES = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "text/plain": (".txt", ".text", ".md"),
}
SNIFF_BYTES = 8192


def safe_file_name(name: str) -> str:
    """A display name without directories, control characters or shell-hostile characters."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r'[<>:"|?*;\x00]', "_", name).strip(" .")
    stem, extension = os.path.splitext(name)
    stem = stem[:100] or "attachment"
    return f"{stem}{extension[:10].lower()}"


def detect_content_type(uploaded_file) -> str | None:
    """What the bytes are, ignoring the name and the browser's claim."""
    uploaded_file.seek(0)
    head = uploaded_file.read(SNIFF_BYTES)
    uploaded_file.seek(0)
    kind = filetype.guess(head)
    if kind is not None:
        return kind.mime if kind.mime in ALLOWED_TYPES else None
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    # Plain text: the whole file must be valid UTF-8 without control bytes other than
    # tab, line feed, carriage return and form feed.
    data = b"".join(uploaded_file.chunks())
    uploaded_file.seek(0)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if any(unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\x0c" for ch in text):
        return None
    return "text/plain"


def checked_upload(uploaded_file) -> tuple[str, str]:
    """The safe display name and the detected content type of an upload, or a WorkflowError
    explaining why it is refused, before anything is stored. Used for every upload."""
    name = safe_file_name(uploaded_file.name)
    if uploaded_file.size > settings.ATTACHMENT_MAX_BYTES:
        raise WorkflowError(
            _("“%(name)s” is too large (%(size)s); files may be at most %(limit)s.")
            % {
                "name": name,
                "size": filesizeformat(uploaded_file.size),
                "limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES),
            }
        )
    if uploaded_file.size == 0:
        raise WorkflowError(_("“%(name)s” is empty.") % {"name": name})
    content_type = detect_content_type(uploaded_file)
    if content_type is None:
        raise WorkflowError(
            _(
                "“%(name)s” is not a PDF, PNG, JPEG or plain-text file. Only these types are accepted."
            )
            % {"name": name}
        )
    extension = os.path.splitext(name)[1]
    if extension not in ALLOWED_TYPES[content_type]:
        raise WorkflowError(
            _(
                "The content of “%(name)s” does not match its name: it is a %(type)s file. Rename it to end in %(extension)s."
            )
            % {"name": name, "type": content_type, "extension": ALLOWED_TYPES[content_type][0]}
        )
    return name, content_type


def add_attachment(*, application: Application, actor, uploaded_file) -> Attachment:
    if not may(actor, "grants.edit_application", application):
        raise WorkflowError(_("Attachments can be added only to a draft you own."))
    name, content_type = checked_upload(uploaded_file)
    with transaction.atomic():
        # Locks: the application (its attachment count) and the person (their quota).
        Application.objects.select_for_update().filter(pk=application.pk).first()
        get_user_model().objects.select_for_update().filter(pk=actor.pk).first()
        if (
            application.attachments.filter(removed_at__isnull=True).count()
            >= settings.ATTACHMENTS_PER_APPLICATION
        ):
            raise WorkflowError(
                _("An application may have at most %(count)s attachments. Remove one first.")
                % {"count": settings.ATTACHMENTS_PER_APPLICATION}
            )
        used = stored_bytes_of(actor)
        if used + uploaded_file.size > settings.ATTACHMENT_QUOTA_BYTES:
            raise WorkflowError(_quota_message(name, uploaded_file.size, used))
        stored_name = f"{uuid.uuid4().hex}{ALLOWED_TYPES[content_type][0]}"
        attachment = Attachment.objects.create(
            application=application,
            original_name=name,
            stored_name=stored_name,
            content_type=content_type,
            size=uploaded_file.size,
            uploaded_by=actor,
        )
        saved_as = private_storage().save(stored_name, uploaded_file)
        if saved_as != stored_name:  # never expected with a fresh UUID
            raise WorkflowError(_("The file could not be stored. Please try again."))
    return attachment


def stored_bytes_of(user) -> int:
    """What a person's uploads occupy on disk: removed files count until they are purged."""
    return (
        Attachment.objects.filter(uploaded_by=user, purged_at__isnull=True).aggregate(
            total=Sum("size")
        )["total"]
        or 0
    )


def _quota_message(name, size, used):
    return _(
        "“%(name)s” (%(size)s) does not fit: your files already take %(used)s of the "
        "%(quota)s you may store. Files you removed count until they are deleted for good, "
        "%(days)s days after removal."
    ) % {
        "name": name,
        "size": filesizeformat(size),
        "used": filesizeformat(used),
        "quota": filesizeformat(settings.ATTACHMENT_QUOTA_BYTES),
        "days": settings.ATTACHMENT_PURGE_AFTER_DAYS,
    }


def purge_removed_attachments(*, now=None) -> int:
    """Delete the files of attachments removed from drafts more than
    ATTACHMENT_PURGE_AFTER_DAYS ago; the rows stay, marked purged. Run daily
    (manage.py purge_removed_attachments). Returns how many files were purged."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.ATTACHMENT_PURGE_AFTER_DAYS)
    storage = private_storage()
    purged = 0
    due = Attachment.objects.filter(removed_at__lt=cutoff, purged_at__isnull=True)
    for attachment in due.only("pk", "stored_name").iterator():
        storage.delete(attachment.stored_name)  # no error if it is already gone
        Attachment.objects.filter(pk=attachment.pk).update(purged_at=now)
        purged += 1
    return purged


def remove_attachment(*, attachment: Attachment, actor) -> Attachment:
    if not may(actor, "grants.edit_application", attachment.application):
        raise WorkflowError(_("Attachments can be removed only from a draft you own."))
    attachment.removed_at = timezone.now()
    attachment.save(update_fields=["removed_at"])
    return attachment
