"""The jury's discussion of one application: comments by its panel and by staff, and the
summary its rapporteur writes. Both are plain text; who reads and writes them is decided in
review/audiences.py (``DISCUSSIONS``) and review/rules.py."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grants.models import Application
from review.states import DISCUSSION_COMMENT_MAX_CHARS, SUMMARY_MAX_CHARS


class DiscussionComment(models.Model):
    """One comment, appended to the application's discussion. Its author may withdraw it
    while the discussion is open: the text is emptied and the row stays, so the thread and
    the log keep their order."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="discussion_comments"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("comment"), max_length=DISCUSSION_COMMENT_MAX_CHARS, blank=True)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("discussion comment")
        verbose_name_plural = _("discussion comments")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["application", "created_at"])]

    def __str__(self):
        return f"{self.application.reference} #{self.pk}"


class DiscussionSummary(models.Model):
    """The rapporteur of an application, named by staff from its panel, and the summary of
    its discussion (written by the rapporteur or by staff). ``version`` refuses a save
    from an older page."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="discussion_summary"
    )
    rapporteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("rapporteur"),
    )
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    named_at = models.DateTimeField(_("named"), auto_now_add=True)
    text = models.TextField(
        _("summary of the discussion"), max_length=SUMMARY_MAX_CHARS, blank=True
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    written_at = models.DateTimeField(_("summary written"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("discussion summary")
        verbose_name_plural = _("discussion summaries")

    def __str__(self):
        return self.application.reference
