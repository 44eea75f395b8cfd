"""The audit log in the admin site: readable, never changed (it is append-only)."""

import json

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.read_only_admin import ReadOnlyModelAdmin
from workflow.audit import shown_data
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
    # The data with personal values masked: auditors see what happened, not the person.
    fields = [
        "created_at",
        "action",
        "from_state",
        "to_state",
        "actor",
        "content_type",
        "object_id",
        "note",
        "data_shown",
        "visible_to_applicant",
        "redacted_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("data"))
    def data_shown(self, entry):
        return json.dumps(shown_data(entry), ensure_ascii=False, sort_keys=True, default=str)
