"""The report archive and the subscriptions in the admin site: readable, never changed
(reports are made and subscriptions kept by reporting.services)."""

from django.contrib import admin

from core.read_only_admin import ReadOnlyModelAdmin
from reporting.models import ArchivedReport, QuarterlyDelivery, ReportSubscription


@admin.register(ArchivedReport)
class ArchivedReportAdmin(ReadOnlyModelAdmin):
    list_display = ["requested_at", "origin", "quarter", "language", "status", "pages", "sha256"]
    list_filter = ["origin", "status", "language"]
    list_select_related = ["requested_by"]


@admin.register(ReportSubscription)
class ReportSubscriptionAdmin(ReadOnlyModelAdmin):
    list_display = ["user", "active", "language", "subscribed_at", "ended_at"]
    list_select_related = ["user"]


@admin.register(QuarterlyDelivery)
class QuarterlyDeliveryAdmin(ReadOnlyModelAdmin):
    list_display = ["sent_at", "quarter", "subscription"]
    list_select_related = ["subscription__user"]
