from django.urls import path, re_path

from grants.contracts.views import documents, drawdowns, finance, grantee, reports
from grants.contracts.views import staff as staff_grants
from grants.conversations import views as conversations
from grants.inbox import views as inbox
from grants.views import (
    applicant,
    attachments,
    questions,
    staff,
    staff_emails,
    staff_faq,
    staff_lists,
    stages,
    tracks,
)

urlpatterns = [
    # What waits for each person (staff, jurors, applicants and grantees).
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/take-over/", inbox.claim, name="inbox_claim"),
    # An application's thread: its team and programme staff.
    path("applications/<int:pk>/messages/", conversations.conversation, name="conversation"),
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
    path(
        "applications/<int:pk>/full-proposal/",
        stages.full_proposal,
        name="application_full_proposal",
    ),
    path("applications/<int:pk>/attachments/", attachments.upload, name="attachment_upload"),
    path("attachments/<int:pk>/remove/", attachments.remove, name="attachment_remove"),
    path("attachments/<int:pk>/download/", attachments.download, name="attachment_download"),
    # Programme staff.
    path("staff/", staff.dashboard, name="staff_dashboard"),
    path("staff/calls/new/", staff.call_create, name="staff_call_create"),
    path("staff/calls/<slug:slug>/edit/", staff.call_edit, name="staff_call_edit"),
    path("staff/calls/<slug:slug>/faq/", staff_faq.call_faq, name="staff_call_faq"),
    path(
        "staff/calls/<slug:slug>/questions/new/",
        questions.question_create,
        name="staff_question_create",
    ),
    path(
        "staff/calls/<slug:slug>/questions/preview/",
        questions.form_preview,
        name="staff_question_preview",
    ),
    path("staff/questions/<int:pk>/edit/", questions.question_edit, name="staff_question_edit"),
    path("staff/questions/<int:pk>/move/", questions.question_move, name="staff_question_move"),
    path(
        "staff/questions/<int:pk>/remove/", questions.question_remove, name="staff_question_remove"
    ),
    path("staff/calls/<slug:slug>/tracks/new/", tracks.track_create, name="staff_track_create"),
    path("staff/tracks/<int:pk>/edit/", tracks.track_edit, name="staff_track_edit"),
    path("staff/tracks/<int:pk>/move/", tracks.track_move, name="staff_track_move"),
    path("staff/tracks/<int:pk>/remove/", tracks.track_remove, name="staff_track_remove"),
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
    path("staff/emails/", staff_emails.email_texts, name="staff_email_texts"),
    path(
        "staff/emails/<str:key>/<str:language>/",
        staff_emails.email_text,
        name="staff_email_text",
    ),
    path("staff/applications/<int:pk>/", staff.application_detail, name="staff_application_detail"),
    path("staff/applications/<int:pk>/screen/", staff.screen, name="staff_application_screen"),
    path(
        "staff/applications/<int:pk>/request-information/",
        staff.request_information,
        name="staff_request_information",
    ),
    path("staff/applications/<int:pk>/comment/", staff.comment, name="staff_application_comment"),
    path("staff/announcements/", conversations.announcements, name="staff_announcements"),
    path(
        "staff/announcements/new/",
        conversations.announcement_new,
        name="staff_announcement_new",
    ),
    path("staff/announcements/<int:pk>/", conversations.announcement, name="staff_announcement"),
    # Grantees: funded projects.
    path("grantee/", grantee.dashboard, name="grantee_dashboard"),
    path("grantee/grants/<int:pk>/", grantee.grant_detail, name="grantee_grant"),
    path("grantee/grants/<int:pk>/agreement/", grantee.agreement, name="grantee_agreement"),
    path("grantee/grants/<int:pk>/change/", reports.change_request, name="grantee_change_request"),
    path(
        "grantee/grants/<int:pk>/final-report/", reports.final_report, name="grantee_final_report"
    ),
    path(
        "grantee/grants/<int:pk>/bank-details/", grantee.bank_details, name="grantee_bank_details"
    ),
    path(
        "grantee/milestones/<int:pk>/report/",
        reports.milestone_report,
        name="grantee_milestone_report",
    ),
    path(
        "grantee/report-files/<int:pk>/remove/",
        reports.report_attachment_remove,
        name="grantee_report_attachment_remove",
    ),
    path("grantee/calendar/", grantee.calendar_manage, name="grantee_calendar"),
    path(
        "grantee/grants/<int:pk>/publication-consent/",
        grantee.publication_consent,
        name="grantee_publication_consent",
    ),
    path("calendar/<str:token>.ics", grantee.calendar_feed, name="calendar_feed"),
    # Programme staff: funded projects and finance.
    path("staff/grants/", staff_grants.portfolio, name="staff_portfolio"),
    path("staff/grants/overdue/", staff_grants.overdue, name="staff_overdue"),
    path(
        "staff/applications/<int:pk>/agreement/",
        staff_grants.agreement_prepare,
        name="staff_agreement_prepare",
    ),
    path("staff/grants/<int:pk>/", staff_grants.grant_detail, name="staff_grant"),
    path("staff/grants/<int:pk>/agreement/", staff_grants.agreement, name="staff_agreement"),
    path(
        "staff/grants/<int:pk>/agreement/send/",
        staff_grants.agreement_offer,
        name="staff_agreement_offer",
    ),
    path(
        "staff/grants/<int:pk>/final-report/",
        staff_grants.final_report_review,
        name="staff_final_report",
    ),
    path("staff/grants/<int:pk>/terminate/", staff_grants.terminate, name="staff_grant_terminate"),
    path("staff/milestones/<int:pk>/", staff_grants.milestone_review, name="staff_milestone"),
    path(
        "staff/change-requests/<int:pk>/decide/",
        staff_grants.change_request_decide,
        name="staff_change_request_decide",
    ),
    path("staff/agreement-conditions/", documents.agreement_terms, name="staff_agreement_terms"),
    # Documents of a grant's file: grantee and staff only.
    path(
        "grants/agreements/<int:pk>/download/",
        documents.agreement_document,
        name="agreement_document",
    ),
    path(
        "grants/proofs-of-use/<int:pk>/download/",
        documents.proof_of_use_document,
        name="proof_of_use_document",
    ),
    path(
        "staff/statement-lines/<int:pk>/check/",
        staff_grants.statement_line_check,
        name="staff_statement_line_check",
    ),
    path(
        "grantee/statement-lines/<int:pk>/answer/",
        reports.statement_answer,
        name="grantee_statement_answer",
    ),
    path("staff/finance/budget/", drawdowns.budget, name="staff_budget_years"),
    re_path(
        r"^drawdowns/(?P<pk>[0-9]{1,9})/download\.(?P<fmt>pdf|xlsx)$",
        drawdowns.drawdown_file,
        name="drawdown_file",
    ),
    path("staff/finance/", finance.finance, name="staff_finance"),
    path("staff/finance/sepa/review/", finance.sepa_review, name="staff_sepa_review"),
    path("staff/finance/sepa/", finance.sepa_export, name="staff_sepa_export"),
    path("staff/finance/batches/<int:pk>/", finance.batch_detail, name="staff_sepa_batch"),
    path(
        "staff/finance/batches/<int:pk>/file/",
        finance.batch_download,
        name="staff_sepa_batch_file",
    ),
    path(
        "staff/finance/batches/<int:pk>/paid/",
        finance.batch_mark_paid,
        name="staff_sepa_batch_paid",
    ),
    path(
        "staff/finance/batches/<int:pk>/cancel/",
        finance.batch_cancel,
        name="staff_sepa_batch_cancel",
    ),
    path(
        "staff/finance/grants/<int:pk>/bank-details/",
        finance.bank_details,
        name="staff_bank_details",
    ),
    path(
        "staff/finance/accounts/<int:pk>/confirm/",
        finance.bank_details_confirm,
        name="staff_bank_details_confirm",
    ),
]
