"""Taking over a piece of staff work and releasing it: the "mine" of the inbox. Light on
purpose: anyone of the staff who sees the object may take it over (also from a colleague);
only its holder releases it. Both are logged on the object, for staff only."""

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import may
from core.errors import WorkflowError
from grants import events
from grants.inbox.models import Claim
from grants.models import Application
from grants.rules import application_behind
from workflow.audit import log_event


def _active_claim(subject):
    return (
        Claim.objects.select_related("claimed_by")
        .filter(
            content_type=ContentType.objects.get_for_model(type(subject)),
            object_id=subject.pk,
            released_at__isnull=True,
        )
        .first()
    )


def _lock_application(subject) -> Application:
    """Claims of one application's objects change one at a time: its row is the lock."""
    application = application_behind(subject)
    return Application.objects.select_for_update().get(pk=application.pk)


def take_over(*, subject, actor) -> Claim:
    """``actor`` takes over the work on ``subject`` (an application, a milestone, a change
    request or a grant), from whoever held it."""
    if not may(actor, "grants.take_over_work", subject):
        raise WorkflowError(_("You may not take this over."))
    with transaction.atomic():
        application = _lock_application(subject)
        current = _active_claim(subject)
        if current is not None and current.claimed_by_id == actor.pk:
            return current
        previous = None
        if current is not None:
            previous = current.claimed_by
            current.released_at = timezone.now()
            current.save(update_fields=["released_at"])
        try:
            with transaction.atomic():
                claim = Claim.objects.create(
                    content_type=ContentType.objects.get_for_model(type(subject)),
                    object_id=subject.pk,
                    application=application,
                    claimed_by=actor,
                )
        except IntegrityError:  # taken over at this moment by someone else
            raise WorkflowError(_("Someone else took it over at the same moment.")) from None
        log_event(
            subject=subject,
            action=events.WORK_TAKEN_OVER,
            actor=actor,
            data={"previous": previous.pk} if previous else {},
        )
    return claim


def release(*, subject, actor) -> None:
    """The holder gives the work on ``subject`` back to everyone."""
    if not may(actor, "grants.take_over_work", subject):
        raise WorkflowError(_("You may not do this."))
    with transaction.atomic():
        _lock_application(subject)
        current = _active_claim(subject)
        if current is None:
            return
        if current.claimed_by_id != actor.pk:
            raise WorkflowError(
                _("%(name)s has taken this over; only they can release it.")
                % {"name": current.claimed_by.get_full_name()}
            )
        current.released_at = timezone.now()
        current.save(update_fields=["released_at"])
        log_event(subject=subject, action=events.WORK_RELEASED, actor=actor)
