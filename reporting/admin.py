"""The report archive and the subscriptions in the admin site: readable, never changed
(reports are made and subscriptions kept by reporting.services)."""

from django.contrib import admin

from reporting.models import ArchivedReport, QuarterlyDelivery, ReportSubscription


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ArchivedReport)
class ArchivedReportAdmin(ReadOnlyAdmin):
    list_display = ["requested_at", "origin", "quarter", "language", "status", "pages", "sha256"]
    list_filter = ["origin", "status", "language"]
    list_select_related = ["requested_by"]


@admin.register(ReportSubscription)
class ReportSubscriptionAdmin(ReadOnlyAdmin):
    list_display = ["user", "active", "language", "subscribed_at", "ended_at"]
    list_select_related = ["user"]


@admin.register(QuarterlyDelivery)
class QuarterlyDeliveryAdmin(ReadOnlyAdmin):
    list_display = ["sent_at", "quarter", "subscription"]
    list_select_related = ["subscription__user"]
