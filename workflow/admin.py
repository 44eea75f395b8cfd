"""The audit log in the admin site: readable, never changed (it is append-only)."""

from django.contrib import admin

from core.read_only_admin import ReadOnlyModelAdmin
from workflow.models import TransitionLog


@admin.register(TransitionLog)
class TransitionLogAdmin(ReadOnlyModelAdmin):
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
