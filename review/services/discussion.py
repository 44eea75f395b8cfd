"""The discussion of an application: comments by its panel and staff, its rapporteur, and
the rapporteur's summary. Each write checks its rule (review/rules.py) inside the
transaction and is logged on the comment or summary, never with its text."""

import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import may
from core.errors import StaleObjectError, WorkflowError
from grants.models import Application
from review import events
from review.audiences import is_assigned
from review.models import DiscussionComment, DiscussionSummary
from review.states import DISCUSSION_COMMENT_MAX_CHARS, SUMMARY_MAX_CHARS
from workflow.audit import log_event

# Something that reads as an HTML tag or comment: "<b", "</p", "<!--". A lone "<" (as in
# "score < 5") is plain text.
HTML_TAG = re.compile(r"<\s*[/!?a-zA-Z]")


def clean_plain_text(text: str, *, max_chars: int, field: str, required: bool = True) -> str:
    """``text`` stripped, or a refusal in the user's language: empty (when required), too
    long, or HTML."""
    text = (text or "").strip()
    if required and not text:
        raise WorkflowError(_("Write some text first."), field_errors={field: [_("Required.")]})
    if len(text) > max_chars:
        message = _("At most %(max)s characters (this text has %(count)s).") % {
            "max": max_chars,
            "count": len(text),
        }
        raise WorkflowError(message, field_errors={field: [message]})
    if HTML_TAG.search(text):
        message = _("Write plain text: HTML tags such as <b> are not allowed.")
        raise WorkflowError(message, field_errors={field: [message]})
    return text


def _locked_application(application_id) -> Application:
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("call__jury")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        raise WorkflowError(_("This application does not exist."))
    return application


def add_comment(*, application_id: int, actor, body: str) -> DiscussionComment:
    body = clean_plain_text(body, max_chars=DISCUSSION_COMMENT_MAX_CHARS, field="body")
    with transaction.atomic():
        application = _locked_application(application_id)
        if not may(actor, "review.comment_in_discussion", application):
            raise WorkflowError(_("You may not comment on this application now."))
        comment = DiscussionComment(application=application, author=actor, body=body)
        comment.full_clean()
        comment.save()
        log_event(
            subject=comment,
            action=events.COMMENT_WRITTEN,
            actor=actor,
            data={"application": application.reference},
        )
    return comment


def withdraw_comment(*, comment_id: int, actor) -> DiscussionComment:
    """The author takes their comment back while the discussion is open: its text goes, the
    row stays (marked as withdrawn) so the thread keeps its order."""
    with transaction.atomic():
        comment = (
            DiscussionComment.objects.select_for_update(of=("self",))
            .select_related("application__call__jury")
            .filter(pk=comment_id)
            .first()
        )
        if comment is None or not may(actor, "review.withdraw_discussion_comment", comment):
            raise WorkflowError(_("You may not withdraw this comment."))
        comment.body = ""
        comment.withdrawn_at = timezone.now()
        comment.save(update_fields=["body", "withdrawn_at"])
        log_event(
            subject=comment,
            action=events.COMMENT_WITHDRAWN,
            actor=actor,
            data={"application": comment.application.reference},
        )
    return comment


def rapporteur_refusal(juror, application) -> str:
    """Why ``juror`` cannot be the application's rapporteur ("" if they can): they must be
    on its panel (an active assignment, no conflict)."""
    if juror is None or not is_assigned(juror, application):
        return _("Choose a juror assigned to this application who has no conflict with it.")
    return ""


def name_rapporteur(*, application_id: int, actor, juror) -> DiscussionSummary:
    with transaction.atomic():
        application = _locked_application(application_id)
        if not may(actor, "review.name_rapporteur", application):
            raise WorkflowError(_("You may not name the rapporteur of this application now."))
        refusal = rapporteur_refusal(juror, application)
        if refusal:
            raise WorkflowError(refusal, field_errors={"juror": [refusal]})
        summary = DiscussionSummary.objects.filter(application=application).first()
        if summary is not None and summary.rapporteur_id == juror.pk:
            return summary
        if summary is None:
            summary = DiscussionSummary(application=application, rapporteur=juror, named_by=actor)
        else:
            summary.rapporteur = juror
            summary.named_by = actor
            summary.version += 1
        summary.save()
        log_event(
            subject=summary,
            action=events.RAPPORTEUR_NAMED,
            actor=actor,
            data={"application": application.reference, "rapporteur_id": juror.pk},
        )
    return summary


def write_summary(
    *, application_id: int, actor, text: str, expected_version: int
) -> DiscussionSummary:
    """The rapporteur (or staff) writes the summary of the discussion; a save from a page
    older than the last one is refused, so nobody overwrites a colleague's text unseen."""
    text = clean_plain_text(text, max_chars=SUMMARY_MAX_CHARS, field="text", required=False)
    with transaction.atomic():
        application = _locked_application(application_id)
        summary = (
            DiscussionSummary.objects.select_for_update().filter(application=application).first()
        )
        if summary is None:
            raise WorkflowError(_("Staff first name the rapporteur of this application."))
        application.discussion_summary = summary
        if not may(actor, "review.write_discussion_summary", application):
            raise WorkflowError(_("You may not write the summary of this application now."))
        if summary.version != expected_version:
            raise StaleObjectError(
                _(
                    "The summary was changed meanwhile. Your text is still in the form: "
                    "compare it with the saved one below and save again."
                )
            )
        summary.text = text
        summary.written_by = actor
        summary.written_at = timezone.now()
        summary.version += 1
        summary.full_clean()
        summary.save()
        log_event(
            subject=summary,
            action=events.SUMMARY_WRITTEN,
            actor=actor,
            data={"application": application.reference, "characters": len(text)},
        )
    return summary
