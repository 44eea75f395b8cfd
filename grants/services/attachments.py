"""Uploads of every kind (proposal attachments, milestone-report evidence): one service,
``store_upload``, checks each file by content before anything is stored, counts it against
the uploader's quota and hourly limit under their row lock, and keeps it outside the web
root. Removed files are deleted for good by ``purge_removed_attachments``."""

import os
import re
import unicodedata
import uuid
from collections.abc import Callable
from datetime import timedelta

import filetype
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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


def store_upload(*, actor, uploaded_file, place: Callable[[], dict]) -> Attachment:
    """The one door for every uploaded file (proposal attachments, milestone-report
    evidence, any later kind): the file is checked by size and content before anything is
    stored; then, under the uploader's row lock, so that two parallel uploads cannot both
    pass, their hourly upload limit and their storage quota (removed files count until they
    are purged) are checked, ``place()`` locks the file's owner row, checks that the actor
    may add a file there and returns the Attachment's fields (application, report, …), and
    the file is stored privately under a generated name."""
    name, content_type = checked_upload(uploaded_file)
    with transaction.atomic():
        # Lock order for every kind: the uploader first, then the owner row in place().
        get_user_model().objects.select_for_update().filter(pk=actor.pk).first()
        usage = _usage_of(actor)
        if usage["recent"] >= settings.ATTACHMENT_UPLOADS_PER_HOUR:
            raise WorkflowError(_rate_message(actor, usage["recent"]))
        if usage["stored"] + uploaded_file.size > settings.ATTACHMENT_QUOTA_BYTES:
            raise WorkflowError(_quota_message(name, uploaded_file.size, usage["stored"]))
        owner_fields = place()
        stored_name = f"{uuid.uuid4().hex}{ALLOWED_TYPES[content_type][0]}"
        attachment = Attachment.objects.create(
            **owner_fields,
            original_name=name,
            stored_name=stored_name,
            content_type=content_type,
            size=uploaded_file.size,
            uploaded_by=actor,
        )
        if private_storage().save(stored_name, uploaded_file) != stored_name:
            raise WorkflowError(_("The file could not be stored. Please try again."))
    return attachment


def add_attachment(*, application: Application, actor, uploaded_file) -> Attachment:
    """A file of a proposal, added to a draft its owner edits."""

    def place():
        # Judged on the row as it is under the lock: the caller's copy may predate a
        # submission made in another tab.
        current = Application.objects.select_for_update().filter(pk=application.pk).first()
        if current is None or not may(actor, "grants.edit_application", current):
            raise WorkflowError(_("Attachments can be added only to a draft you own."))
        check_file_count(current.attachments, message=_PROPOSAL_FULL)
        return {"application": current}

    return store_upload(actor=actor, uploaded_file=uploaded_file, place=place)


_PROPOSAL_FULL = gettext_lazy(
    "An application may have at most %(count)s attachments. Remove one first."
)


def check_file_count(attachments, *, message) -> None:
    """At most ATTACHMENTS_PER_APPLICATION files that are not removed, per owner (files
    that answer a question have their own place, one per question)."""
    free = attachments.filter(removed_at__isnull=True, answer__isnull=True)
    if free.count() >= settings.ATTACHMENTS_PER_APPLICATION:
        raise WorkflowError(message % {"count": settings.ATTACHMENTS_PER_APPLICATION})


def stored_bytes_of(user) -> int:
    """What a person's uploads occupy on disk: removed files count until they are purged."""
    return _usage_of(user)["stored"]


def _usage_of(user) -> dict:
    """In one query: the bytes the person's files occupy (removed ones until purged) and
    how many files they uploaded within the last hour (removed ones too)."""
    hour_ago = timezone.now() - timedelta(hours=1)
    return Attachment.objects.filter(uploaded_by=user).aggregate(
        stored=Sum("size", filter=Q(purged_at__isnull=True), default=0),
        recent=Count("pk", filter=Q(uploaded_at__gt=hour_ago)),
    )


def _rate_message(user, recent: int):
    """When the next upload is possible: once enough of the last hour's uploads are older
    than an hour for the count to be below the limit."""
    hour_ago = timezone.now() - timedelta(hours=1)
    in_the_hour = (
        Attachment.objects.filter(uploaded_by=user, uploaded_at__gt=hour_ago)
        .order_by("uploaded_at")
        .values_list("uploaded_at", flat=True)
    )
    freed_by = in_the_hour[max(recent - settings.ATTACHMENT_UPLOADS_PER_HOUR, 0)]
    return _(
        "You have uploaded %(count)s files within an hour, the most allowed. You can upload "
        "the next file at %(time)s."
    ) % {
        "count": settings.ATTACHMENT_UPLOADS_PER_HOUR,
        "time": time_format(timezone.localtime(freed_by + timedelta(hours=1)), "TIME_FORMAT"),
    }


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
    """Delete the files removed more than ATTACHMENT_PURGE_AFTER_DAYS ago, of every kind
    (from proposal drafts and from report drafts: all are Attachment rows); the rows stay,
    marked purged, and stop counting against their uploader's quota. Run daily
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
    """Hide a file of a draft (deleted for good by the purge). Judged under the proposal's
    lock on the rows as they are, not on the caller's copies."""
    with transaction.atomic():
        current = (
            Application.objects.select_for_update().filter(pk=attachment.application_id).first()
        )
        if current is None or not may(actor, "grants.edit_application", current):
            raise WorkflowError(_("Attachments can be removed only from a draft you own."))
        removed_at = timezone.now()
        if not current.attachments.filter(pk=attachment.pk, removed_at__isnull=True).update(
            removed_at=removed_at
        ):
            raise WorkflowError(_("This file can no longer be removed."))
    attachment.removed_at = removed_at
    return attachment
