"""Who took over a piece of staff work (an application to screen, a milestone report to
check …): the "mine" of the inbox. Taking over and releasing are logged on the object."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from grants.models.applications import Application


class Claim(models.Model):
    """A staff member took over an object's work; at most one holds it at a time. A released
    claim stays as the record (released_at)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    # The application behind the object: who may see the claim, and the inbox's call filter.
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="claims")
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    claimed_at = models.DateTimeField(_("taken over"), auto_now_add=True)
    released_at = models.DateTimeField(_("released"), null=True, blank=True)

    class Meta:
        verbose_name = _("work taken over")
        verbose_name_plural = _("work taken over")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=models.Q(released_at__isnull=True),
                name="claim_one_holder",
            )
        ]
        indexes = [models.Index(fields=["claimed_by", "released_at"])]

    def __str__(self):
        return f"{self.content_type.model}:{self.object_id} → {self.claimed_by_id}"
