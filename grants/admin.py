"""Admin-site configuration for admins. Programme staff work in the staff screens. Workflow
objects (applications, attachments, questions, comments, the log) are read-only here:
every change goes through the services, which check, log and notify."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.template.defaultfilters import date as format_date
from django.utils.translation import gettext_lazy as _

from accounts.access import may
from core.errors import WorkflowError
from core.read_only_admin import ReadOnlyModelAdmin
from grants.forms.tracks import reason_field
from grants.models import (
    Application,
    Attachment,
    Call,
    CallTrack,
    Fund,
    InformationRequest,
    InternalComment,
    Topic,
)
from grants.services.tracks import FROZEN_FIELDS, TRACK_FIELDS, save_track


@admin.register(Fund)
class FundAdmin(admin.ModelAdmin):
    list_display = ["name", "reference_prefix"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["slug", "name_de", "name_en", "fund"]


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    """Rules are changed on the staff pages (logged, frozen after the first submission); here
    they are shown as staff see them: the closing day, not the midnight after it."""

    list_display = ["slug", "title_en", "state", "opens_at", "closing_day", "budget"]
    list_filter = ["state", "year"]
    exclude = ["closes_at"]
    readonly_fields = [
        "state",
        "last_sequence",
        *(name if name != "closes_at" else "closing_day" for name in Call.RULE_FIELDS),
    ]
    search_fields = ["slug", "title_de", "title_en"]

    @admin.display(description=_("Closing day"), ordering="closes_at")
    def closing_day(self, call):
        if call.closing_day is None:
            return "–"
        return _("%(date)s (until 23:59:59 Berlin time)") % {
            "date": format_date(call.closing_day, "DATE_FORMAT")
        }

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(ReadOnlyModelAdmin):
    list_display = ["reference", "title", "state", "call", "owner", "submitted_at"]
    list_filter = ["state", "call", "track"]
    search_fields = ["reference", "title", "owner__email"]
    list_select_related = ["call", "owner"]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyModelAdmin):
    list_display = ["original_name", "application", "content_type", "size", "uploaded_at"]
    list_select_related = ["application"]
    search_fields = ["application__reference", "original_name"]


@admin.register(InformationRequest)
class InformationRequestAdmin(ReadOnlyModelAdmin):
    list_display = ["application", "due_on", "asked_at", "answered_at"]
    list_select_related = ["application"]
    search_fields = ["application__reference"]


@admin.register(InternalComment)
class InternalCommentAdmin(ReadOnlyModelAdmin):
    list_display = ["application", "author", "created_at"]
    list_select_related = ["application", "author"]
    search_fields = ["application__reference"]


class CallTrackAdminForm(forms.ModelForm):
    """A track with the reason for changing it, which a call with submissions needs."""

    reason = reason_field(
        _("Needed once applications have been submitted to the call; kept in the call's log.")
    )

    class Meta:
        model = CallTrack
        fields = ["call", *TRACK_FIELDS]

    def clean(self):
        cleaned = super().clean()
        call = self.instance.call if self.instance.pk else cleaned.get("call")
        if call is None:
            return cleaned
        if call.rules_locked and not cleaned.get("reason", "").strip():
            self.add_error(
                "reason",
                _("Give a reason for changing the tracks of a call that has submissions."),
            )
        # The key's uniqueness among the call's tracks (the constraint is not checked when
        # the call is not a field of the form).
        others = call.tracks.filter(key=cleaned.get("key"), removed_at__isnull=True)
        if "key" in self.fields and others.exclude(pk=self.instance.pk).exists():
            self.add_error("key", _("The call has a track with this key already."))
        return cleaned


@admin.register(CallTrack)
class CallTrackAdmin(admin.ModelAdmin):
    """Admins only. Every change goes through grants.services.tracks: once the call has
    submissions a change needs a reason and goes into the call's log, and the key, kind and
    months stay (applications' budgets and funding periods depend on them). Tracks are
    moved and removed on the staff pages."""

    form = CallTrackAdminForm
    list_display = ["call", "position", "key", "name_en", "name_de", "kind", "months", "cap",
                    "hourly_rate", "removed_at"]  # fmt: skip
    list_filter = ["call", "kind"]
    list_select_related = ["call"]
    search_fields = ["key", "name_de", "name_en", "call__slug"]
    ordering = ["call", "position", "pk"]

    def _is_admin(self, request) -> bool:
        return may(request.user, "grants.change_locked_call_rules")

    def has_module_permission(self, request):
        return self._is_admin(request)

    def has_view_permission(self, request, obj=None):
        return self._is_admin(request)

    def has_add_permission(self, request):
        return self._is_admin(request)

    def has_change_permission(self, request, obj=None):
        return self._is_admin(request) and (obj is None or obj.removed_at is None)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        if obj.call.rules_locked:
            return ["call", *FROZEN_FIELDS, "position", "removed_at"]
        return ["call", "position", "removed_at"]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = save_track(
            call=obj.call,
            actor=request.user,
            changes={name: data[name] for name in TRACK_FIELDS if name in form.fields},
            track=obj if change else None,
            reason=data.get("reason", ""),
        )
        obj.pk, obj.position = saved.pk, saved.position

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A refusal by the service (a race with a first submission, say) is shown as a
        message on the form; nothing has been saved (the view's transaction rolls back)."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (WorkflowError, ValidationError) as error:
            text = error.message if isinstance(error, WorkflowError) else " ".join(error.messages)
            messages.error(request, text)
            return HttpResponseRedirect(request.get_full_path())
