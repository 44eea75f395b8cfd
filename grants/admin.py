"""Admin-site configuration for admins. Programme staff work in the staff screens. Workflow
objects (applications, attachments, questions, comments, the log) are read-only here:
every change goes through the services, which check, log and notify."""

from django.contrib import admin
from django.template.defaultfilters import date as format_date
from django.utils.translation import gettext_lazy as _

from core.read_only_admin import ReadOnlyModelAdmin
from grants.models import (
    Application,
    Attachment,
    Call,
    Fund,
    InformationRequest,
    InternalComment,
    Topic,
)


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
