from django.urls import path, re_path

from reporting.views import drawdowns, ministry, records, targets

urlpatterns = [
    path("", ministry.dashboard, name="ministry_dashboard"),
    re_path(
        r"^export/(?P<table>[A-Za-z0-9_-]+)\.(?P<fmt>csv|xlsx)$",
        ministry.export,
        name="ministry_export",
    ),
    path("reports/", ministry.reports, name="ministry_reports"),
    path("reports/<int:pk>/", ministry.report_detail, name="ministry_report"),
    path("reports/<int:pk>/status/", ministry.report_status, name="ministry_report_status"),
    path("reports/<int:pk>/download/", ministry.report_download, name="ministry_report_download"),
    path("subscription/", ministry.subscription, name="ministry_subscription"),
    path("projects/<int:pk>/", ministry.project, name="ministry_project"),
    path("drawdowns/", drawdowns.drawdowns, name="ministry_drawdowns"),
    path("targets/", targets.targets, name="ministry_targets"),
    re_path(
        r"^selection-records/(?P<slug>[-a-zA-Z0-9_]+)/(?P<language>de|en)\.pdf$",
        records.selection_record,
        name="selection_record_pdf",
    ),
    path("selection-records/", records.selection_records, name="ministry_selection_records"),
    re_path(
        r"^selection-records/(?P<slug>[-a-zA-Z0-9_]+)/ministry-(?P<language>de|en)\.pdf$",
        records.ministry_selection_record,
        name="ministry_selection_record_pdf",
    ),
]
