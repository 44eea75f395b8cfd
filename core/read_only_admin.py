"""Admin pages that show records and never change them (logs, archives, secrets' owners)."""

from django.contrib import admin


class ReadOnlyModelAdmin(admin.ModelAdmin):
    """Listed and viewed in the admin site; nothing added, changed or deleted there (the
    change form answers a POST with 403)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
