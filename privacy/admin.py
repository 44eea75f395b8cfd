"""The privacy app in the admin site: the inventory of personal data (the records of
processing), and the erasure requests, journal and inactivity warnings, read-only (they are
written by privacy.services only)."""

from django.conf import settings
from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from privacy.inventory.records import retention_rules, sections
from privacy.models import Erasure, ErasureRequest, InactivityWarning


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ErasureRequest)
class ErasureRequestAdmin(ReadOnlyAdmin):
    list_display = ["pk", "user", "state", "requested_at", "handled_at", "handled_by"]
    list_filter = ["state"]
    list_select_related = ["user", "handled_by"]


@admin.register(Erasure)
class ErasureAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "cause", "rule", "count", "journal_id"]
    list_filter = ["kind", "cause", "rule"]


@admin.register(InactivityWarning)
class InactivityWarningAdmin(ReadOnlyAdmin):
    list_display = ["user", "warned_at"]
    list_select_related = ["user"]


def inventory_view(request):
    return TemplateResponse(
        request,
        "admin/privacy/inventory.html",
        {
            **admin.site.each_context(request),
            "title": _("Inventory of personal data"),
            "sections": sections(),
            "retention": retention_rules(),
            "controller": settings.PRIVACY_CONTROLLER,
            "contact": settings.PRIVACY_CONTACT_EMAIL,
        },
    )


admin.site.add_page(
    app_label="privacy",
    route="privacy/inventory/",
    name="privacy_inventory",
    label=_("Inventory of personal data"),
    view=inventory_view,
)
