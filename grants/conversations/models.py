"""Conversations between programme staff and an application's team (its owner and the team
members named on it with a verified address), and announcements to many applicants.

One thread per application, from submission through its grant: staff and the team write
messages (with files, stored through grants.services.attachments.store_upload); a question
with a due date (an InformationRequest, which unlocks sections for the answer) and its
answer are messages of their own kinds, which point to it. Each person's read marker says
which messages are new to them."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from grants.models.applications import Application, InformationRequest
from grants.models.calls import Call
from grants.states import (
    ANNOUNCEMENT_BODY_MAX_CHARS,
    ANNOUNCEMENT_SUBJECT_MAX_CHARS,
    MESSAGE_MAX_CHARS,
    AnnouncementAudience,
    MessageKind,
)


def _bounded(limit: int) -> dict:
    return {"max_length": limit, "validators": [MaxLengthValidator(limit)]}


class Message(models.Model):
    """One message of an application's thread. A question or an answer carries no text of
    its own: it shows its InformationRequest's (written once, erased once)."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="messages")
    kind = models.CharField(
        _("kind"), max_length=12, choices=MessageKind.choices, default=MessageKind.MESSAGE
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Written as programme staff (else as a member of the application's team).
    from_staff = models.BooleanField(_("from the programme staff"))
    body = models.TextField(_("message"), blank=True, **_bounded(MESSAGE_MAX_CHARS))
    information_request = models.ForeignKey(
        InformationRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="messages",
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["application", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind=MessageKind.MESSAGE, information_request__isnull=True)
                    | models.Q(
                        kind__in=(MessageKind.QUESTION, MessageKind.ANSWER),
                        information_request__isnull=False,
                    )
                ),
                name="message_question_has_its_request",
            )
        ]

    def __str__(self):
        return f"{self.application.reference} {self.get_kind_display()}"


class ConversationRead(models.Model):
    """Up to when a person has read an application's thread: later messages by others are
    new to them."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="conversation_reads"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    read_at = models.DateTimeField()

    class Meta:
        verbose_name = _("read marker")
        verbose_name_plural = _("read markers")
        constraints = [
            models.UniqueConstraint(fields=["application", "user"], name="conversation_read_once")
        ]

    def __str__(self):
        return f"{self.user} {self.application.reference} {self.read_at.isoformat()}"


class Announcement(models.Model):
    """One e-mail from the programme staff to many people at once (the applicants of a call,
    or grantees), written in German and English: each recipient reads their language."""

    audience = models.CharField(
        _("recipients"), max_length=20, choices=AnnouncementAudience.choices
    )
    call = models.ForeignKey(
        Call,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="announcements",
        verbose_name=_("call"),
    )
    subject_de = models.CharField(_("subject (German)"), **_bounded(ANNOUNCEMENT_SUBJECT_MAX_CHARS))
    subject_en = models.CharField(
        _("subject (English)"), **_bounded(ANNOUNCEMENT_SUBJECT_MAX_CHARS)
    )
    body_de = models.TextField(_("text (German)"), **_bounded(ANNOUNCEMENT_BODY_MAX_CHARS))
    body_en = models.TextField(_("text (English)"), **_bounded(ANNOUNCEMENT_BODY_MAX_CHARS))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)
    recipient_count = models.PositiveIntegerField(_("number of recipients"))

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-sent_at", "-pk"]

    def __str__(self):
        return self.subject_en

    def subject_in(self, language: str) -> str:
        return self.subject_en if (language or "").startswith("en") else self.subject_de

    def body_in(self, language: str) -> str:
        return self.body_en if (language or "").startswith("en") else self.body_de


class AnnouncementRecipient(models.Model):
    """Who an announcement was sent to: the record, and the person's list of announcements."""

    announcement = models.ForeignKey(
        Announcement, on_delete=models.PROTECT, related_name="recipients"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="announcements_received"
    )

    class Meta:
        verbose_name = _("recipient of an announcement")
        verbose_name_plural = _("recipients of announcements")
        constraints = [
            models.UniqueConstraint(
                fields=["announcement", "user"], name="announcement_recipient_once"
            )
        ]

    def __str__(self):
        return f"{self.announcement_id} → {self.user_id}"
