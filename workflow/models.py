from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


# What stands in a log entry where personal data was erased.
REDACTED = "[redacted]"


class AppendOnlyQuerySet(models.QuerySet):
    """Log entries are added, never changed or removed: the bulk paths that bypass
    ``save()`` and ``delete()`` refuse too. On PostgreSQL a trigger also refuses UPDATE and
    DELETE on the table (migrations workflow 0002 and 0003), whatever the client.

    One change is allowed, for erasure under the GDPR: ``redact`` replaces personal values
    in ``data`` and the ``note`` by a marker and stamps ``redacted_at``. Who did what to
    which object, and when, stays; the trigger lets nothing else change."""

    def redact(self, *, keys, note: bool, at) -> int:
        """Replace the values of ``keys`` in each entry's data (where present), and its note
        if ``note``, by the marker; returns the number of entries changed."""
        keys = set(keys)
        changed = 0
        for entry in self.only("pk", "data", "note", "redacted_at"):
            data = {
                key: (REDACTED if key in keys and value not in ("", None, REDACTED) else value)
                for key, value in entry.data.items()
            }
            new_note = REDACTED if note and entry.note not in ("", REDACTED) else entry.note
            if data == entry.data and new_note == entry.note:
                continue
            models.QuerySet.update(
                TransitionLog.objects.filter(pk=entry.pk),
                data=data,
                note=new_note,
                redacted_at=at,
            )
            changed += 1
        return changed

    def update(self, **kwargs):
        raise AppendOnlyError("Log entries cannot be changed.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("Log entries cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Log entries cannot be deleted.")


class TransitionLog(models.Model):
    """Append-only audit trail of every state change and workflow event of any object
    (applications, calls, and the review and grant objects to come).

    ``action`` is a dotted name such as ``grants.application.submitted`` (pretix style),
    declared on the transition itself or registered as an event (workflow.actions).
    ``data`` holds structured details (a rules diff, a lottery seed); ``note`` is the text
    people wrote. ``visible_to_applicant`` marks the entries shown on the applicant's timeline.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    action = models.CharField(_("action"), max_length=80)
    from_state = models.CharField(_("from"), max_length=32, blank=True)
    to_state = models.CharField(_("to"), max_length=32, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    visible_to_applicant = models.BooleanField(_("visible to the applicant"), default=False)
    # Set when personal data in the note or data was replaced by the marker (erasure).
    redacted_at = models.DateTimeField(_("redacted"), null=True, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        # The table keeps the name it had while the log lived in the grants app: the model
        # moved without copying a row.
        db_table = "grants_transitionlog"
        verbose_name = _("log entry")
        verbose_name_plural = _("log entries")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]

    def __str__(self):
        return f"{self.action} {self.from_state}→{self.to_state}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Log entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Log entries cannot be deleted.")


class EmailText(models.Model):
    """Staff's wording of one e-mail (a key of workflow.emails) in one language. Rows are
    only added: the newest of a key and language counts, and one that ``restores_shipped``
    ends the change, so that every wording ever sent, who wrote it and when stay known."""

    key = models.CharField(_("e-mail"), max_length=80)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"), blank=True)
    restores_shipped = models.BooleanField(_("back to the shipped text"), default=False)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("e-mail text")
        verbose_name_plural = _("e-mail texts")
        ordering = ["key", "language", "-pk"]
        indexes = [
            models.Index(fields=["key", "language", "-id"], name="workflow_emailtext_current")
        ]

    def __str__(self):
        return f"{self.key} ({self.language})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("An e-mail text is replaced by a newer one, not changed.")
        super().save(*args, **kwargs)
