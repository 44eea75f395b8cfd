"""Staff set the tracks of a call: add, change, move and remove them, until the first
application is submitted. Then they are frozen like the call's other rules: only an admin
may change them, with a reason that goes into the call's log (a name, the cap or the hourly
rate; never a track's key, kind or months, nor remove one that submitted applications
chose, which their budgets and funding periods depend on)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import WorkflowError
from grants import events
from grants.models import Application, Call, CallTrack
from grants.services.frozen import lock_call_for_change, log_form_change
from grants.states import TRACKS_PER_CALL_MAX, ApplicationState
from grants.tracks import DEFAULT_TRACKS

# What staff set on a track (grants.forms.tracks.TrackForm gives these).
TRACK_FIELDS = ("key", "name_de", "name_en", "kind", "months", "cap", "hourly_rate")
FROZEN_FIELDS = ("key", "kind", "months")


def add_default_tracks(call: Call) -> list[CallTrack]:
    """The fund's four usual tracks, with which every new call starts."""
    return CallTrack.objects.bulk_create(
        CallTrack(call=call, position=position, **definition)
        for position, definition in enumerate(DEFAULT_TRACKS, start=1)
    )


def _locked_call(call: Call, actor, reason: str) -> tuple[Call, bool]:
    return lock_call_for_change(
        call,
        actor,
        reason,
        frozen_message=_(
            "Applications have already been submitted to this call, so its tracks can no "
            "longer be changed. Ask an administrator."
        ),
        reason_message=_("Give a reason for changing the tracks of a call that has submissions."),
    )


def _json(value):
    return str(value) if isinstance(value, Decimal) else value


def _log(call, actor, *, change: str, track: CallTrack, reason: str, fields=None):
    log_form_change(
        call,
        actor,
        action=events.CALL_TRACKS_CHANGED,
        part="track",
        key=track.key,
        change=change,
        reason=reason,
        fields=fields,
    )


def save_track(
    *, call: Call, actor, changes: dict, track: CallTrack | None = None, reason: str = ""
) -> CallTrack:
    """Add a track to ``call`` (``track`` None) or change one. Checked by the model
    (a positive cap, 1 to 36 months, a key used once in the call)."""
    unknown = set(changes) - set(TRACK_FIELDS)
    if unknown:
        raise ValueError(f"not track fields: {sorted(unknown)}")
    with transaction.atomic():
        current_call, frozen = _locked_call(call, actor, reason)
        if track is None:
            track = CallTrack(call=current_call)
            before = {}
            active = current_call.tracks.filter(removed_at__isnull=True)
            if active.count() >= TRACKS_PER_CALL_MAX:
                raise WorkflowError(
                    _("A call has at most %(max)s tracks.") % {"max": TRACKS_PER_CALL_MAX}
                )
            track.position = (active.aggregate(last=Max("position"))["last"] or 0) + 1
        else:
            track = CallTrack.objects.select_for_update().get(
                pk=track.pk, call=current_call, removed_at__isnull=True
            )
            before = {name: _json(getattr(track, name)) for name in TRACK_FIELDS}
        for name, value in changes.items():
            setattr(track, name, value)
        if before and frozen:
            _check_frozen(track, before)
        _check_key_unused(track)
        track.full_clean()
        track.save()
        changed = {
            name: {"from": before[name], "to": _json(getattr(track, name))}
            for name in before
            if before[name] != _json(getattr(track, name))
        }
        if not before:
            _log(current_call, actor, change="added", track=track, reason=reason)
        elif changed:
            _log(current_call, actor, change="changed", track=track, reason=reason, fields=changed)
    return track


def _check_key_unused(track):
    """A key names one track of the call (the database's constraint says it too, but not
    on the field)."""
    others = CallTrack.objects.filter(call=track.call_id, key=track.key, removed_at__isnull=True)
    if others.exclude(pk=track.pk).exists():
        raise ValidationError({"key": [_("The call has a track with this key already.")]})


def _check_frozen(track, before):
    for name in FROZEN_FIELDS:
        if before[name] != getattr(track, name):
            raise WorkflowError(
                _(
                    "Applications have been submitted to this call, so a track's key, kind "
                    "and months cannot change. Add a new track instead."
                )
            )


def move_track(*, track: CallTrack, actor, direction: str, reason: str = "") -> CallTrack:
    """Move a track one place up or down among its call's tracks."""
    if direction not in ("up", "down"):
        raise ValueError(direction)
    with transaction.atomic():
        call, _frozen = _locked_call(track.call, actor, reason)
        siblings = list(call.active_tracks())
        index = next((i for i, t in enumerate(siblings) if t.pk == track.pk), None)
        if index is None:
            raise WorkflowError(_("This track has been removed."))
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(siblings):
            raise WorkflowError(_("This track is already at that end."))
        siblings[index], siblings[other] = siblings[other], siblings[index]
        for position, item in enumerate(siblings, start=1):
            item.position = position
        CallTrack.objects.bulk_update(siblings, ["position"])
        moved = siblings[other]
        _log(call, actor, change=f"moved {direction}", track=moved, reason=reason)
    return moved


def remove_track(*, track: CallTrack, actor, reason: str = "") -> CallTrack:
    """Take a track off the call. Applications that chose it keep it (nothing is
    hard-deleted); a draft must choose another before it is submitted. A track that
    submitted applications chose, and the call's last track, stay."""
    with transaction.atomic():
        call, _frozen = _locked_call(track.call, actor, reason)
        current = CallTrack.objects.select_for_update().get(
            pk=track.pk, call=call, removed_at__isnull=True
        )
        if current.applications.exclude(state=ApplicationState.DRAFT).exists():
            raise WorkflowError(
                _(
                    "Applications in this track have been submitted, so it cannot be removed. "
                    "Rename it instead."
                )
            )
        if not call.tracks.filter(removed_at__isnull=True).exclude(pk=current.pk).exists():
            raise WorkflowError(_("A call needs at least one track. Add another one first."))
        current.removed_at = timezone.now()
        current.save(update_fields=["removed_at"])
        _log(call, actor, change="removed", track=current, reason=reason)
    return current


def drafts_in_track(track: CallTrack) -> int:
    """Drafts that chose the track, for the confirmation of its removal."""
    return Application.objects.filter(track=track, state=ApplicationState.DRAFT).count()
