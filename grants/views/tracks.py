"""Staff set the tracks of a call (listed on the call's page): add, change, move and remove
them. Without JavaScript: every step is a form with a button. Thin: check the role, call
one service, render."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.roles import Role
from core.errors import WorkflowError
from core.views import add_service_errors
from grants.forms.tracks import TrackForm
from grants.models import Call, CallTrack
from grants.services.tracks import drafts_in_track, move_track, remove_track, save_track
from grants.states import NOTE_MAX_CHARS


class TrackStepForm(forms.Form):
    """A move or a removal: the direction, the reason (a frozen call) and the second click."""

    direction = forms.ChoiceField(choices=(("up", "up"), ("down", "down")), required=False)
    reason = forms.CharField(
        label=gettext_lazy("Reason for changing the tracks"),
        required=False,
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirmed = forms.BooleanField(required=False)


def _tracks_url(call) -> str:
    return reverse("staff_call_edit", kwargs={"slug": call.slug}) + "#tracks"


def _frozen_and_admin(request, call) -> tuple[bool, bool]:
    return call.rules_locked, request.user.has_perm("grants.change_locked_call_rules")


def _track(pk):
    return get_object_or_404(
        CallTrack.objects.select_related("call__fund"), pk=pk, removed_at__isnull=True
    )


def _form_page(request, call, track=None):
    """The form to add (``track`` None) or change a track; a valid POST saves it."""
    frozen, admin = _frozen_and_admin(request, call)
    form = TrackForm(request.POST or None, track=track, frozen=frozen, is_admin=admin)
    if request.method == "POST" and form.is_valid():
        try:
            saved = save_track(
                call=call,
                actor=request.user,
                track=track,
                changes=form.changes(),
                reason=form.cleaned_data.get("reason", ""),
            )
        except WorkflowError as error:
            messages.error(request, error.message)
            add_service_errors(form, error)
        except forms.ValidationError as error:
            messages.error(request, _("The track was not saved. Please correct the marked fields."))
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The track “%(name)s” has been saved.") % {"name": saved.name}
            )
            return redirect(_tracks_url(call))
    return render(
        request,
        "grants/staff/track_form.html",
        {"call": call, "form": form, "track": track, "frozen": frozen, "is_admin": admin},
    )


@role_required(Role.STAFF)
def track_create(request, slug):
    return _form_page(request, get_object_or_404(Call.objects.select_related("fund"), slug=slug))


@role_required(Role.STAFF)
def track_edit(request, pk):
    track = _track(pk)
    return _form_page(request, track.call, track)


def _confirm(request, track, step, form):
    """The second click of a move or a removal (with the reason a frozen call needs)."""
    frozen, _admin = _frozen_and_admin(request, track.call)
    return render(
        request,
        "grants/staff/track_confirm.html",
        {
            "track": track,
            "call": track.call,
            "step": step,
            "form": form,
            "frozen": frozen,
            "drafts": drafts_in_track(track) if step == "remove" else None,
        },
    )


@role_required(Role.STAFF)
@require_POST
def track_move(request, pk):
    track = _track(pk)
    form = TrackStepForm(request.POST)
    if not form.is_valid() or not form.cleaned_data["direction"]:
        messages.error(request, _("Unknown action."))
        return redirect(_tracks_url(track.call))
    try:
        move_track(
            track=track,
            actor=request.user,
            direction=form.cleaned_data["direction"],
            reason=form.cleaned_data["reason"],
        )
    except WorkflowError as error:
        if "reason" in error.field_errors:
            return _confirm(request, track, "move", form)
        messages.error(request, error.message)
    else:
        messages.success(request, _("The track has been moved."))
    return redirect(_tracks_url(track.call))


@role_required(Role.STAFF)
@require_POST
def track_remove(request, pk):
    """Two steps: the first POST says how many drafts chose the track; the confirmation
    removes it."""
    track = _track(pk)
    form = TrackStepForm(request.POST)
    if not form.is_valid() or not form.cleaned_data["confirmed"]:
        return _confirm(request, track, "remove", TrackStepForm())
    try:
        remove_track(track=track, actor=request.user, reason=form.cleaned_data["reason"])
    except WorkflowError as error:
        messages.error(request, error.message)
        if "reason" in error.field_errors:
            return _confirm(request, track, "remove", form)
    else:
        messages.success(
            request, _("The track “%(name)s” has been removed.") % {"name": track.name}
        )
    return redirect(_tracks_url(track.call))
