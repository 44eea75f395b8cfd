"""What the daily reminders have sent (idempotency)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from grants.states import ReminderKind


class SentReminder(models.Model):
    """One reminder, keyed by what it is about (object and the date it is due), its kind and
    recipient: ``send_reminders`` sends each one once, however often it runs."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=30, choices=ReminderKind.choices)
    due_on = models.DateField()
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "kind", "due_on", "recipient"],
                name="reminder_sent_once",
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.content_type_id}:{self.object_id} {self.due_on}"
