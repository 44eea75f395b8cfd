from django.urls import path

from grants.views import applicant, attachments, staff, staff_lists

urlpatterns = [
    # Public and applicant pages.
    path("calls/<slug:slug>/", applicant.call_detail, name="call_detail"),
    path("calls/<slug:slug>/apply/", applicant.start, name="application_start"),
    path("applicant/", applicant.dashboard, name="applicant_dashboard"),
    path("applications/<int:pk>/", applicant.detail, name="application_detail"),
    path("applications/<int:pk>/edit/", applicant.edit, name="application_edit"),
    path("applications/<int:pk>/preview/", applicant.preview, name="application_preview"),
    path("applications/<int:pk>/submit/", applicant.submit, name="application_submit"),
    path("applications/<int:pk>/withdraw/", applicant.withdraw, name="application_withdraw"),
    path("applications/<int:pk>/answer/", applicant.answer, name="application_answer"),
    path("applications/<int:pk>/attachments/", attachments.upload, name="attachment_upload"),
    path("attachments/<int:pk>/remove/", attachments.remove, name="attachment_remove"),
    path("attachments/<int:pk>/download/", attachments.download, name="attachment_download"),
    # Programme staff.
    path("staff/", staff.dashboard, name="staff_dashboard"),
    path("staff/calls/new/", staff.call_create, name="staff_call_create"),
    path("staff/calls/<slug:slug>/edit/", staff.call_edit, name="staff_call_edit"),
    path(
        "staff/calls/<slug:slug>/transition/", staff.call_transition, name="staff_call_transition"
    ),
    path(
        "staff/calls/<slug:slug>/applications/",
        staff_lists.application_list,
        name="staff_application_list",
    ),
    path(
        "staff/calls/<slug:slug>/applications.csv",
        staff_lists.application_export,
        name="staff_application_export",
    ),
    path(
        "staff/calls/<slug:slug>/applications.xlsx",
        staff_lists.application_export_xlsx,
        name="staff_application_export_xlsx",
    ),
    path(
        "staff/calls/<slug:slug>/applications/bulk/",
        staff_lists.bulk_transition,
        name="staff_bulk_transition",
    ),
    path("staff/applications/<int:pk>/", staff.application_detail, name="staff_application_detail"),
    path("staff/applications/<int:pk>/screen/", staff.screen, name="staff_application_screen"),
    path(
        "staff/applications/<int:pk>/request-information/",
        staff.request_information,
        name="staff_request_information",
    ),
    path("staff/applications/<int:pk>/comment/", staff.comment, name="staff_application_comment"),
]
