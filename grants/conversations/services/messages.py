"""Writing in an application's thread: a message (with files, through the one upload
service), the question-and-answer entries of an information request, and read markers."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.errors import WorkflowError
from core.storage import private_storage
from grants import events
from grants.conversations.queries import STAFF, TEAM, conversation_side, team_users
from grants.inbox.models import Claim
from grants.models import Application, ConversationRead, Message
from grants.services.attachments import store_upload
from grants.services.limits import check_fields
from grants.states import ATTACHMENTS_PER_MESSAGE, MessageKind
from grants.visibility import APPLICATIONS
from workflow.audit import log_event
from workflow.notifications import notify


def send_message(*, application: Application, actor, body: str, files=()) -> Message:
    """Write ``body`` (and up to ATTACHMENTS_PER_MESSAGE files) into the application's
    thread as its team or as programme staff; the other people of the thread are e-mailed in
    their language. All or nothing: a refused file sends nothing (and keeps no file)."""
    files = list(files)
    if not body.strip():
        raise WorkflowError(
            _("Write a message."), field_errors={"body": [_("This field is required.")]}
        )
    if len(files) > ATTACHMENTS_PER_MESSAGE:
        message = ngettext(
            "A message may carry at most %(count)s file.",
            "A message may carry at most %(count)s files.",
            ATTACHMENTS_PER_MESSAGE,
        ) % {"count": ATTACHMENTS_PER_MESSAGE}
        raise WorkflowError(message, field_errors={"files": [message]})
    stored = []
    try:
        with transaction.atomic():
            # Lock order of every upload: the uploader first, then the owner row.
            get_user_model().objects.select_for_update().filter(pk=actor.pk).first()
            current = (
                Application.objects.select_for_update()
                .select_related("owner")
                .get(pk=application.pk)
            )
            side = conversation_side(actor, current)
            if side is None:
                raise WorkflowError(_("You may not write in this conversation."))
            message = Message(
                application=current, author=actor, from_staff=side == STAFF, body=body
            )
            check_fields(message, ["body"])
            message.save()
            for uploaded in files:
                attachment = store_upload(
                    actor=actor,
                    uploaded_file=uploaded,
                    place=lambda: {"application": current, "message": message},
                )
                stored.append(attachment.stored_name)
            log_event(
                subject=current,
                action=events.MESSAGE_FROM_STAFF if side == STAFF else events.MESSAGE_FROM_TEAM,
                actor=actor,
                data={"message": message.pk, "files": len(files)},
                visible_to_applicant=True,
            )
            mark_read(application=current, user=actor, at=message.created_at)
            for person, as_staff in _recipients(current, actor=actor, side=side):
                notify(
                    to=person,
                    template="message_received",
                    context={"message": message, "application": current, "for_staff": as_staff},
                )
    except Exception:
        storage = private_storage()
        for name in stored:  # the rows went with the rollback; their files go too
            storage.delete(name)
        raise
    return message


def _recipients(application, *, actor, side) -> list[tuple]:
    """Who is told about a message, each with whether they read it as staff: the
    application's team (owner and verified members), and, for a message from the team, the
    staff who take part (wrote in the thread, or took over work on the application) and
    still see it as staff. Never the author."""
    people = {person.pk: (person, False) for person in team_users(application)}
    if side == TEAM:
        authors = Message.objects.filter(application=application, from_staff=True).values(
            "author_id"
        )
        holders = Claim.objects.filter(application=application, released_at__isnull=True).values(
            "claimed_by_id"
        )
        staff = get_user_model().objects.filter(pk__in=authors) | get_user_model().objects.filter(
            pk__in=holders
        )
        for person in staff.distinct():
            if APPLICATIONS.sees(person, application, only="staff"):
                people.setdefault(person.pk, (person, True))
    people.pop(actor.pk, None)
    return [people[pk] for pk in sorted(people)]


def add_question(information_request) -> Message:
    """The question of an information request, as an entry of the thread (its text stays on
    the request)."""
    return Message.objects.create(
        application_id=information_request.application_id,
        kind=MessageKind.QUESTION,
        author=information_request.asked_by,
        from_staff=True,
        information_request=information_request,
    )


def add_answer(information_request) -> Message:
    return Message.objects.create(
        application_id=information_request.application_id,
        kind=MessageKind.ANSWER,
        author=information_request.answered_by,
        from_staff=False,
        information_request=information_request,
    )


def mark_read(*, application, user, at=None) -> None:
    """``user`` has read the thread up to ``at`` (now): one statement, also the first time."""
    ConversationRead.objects.bulk_create(
        [ConversationRead(application=application, user=user, read_at=at or timezone.now())],
        update_conflicts=True,
        unique_fields=["application", "user"],
        update_fields=["read_at"],
    )
