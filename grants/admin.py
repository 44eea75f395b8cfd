"""Admin-site configuration for admins. Programme staff work in the staff screens; states
are read-only here because transitions must go through the services (log, notify)."""

from django.contrib import admin

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
    list_display = ["slug", "title_en", "state", "opens_at", "closes_at", "budget"]
    list_filter = ["state", "year"]
    readonly_fields = ["state", "last_sequence", *Call.RULE_FIELDS]
    search_fields = ["slug", "title_de", "title_en"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["reference", "title", "state", "call", "owner", "submitted_at"]
    list_filter = ["state", "call", "track"]
    search_fields = ["reference", "title", "owner__email"]
    list_select_related = ["call", "owner"]
    readonly_fields = [
        "reference",
        "call",
        "owner",
        "state",
        "version",
        "submitted_at",
        "total_hours",
        "requested_amount",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register([Attachment, InformationRequest, InternalComment])
