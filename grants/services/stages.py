"""Two-stage calls: an invited concept leads to one full proposal in the linked call, started
until the invitation's last day."""

import datetime as dt

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.access import may
from core.errors import WorkflowError
from grants import events
from grants.models import Application, TeamMember
from grants.services.applications import create_draft
from grants.services.questions import copy_answers
from grants.states import ApplicationState
from workflow.audit import log_event

# The core parts of the proposal a full proposal takes over from its concept (and its
# track: the full call's track of the same key, see _track_in).
CARRIED_FIELDS = ("title", "summary", "topic_id", "licence", "repository_url")


def _closed_message(call) -> str:
    if call.opens_later():
        return _("The full-proposal stage opens on %(date)s (Berlin time).") % {
            "date": formats.date_format(timezone.localtime(call.opens_at), "DATETIME_FORMAT")
        }
    return _("The full-proposal stage does not accept proposals now.")


def _day(value) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def invitation_last_day(*, full_call, requested: dt.date | None) -> dt.date | None:
    """The last day on which an invited team may start its full proposal: ``requested``, or
    the full-proposal call's closing day if none is given. Never after that day and never in
    the past (Berlin time); refused with the reason on the field ``invitation_valid_until``."""
    closing_day = full_call.closing_day if full_call is not None else None
    if requested is None:
        return closing_day
    today = timezone.localdate()
    if requested < today:
        message = _("The invitation cannot end in the past: choose %(today)s or later.") % {
            "today": _day(today)
        }
    elif closing_day is not None and requested > closing_day:
        message = _(
            "The invitation cannot last beyond the full-proposal call's deadline: choose "
            "%(closing)s or earlier."
        ) % {"closing": _day(closing_day)}
    else:
        return requested
    raise WorkflowError(message, field_errors={"invitation_valid_until": [message]})


def _expired_message(concept) -> str:
    return _(
        "Your invitation was valid until %(date)s, so the full proposal "
        "can no longer be started. Please write to the programme staff if you need more time."
    ) % {"date": _day(concept.invitation_valid_until)}


def _track_in(call, track):
    """The track of ``call`` with the key of ``track`` (the concept's), or None."""
    if track is None:
        return None
    return call.tracks.filter(key=track.key, removed_at__isnull=True).first()


def start_full_proposal(*, concept: Application, actor) -> Application:
    """The full proposal of an invited concept, in the concept call's full-proposal call:
    a draft that takes over the concept's title, summary, track, topic, team and the answers
    to questions of the same key. Started once: a second call returns the same draft."""
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("call__next_stage__fund")
            .get(pk=concept.pk)
        )
        if not may(actor, "grants.start_full_proposal", locked):
            if locked.state == ApplicationState.WITHDRAWN:
                raise WorkflowError(_("This concept was withdrawn, and its invitation with it."))
            raise WorkflowError(_("Only an invited concept leads to a full proposal."))
        existing = Application.objects.filter(concept=locked).first()
        if existing is not None:
            return existing
        if locked.invitation_expired():
            raise WorkflowError(_expired_message(locked))
        full_call = locked.call.next_stage
        if full_call is None:
            raise WorkflowError(_("This call has no full-proposal stage."))
        if not full_call.accepts_submissions():
            raise WorkflowError(_closed_message(full_call))
        draft = create_draft(
            call=full_call,
            actor=actor,
            concept=locked,
            track=_track_in(full_call, locked.track),
            **{name: getattr(locked, name) for name in CARRIED_FIELDS},
        )
        TeamMember.objects.bulk_create(
            TeamMember(application=draft, name=member.name, email=member.email)
            for member in locked.team_members.all()
        )
        copied = copy_answers(source=locked, target=draft)
        data = {"concept": locked.reference, "full": draft.reference, "answers": copied}
        log_event(
            subject=draft,
            action=events.DRAFT_STARTED,
            actor=actor,
            to_state=ApplicationState.DRAFT,
            data=data,
            visible_to_applicant=True,
        )
        log_event(
            subject=locked,
            action=events.FULL_PROPOSAL_STARTED,
            actor=actor,
            from_state=locked.state,
            to_state=locked.state,
            data=data,
            visible_to_applicant=True,
        )
    return draft
