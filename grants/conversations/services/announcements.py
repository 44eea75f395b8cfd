"""Announcements: one e-mail from the programme staff to the applicants of a call or to
grantees, written in German and English. Staff see a preview with the exact number of
recipients first; the announcement is sent only if that number still holds, through the
worker, in each recipient's language, and logged with who got it."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.access import may
from core.errors import WorkflowError
from grants import events
from grants.conversations.queries import announcement_recipients, recipient_languages
from grants.models import Announcement, AnnouncementRecipient, Call
from grants.services.limits import check_fields
from grants.states import CALL_AUDIENCES, AnnouncementAudience
from workflow.audit import log_event
from workflow.notifications import notify

TEXT_FIELDS = ("subject_de", "subject_en", "body_de", "body_en")


@dataclass(frozen=True)
class Plan:
    """What sending would do: the announcement (not saved) and how many people get it, in
    total and per language."""

    announcement: Announcement
    count: int
    languages: dict


def _draft(*, actor, audience, call, texts) -> Announcement:
    if audience not in AnnouncementAudience.values:
        raise WorkflowError(
            _("Choose who receives the announcement."),
            field_errors={"audience": [_("Choose who receives the announcement.")]},
        )
    if audience in CALL_AUDIENCES and call is None:
        raise WorkflowError(_("Choose the call."), field_errors={"call": [_("Choose the call.")]})
    announcement = Announcement(
        audience=audience,
        call=call if audience in CALL_AUDIENCES else None,
        sent_by=actor,
        recipient_count=0,
        **{name: (texts.get(name) or "").strip() for name in TEXT_FIELDS},
    )
    missing = {
        name: [_("This field is required.")]
        for name in TEXT_FIELDS
        if not getattr(announcement, name)
    }
    if missing:
        raise WorkflowError(
            _("Write the subject and the text in both languages."), field_errors=missing
        )
    check_fields(announcement, TEXT_FIELDS)
    return announcement


def plan_announcement(*, actor, audience: str, call: Call | None, texts: dict) -> Plan:
    """The preview: the announcement as it would be sent and its exact recipients' count."""
    if not may(actor, "grants.send_announcement"):
        raise WorkflowError(_("You may not do this."))
    announcement = _draft(actor=actor, audience=audience, call=call, texts=texts)
    recipients = announcement_recipients(announcement.audience, announcement.call)
    languages = recipient_languages(recipients)
    return Plan(announcement=announcement, count=sum(languages.values()), languages=languages)


class RecipientsChanged(WorkflowError):
    """The number of recipients is no longer the one the preview showed."""


def send_announcement(
    *, actor, audience: str, call: Call | None, texts: dict, expected_count: int
) -> Announcement:
    """Send the announcement to everyone in the audience, if they are as many as the preview
    said (``expected_count``); otherwise nothing is sent (RecipientsChanged)."""
    if not may(actor, "grants.send_announcement"):
        raise WorkflowError(_("You may not do this."))
    announcement = _draft(actor=actor, audience=audience, call=call, texts=texts)
    with transaction.atomic():
        if announcement.call is not None:  # one announcement of a call at a time
            Call.objects.select_for_update().filter(pk=announcement.call.pk).first()
        recipients = list(announcement_recipients(announcement.audience, announcement.call))
        if not recipients:
            raise WorkflowError(_("Nobody would receive this announcement; it was not sent."))
        if len(recipients) != expected_count:
            raise RecipientsChanged(
                _(
                    "The number of recipients has changed from %(before)s to %(now)s since the "
                    "preview. Nothing was sent: check the preview and send again."
                )
                % {"before": expected_count, "now": len(recipients)}
            )
        announcement.recipient_count = len(recipients)
        announcement.save()
        AnnouncementRecipient.objects.bulk_create(
            AnnouncementRecipient(announcement=announcement, user=person) for person in recipients
        )
        log_event(
            subject=announcement,
            action=events.ANNOUNCEMENT_SENT,
            actor=actor,
            data={
                "audience": announcement.audience,
                "call": announcement.call_id,
                "recipients": len(recipients),
            },
        )
        for person in recipients:
            notify(to=person, template="announcement", context={"announcement": announcement})
    return announcement
