"""The audit log in the admin site: readable, never changed (it is append-only)."""

from django.contrib import admin

from workflow.models import TransitionLog


@admin.register(TransitionLog)
class TransitionLogAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "action",
        "from_state",
        "to_state",
        "actor",
        "content_type",
        "object_id",
    ]
    list_filter = ["action"]
    list_select_related = ["actor", "content_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
