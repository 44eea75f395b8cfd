"""Permission matrix (pretix style): every page × every role → the exact expected answer.

Roles: anonymous; ``applicant`` (an applicant who does not own the objects); ``owner`` (the
applicant who owns them); juror, staff, ministry (signed in with a second factor); admin (a
superuser, also with a second factor). Three jurors: ``juror`` is on no jury and assigned to
nothing (juror-unassigned); ``juror_assigned`` is on the jury of ``jury_call`` and assigned to
its application ``reviewed``; ``juror_conflicted`` is on that jury too, assigned to the same
application, but declared a conflict with it. Where a row does not name the two, they get
what ``juror`` gets. Two applicants are named as team members of the owner's application
``discussed``: ``team`` with a verified address, ``team_unverified`` without; they are
checked on the rows that name them (the conversation and inbox pages).

Rules encoded here: applicants see only their own applications (anyone else's is 404);
staff see every non-draft application; ministry viewers see funded projects only on the
ministry's pages (a grantee who consented to publication, ``consenting``, and one who did
not, ``funded``): never the shared application page or any attachment; evidence of a report
that has not been submitted belongs to its grantee; jurors and ministry viewers get 404 on
staff and applicant pages; the home page, the public call pages and the legal pages answer 200 for
everyone; drafts are editable only by their owner; GET on a POST-only view is 405.
"""

import re
import uuid

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.files.base import ContentFile
from django.urls import URLPattern, reverse
from django.utils import timezone
from django.utils.html import escape

import accounts.urls
import grants.urls
import ops.urls
import privacy.urls
import reporting.public_urls
import reporting.urls
import review.urls
from accounts.roles import Role
from core.storage import private_storage
from grants.contracts.services.batches import export_sepa_batch
from grants.models import (
    AgreementDocument,
    AgreementTerms,
    Announcement,
    Attachment,
    BankDetailsCheck,
    CalendarFeed,
    ChangeRequest,
    Drawdown,
    FinalReport,
    Grant,
    InformationRequest,
    Message,
    Milestone,
    MilestoneReport,
    Payment,
    ProofOfUse,
    StatementLine,
    TeamMember,
)
from grants.states import ApplicationState, CallState
from privacy.models import ErasureRequest
from reporting.models import ArchivedReport
from review.models import ConflictOfInterest, DiscussionComment, JuryMember, SelectionRecord
from review.states import ConflictStatus
from tests.accounts.helpers import make_role_user, sign_in
from tests.factories import ApplicationFactory, CallFactory, make_grant, make_user, set_state
from tests.review.helpers import assign, conflict, in_review, make_jury
from tests.two_stage import two_stage_calls

ROLES = (
    "anonymous",
    "applicant",
    "owner",
    "juror",
    "staff",
    "ministry",
    "admin",
    "juror_assigned",
    "juror_conflicted",
    "team",
    "team_unverified",
)
SAME = object()  # the assigned and conflicted jurors get what the unassigned juror gets
LOGIN = "login"  # 302 to the login page with ?next=<this page>
PDF_BYTES = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


class Redirect:
    """302 to a fixed URL; ``{name}`` is replaced by the primary key of that world object."""

    def __init__(self, url):
        self.url = url

    def __repr__(self):
        return f"→{self.url}"


class RedirectMatching:
    def __init__(self, pattern):
        self.pattern = pattern

    def __repr__(self):
        return f"→/{self.pattern}/"


def row(
    url_name,
    obj,
    anonymous,
    applicant,
    owner,
    juror,
    staff,
    ministry,
    admin,
    marks=(),
    *,
    assigned=SAME,
    conflicted=SAME,
    team=None,
    team_unverified=None,
):
    """One page: the object its URL names (or None) and the expected answer per role.
    ``marks`` maps a role (or "*") to pytest marks for that cell. The team members are
    checked only where a row names them (None: not checked)."""
    assigned = juror if assigned is SAME else assigned
    conflicted = juror if conflicted is SAME else conflicted
    answers = (
        anonymous,
        applicant,
        owner,
        juror,
        staff,
        ministry,
        admin,
        assigned,
        conflicted,
        team,
        team_unverified,
    )
    return (url_name, obj, dict(zip(ROLES, answers, strict=True)), dict(marks))


R = Redirect
# Columns:   anonymous, applicant, owner, juror, staff, ministry, admin
STAFF_ONLY = (LOGIN, 404, 404, 404, 200, 404, 200)
# Reports: ministry viewers and programme staff (admins hold the staff role).
REPORT_READERS = (LOGIN, 404, 404, 404, 200, 200, 200)
STAFF_ONLY_POST = (LOGIN, 404, 404, 404, 405, 404, 405)  # GET on a POST-only staff view
OWNER_ONLY = (LOGIN, 404, 200, 404, 404, 404, 404)
NOBODY = (LOGIN, 404, 404, 404, 404, 404, 404)
DOCUMENT_READERS = (LOGIN, 404, 200, 404, 200, 404, 200)  # the grantee and staff
# Jurors' pages of one call: its jurors only (the unassigned juror is on no jury).
MEMBERS = {"assigned": 200, "conflicted": 200}
# One review's pages: its author while assigned and not conflicted.
AUTHOR = {"assigned": 200, "conflicted": 404}
JUROR_POST = (LOGIN, 404, 404, 405, 404, 404, 404)  # GET on a POST-only juror view
EVERYONE = (200,) * 7
# An application's thread: its owner, its team members with a verified address, and staff.
THREAD = (LOGIN, 404, 200, 404, 200, 404, 200)
THREAD_TEAM = {"assigned": 404, "conflicted": 404, "team": 200, "team_unverified": 404}
POST_ONLY = (405,) * 7  # require_POST comes before the login check

REAUTH_REPLACE = Redirect("/accounts/reauthenticate/?next=%2Faccounts%2F2fa%2Ftotp%2Freplace%2F")
REAUTH_BANK = Redirect(
    "/accounts/reauthenticate/?next=%2Fgrantee%2Fgrants%2F{funded_grant}%2Fbank-details%2F"
)
REAUTH_REMOVE = Redirect(
    "/accounts/reauthenticate/?next=%2Faccounts%2F2fa%2Fwebauthn%2Fkeys%2F{security_key}%2Fremove%2F"
)

GET_MATRIX = [
    # accounts/urls.py
    row("home", None, *EVERYONE),
    row(
        "dashboard",
        None,
        LOGIN,
        R("/applicant/"),
        R("/applicant/"),
        R("/inbox/"),
        R("/inbox/"),
        R("/ministry/"),
        R("/inbox/"),
    ),
    row("mfa_required", None, LOGIN, 200, 200, 200, 200, 200, 200),
    # Everyone's own account page; MFA roles only after the second factor (tested below).
    row("account", None, LOGIN, 200, 200, 200, 200, 200, 200),
    row("sign_in_again", None, *POST_ONLY),
    # allauth asks for the password (or a second factor) again before any change of the
    # second factor; without an authenticator app there is nothing to replace.
    row("mfa_replace_totp", None, LOGIN, *(REAUTH_REPLACE,) * 6),
    # Only the staff member's own key; allauth's re-authentication comes first.
    row(
        "mfa_remove_webauthn_checked",
        "security_key",
        Redirect(
            "/accounts/login/?next=%2Faccounts%2F2fa%2Fwebauthn%2Fkeys%2F{security_key}%2Fremove%2F"
        ),
        *(REAUTH_REMOVE,) * 6,
    ),
    row("imprint", None, *EVERYONE),
    row("accessibility", None, *EVERYONE),
    # grants/urls.py: the inbox of everyone who has one (the ministry has none)
    row(
        "inbox",
        None,
        LOGIN,
        200,
        200,
        200,
        200,
        404,
        200,
        team=200,
        team_unverified=200,
    ),
    row("inbox_claim", None, *STAFF_ONLY_POST, team=404, team_unverified=404),
    # grants/urls.py: an application's thread (from its submission on) and announcements
    row("conversation", "discussed", *THREAD, **THREAD_TEAM),
    row("conversation", "submitted", *THREAD, team=404, team_unverified=404),
    row("conversation", "funded_grant_application", *THREAD),
    row("conversation", "draft", *NOBODY, team=404, team_unverified=404),
    row("conversation", "reviewed", *THREAD, assigned=404, conflicted=404),
    row("staff_announcements", None, *STAFF_ONLY, team=404),
    row("staff_announcement_new", None, *STAFF_ONLY, team=404),
    row("staff_announcement", "announcement", *STAFF_ONLY, team=404),
    # privacy/urls.py: the notice for everyone; each person's own data; the staff's pages.
    row("privacy", None, *EVERYONE),
    row("privacy_download", None, *POST_ONLY),
    row("privacy_erasure", None, LOGIN, 200, 200, 200, 200, 200, 200),
    row("privacy_erasure_cancel", None, *POST_ONLY),
    row("staff_privacy", None, *STAFF_ONLY),
    row("staff_privacy_person", "person", *STAFF_ONLY),
    row("staff_privacy_download", "person", *STAFF_ONLY_POST),
    row("staff_privacy_carry_out", "erasure_request", *STAFF_ONLY_POST),
    # grants/urls.py: public and applicant pages
    row("call_detail", "open_call", *EVERYONE),
    row("call_detail", "closed_call", *EVERYONE),
    row("call_detail", "draft_call", *(404,) * 7),
    row("application_start", "open_call", *POST_ONLY),
    row("applicant_dashboard", None, LOGIN, 200, 200, 404, 404, 404, 404),
    row("application_detail", "submitted", LOGIN, 404, 200, 404, 200, 404, 200),
    row(
        "application_detail",
        "draft",
        LOGIN,
        404,
        200,
        404,
        404,
        404,
        404,
    ),
    # Ministry viewers read funded projects on their own pages only (reporting), never the
    # shared application page, consent to publication or not.
    row("application_detail", "funded", LOGIN, 404, 200, 404, 200, 404, 200),
    row("application_detail", "consenting", LOGIN, 404, 200, 404, 200, 404, 200),
    row("application_edit", "funded", LOGIN, 404, 200, 404, 200, 404, 200),
    row("application_edit", "consenting", LOGIN, 404, 200, 404, 200, 404, 200),
    row("application_preview", "funded", LOGIN, 404, 200, 404, 200, 404, 200),
    row("application_preview", "consenting", LOGIN, 404, 200, 404, 200, 404, 200),
    row("application_withdraw", "funded", *NOBODY),
    row("application_answer", "funded", *NOBODY),
    row("application_edit", "draft", *OWNER_ONLY),
    # Whoever may read a submitted application is told it can no longer be changed.
    row("application_edit", "submitted", LOGIN, 404, 200, 404, 200, 404, 200),
    row("application_preview", "draft", *OWNER_ONLY),
    row("application_preview", "submitted", LOGIN, 404, 200, 404, 200, 404, 200),
    row("application_submit", "draft", *POST_ONLY),
    row("application_full_proposal", "submitted", *POST_ONLY),
    row("application_withdraw", "submitted", *OWNER_ONLY),
    row("application_withdraw", "draft", *OWNER_ONLY),
    row("application_withdraw", "withdrawn", *NOBODY),
    row("application_answer", "questioned", *OWNER_ONLY),
    row("application_answer", "submitted", *NOBODY),
    row("attachment_upload", "draft", *POST_ONLY),
    row("attachment_remove", "draft_attachment", *POST_ONLY),
    row("attachment_download", "attachment", LOGIN, 404, 200, 404, 200, 404, 200),
    row(
        "attachment_download",
        "draft_attachment",
        LOGIN,
        404,
        200,
        404,
        404,
        404,
        404,
    ),
    row("attachment_download", "removed_attachment", *NOBODY),
    # Ministry viewers download no attachment at all: not a funded project's proposal files,
    # nor its milestone evidence. Evidence of a report not yet submitted is its grantee's.
    row("attachment_download", "funded_attachment", LOGIN, 404, 200, 404, 200, 404, 200),
    row("attachment_download", "consenting_attachment", LOGIN, 404, 200, 404, 200, 404, 200),
    row("attachment_download", "report_attachment", *OWNER_ONLY),
    row("attachment_download", "submitted_evidence", LOGIN, 404, 200, 404, 200, 404, 200),
    # grants/urls.py: programme staff
    row("staff_dashboard", None, *STAFF_ONLY),
    row("staff_call_create", None, *STAFF_ONLY),
    row("staff_call_edit", "open_call", *STAFF_ONLY),
    row("staff_call_faq", "open_call", *STAFF_ONLY),
    row("staff_call_transition", "open_call", *STAFF_ONLY_POST),
    row("staff_question_create", "open_call", *STAFF_ONLY),
    row("staff_question_preview", "open_call", *STAFF_ONLY),
    row("staff_question_preview", "draft_call", *STAFF_ONLY),
    row("staff_question_edit", "question", *STAFF_ONLY),
    row("staff_question_move", "question", *STAFF_ONLY_POST),
    row("staff_question_remove", "question", *STAFF_ONLY_POST),
    row("staff_track_create", "open_call", *STAFF_ONLY),
    row("staff_track_create", "draft_call", *STAFF_ONLY),
    row("staff_track_edit", "track", *STAFF_ONLY),
    row("staff_track_move", "track", *STAFF_ONLY_POST),
    row("staff_track_remove", "track", *STAFF_ONLY_POST),
    row("staff_application_list", "open_call", *STAFF_ONLY),
    row("staff_application_export", "open_call", *STAFF_ONLY),
    row("staff_application_export_xlsx", "open_call", *STAFF_ONLY),
    row("staff_bulk_transition", "open_call", *STAFF_ONLY_POST),
    row("staff_application_detail", "submitted", *STAFF_ONLY),
    row("staff_application_detail", "draft", *NOBODY),
    # The wording of the e-mails: programme staff only.
    row("staff_email_texts", None, *STAFF_ONLY),
    row("staff_email_text", "email_text", *STAFF_ONLY),
    row("staff_application_screen", "submitted", *STAFF_ONLY_POST),
    row("staff_request_information", "submitted", *STAFF_ONLY_POST),
    row("staff_application_comment", "submitted", *STAFF_ONLY_POST),
    # grants/urls.py: grantees (the owner of a funded application)
    row("grantee_dashboard", None, LOGIN, 200, 200, 404, 404, 404, 404),
    row("grantee_grant", "funded_grant", *OWNER_ONLY),
    row("grantee_grant", "unsent_grant", *NOBODY),
    row("grantee_agreement", "approved_grant", *OWNER_ONLY),
    row("grantee_change_request", "funded_grant", *OWNER_ONLY),
    row("grantee_final_report", "final_grant", *OWNER_ONLY),
    row("grantee_final_report", "funded_grant", *NOBODY),
    # Bank details: the owner re-authenticates first (allauth), everyone else gets 404.
    row("grantee_bank_details", "funded_grant", LOGIN, 404, REAUTH_BANK, 404, 404, 404, 404),
    row("grantee_bank_details", "approved_grant", *NOBODY),
    row("grantee_milestone_report", "milestone", *OWNER_ONLY),
    row("grantee_report_attachment_remove", "report_attachment", *POST_ONLY),
    row("grantee_calendar", None, *POST_ONLY),
    row("grantee_publication_consent", "consenting_grant", *POST_ONLY),
    # The feed has no sign-in (calendar apps cannot): its secret address is the key.
    row("calendar_feed", "feed", *EVERYONE),
    row("calendar_feed", "unknown_feed", *(404,) * 7),
    # grants/urls.py: programme staff, funded projects and finance
    row("staff_portfolio", None, *STAFF_ONLY),
    row("staff_overdue", None, *STAFF_ONLY),
    row("staff_agreement_prepare", "approved", *STAFF_ONLY_POST),
    row("staff_grant", "funded_grant", *STAFF_ONLY),
    row("staff_agreement", "approved_grant", *STAFF_ONLY),
    row("staff_agreement_offer", "approved_grant", *STAFF_ONLY_POST),
    row("staff_final_report", "final_grant", *STAFF_ONLY),
    row("staff_grant_terminate", "funded_grant", *STAFF_ONLY),
    row("staff_milestone", "milestone", *STAFF_ONLY),
    row("staff_change_request_decide", "change_request", *STAFF_ONLY_POST),
    row("staff_finance", None, *STAFF_ONLY),
    row("staff_sepa_review", None, *STAFF_ONLY_POST),
    row("staff_sepa_export", None, *STAFF_ONLY_POST),
    row("staff_sepa_batch", "batch", *STAFF_ONLY),
    row("staff_sepa_batch_file", "batch", *STAFF_ONLY),
    row("staff_sepa_batch_paid", "batch", *STAFF_ONLY_POST),
    row("staff_sepa_batch_cancel", "batch", *STAFF_ONLY_POST),
    row("staff_bank_details", "funded_grant", *STAFF_ONLY),
    # Documents of a grant's file (issue 18): the grantee and staff, nobody else.
    row("staff_agreement_terms", None, *STAFF_ONLY),
    row("agreement_document", "agreement_document", *DOCUMENT_READERS),
    row("proof_of_use_document", "proof", *DOCUMENT_READERS),
    row("proof_of_use_document", "unarchived_proof", *NOBODY),  # nothing archived yet
    row("staff_statement_line_check", "statement_line", *STAFF_ONLY_POST),
    row("grantee_statement_answer", "statement_line", *POST_ONLY),
    row("staff_budget_years", None, *STAFF_ONLY),
    row("drawdown_file", "drawdown.pdf", *REPORT_READERS),
    row("drawdown_file", "drawdown.xlsx", *REPORT_READERS),
    row("staff_bank_details_confirm", "bank_check", *STAFF_ONLY_POST),
    # Jurors never reach the shared application page or its attachments, assigned or not:
    # they read proposals on their own, blind-aware pages.
    row("application_detail", "reviewed", LOGIN, 404, 200, 404, 200, 404, 200),
    row("attachment_download", "reviewed_attachment", LOGIN, 404, 200, 404, 200, 404, 200),
    # review/urls.py: jurors
    row("jury_dashboard", None, LOGIN, 404, 404, 200, 404, 404, 404),
    row("jury_queue", "jury_call", *NOBODY, **MEMBERS),
    row("jury_conflicts", "jury_call", *NOBODY, **MEMBERS),
    row("jury_conflicts", "open_call", *NOBODY),  # a call without a jury
    row("jury_conflict_declare", "jury_call", *JUROR_POST),
    row("jury_conflict_dismiss", "suggestion", *JUROR_POST),
    row("jury_review", "review", *NOBODY, **AUTHOR),
    row("jury_review", "conflicted_review", *NOBODY),  # their own review, but conflicted
    row("jury_review_autosave", "review", *JUROR_POST),
    row("jury_review_reopen", "review", *JUROR_POST),
    row("jury_review_discussion", "review", *NOBODY, **AUTHOR),
    row("jury_review_discussion", "conflicted_review", *NOBODY),
    row("jury_discussion_comment", "review", *JUROR_POST),
    row("jury_discussion_summary", "review", *JUROR_POST),
    row("jury_discussion_withdraw", "discussion_comment", *JUROR_POST),
    # review/urls.py: programme staff
    row("staff_jury", "jury_call", *STAFF_ONLY),
    row("staff_jury", "open_call", *STAFF_ONLY),  # no jury yet: the set-up page
    row("staff_jury_set_up", "open_call", *STAFF_ONLY_POST),
    row("staff_jury_settings", "jury_call", *STAFF_ONLY_POST),
    row("staff_jury_transition", "jury_call", *STAFF_ONLY_POST),
    row("staff_jury_minimums", "jury_call", *STAFF_ONLY_POST),
    row("staff_jury_criteria", "jury_call", *STAFF_ONLY),
    row("staff_jury_criteria", "open_call", *NOBODY),
    row("staff_jury_members", "jury_call", *STAFF_ONLY),
    row("staff_jury_member_topics", "member", *STAFF_ONLY_POST),
    row("staff_assignment", "jury_call", *STAFF_ONLY),
    row("staff_assignment_propose", "jury_call", *STAFF_ONLY_POST),
    row("staff_assignment_change", "jury_call", *STAFF_ONLY_POST),
    row("staff_assignment_confirm", "jury_call", *STAFF_ONLY_POST),
    row("staff_ranking", "jury_call", *STAFF_ONLY),
    row("staff_ranking", "open_call", *NOBODY),
    row("staff_line", "jury_call", *STAFF_ONLY),
    row("staff_line_draw", "jury_call", *STAFF_ONLY_POST),
    row("staff_line_open_early", "jury_call", *STAFF_ONLY_POST),
    row("staff_line_move", "jury_call", *STAFF_ONLY_POST),
    row("staff_line_freeze", "jury_call", *STAFF_ONLY_POST),
    row("staff_line_lottery", "jury_call", *STAFF_ONLY_POST),
    row("staff_line_discard", "jury_call", *STAFF_ONLY_POST),
    row("staff_decisions", "jury_call", *STAFF_ONLY_POST),
    row("staff_concept_decisions", "concept_call", *STAFF_ONLY),
    row("staff_waitlist", "jury_call", *STAFF_ONLY),
    row("staff_application_jury", "reviewed", *STAFF_ONLY),
    row("staff_application_jury", "draft", *NOBODY),
    row("staff_application_decide", "reviewed", *STAFF_ONLY_POST),
    row("staff_discussion_comment", "reviewed", *STAFF_ONLY_POST),
    row("staff_discussion_summary", "reviewed", *STAFF_ONLY_POST),
    row("staff_discussion_rapporteur", "reviewed", *STAFF_ONLY_POST),
    row("staff_discussion_withdraw", "discussion_comment", *STAFF_ONLY_POST),
    # reporting/urls.py: ministry viewers and staff see aggregates and funded projects only.
    row("ministry_dashboard", None, *REPORT_READERS),
    row("ministry_export", "key_figures.csv", *REPORT_READERS),
    row("ministry_export", "all.xlsx", *REPORT_READERS),
    row("ministry_reports", None, *REPORT_READERS),
    row("ministry_report", "archived_report", *REPORT_READERS),
    row("ministry_report_status", "archived_report", *REPORT_READERS),
    row("ministry_report_download", "archived_report", *REPORT_READERS),
    row("selection_record_pdf", "decided_call", *STAFF_ONLY),
    # The ministry's version names funded projects only: ministry viewers and staff.
    row("ministry_selection_records", None, *REPORT_READERS),
    row("ministry_selection_record_pdf", "decided_call", *REPORT_READERS),
    row("ministry_subscription", None, LOGIN, 404, 404, 404, 404, 405, 404),
    row("ministry_project", "funded_grant", *REPORT_READERS),
    row("ministry_targets", None, *STAFF_ONLY),  # set by staff, read by both in the reports
    row("ministry_project", "consenting_grant", *REPORT_READERS),
    # An approved application whose agreement is not signed is no funded project (yet).
    row("ministry_project", "approved_grant", *NOBODY),
    row("ministry_drawdowns", None, *REPORT_READERS),
    # reporting/public_urls.py: open data for everyone, no sign-in.
    row("transparency", None, *EVERYONE),
    row("open_data_360giving", "published", *EVERYONE),
    # ops/urls.py: for machines, the same for everyone (here: no worker has been seen).
    row("healthz", None, *(503,) * 7),
]

# POST on the applicant's POST-only views: who gets through the permission check. The
# permitted cells end in the service's redirect; refusals have no side effect.
POST_MATRIX = [
    # The first step of a removal only asks for the confirmation: nothing changes.
    row("staff_question_remove", "question", LOGIN, 404, 404, 404, 200, 404, 200),
    row("staff_track_remove", "track", LOGIN, 404, 404, 404, 200, 404, 200),
    row(
        "application_start",
        "open_call",
        LOGIN,
        RedirectMatching(r"applications/\d+/edit"),
        RedirectMatching(r"applications/\d+/edit"),
        404,
        404,
        404,
        404,
    ),
    row(
        "application_submit",
        "draft",
        LOGIN,
        404,
        R("/applications/{draft}/"),
        404,
        404,
        404,
        404,
    ),
    row(
        "attachment_upload",
        "draft",
        LOGIN,
        404,
        R("/applications/{draft}/edit/"),
        404,
        404,
        404,
        404,
    ),
    row("attachment_upload", "submitted", *NOBODY),
    # Only the owner of an invited concept (tests/grants/test_two_stage.py): nobody here.
    row("application_full_proposal", "submitted", *NOBODY),
    row(
        "attachment_remove",
        "draft_attachment",
        LOGIN,
        404,
        R("/applications/{draft}/edit/"),
        404,
        404,
        404,
        404,
    ),
    row("attachment_remove", "attachment", *NOBODY),
    # Reports: ministry viewers and staff; the subscription is the ministry's.
    row(
        "ministry_reports",
        None,
        LOGIN,
        404,
        404,
        404,
        RedirectMatching(r"ministry/reports/\d+"),
        RedirectMatching(r"ministry/reports/\d+"),
        RedirectMatching(r"ministry/reports/\d+"),
    ),
    row("ministry_subscription", None, LOGIN, 404, 404, 404, 404, R("/ministry/reports/"), 404),
    # Only the grantee withdraws their consent to publication.
    row(
        "grantee_publication_consent",
        "consenting_grant",
        LOGIN,
        404,
        R("/grantee/grants/{consenting_grant}/#publication"),
        404,
        404,
        404,
        404,
    ),
    # Everyone downloads their own data and may ask for its erasure; only staff download
    # another person's data or carry out a request (which ends on the list of requests).
    row("privacy_download", None, LOGIN, 200, 200, 200, 200, 200, 200),
    row("privacy_erasure", None, LOGIN, *(R("/account/data/erasure/"),) * 6),
    row("privacy_erasure_cancel", None, LOGIN, 404, 404, 404, 404, 404, 404),
    row("staff_privacy_download", "person", LOGIN, 404, 404, 404, 200, 404, 200),
    row(
        "staff_privacy_carry_out",
        "erasure_request",
        LOGIN,
        404,
        404,
        404,
        R("/staff/privacy/"),
        404,
        R("/staff/privacy/"),
    ),
    # Jurors' POST views: their own jury and reviews only.
    row(
        "jury_conflict_declare",
        "jury_call",
        LOGIN,
        404,
        404,
        404,
        404,
        404,
        404,
        assigned=200,  # the empty form, with its errors
        conflicted=200,
    ),
    row(
        "jury_conflict_dismiss",
        "suggestion",
        LOGIN,
        404,
        404,
        404,
        404,
        404,
        404,
        assigned=R("/jury/calls/{jury_call}/conflicts/"),
        conflicted=R("/jury/calls/{jury_call}/conflicts/"),  # refused: not theirs
    ),
    row("jury_review_autosave", "review", *NOBODY, assigned=200, conflicted=404),
    # The discussion: the jury of ``jury_call`` is still scoring, so no juror may comment
    # yet; staff who see the application get the empty comment's form error (200).
    row("jury_discussion_comment", "review", *NOBODY),
    row("staff_discussion_comment", "reviewed", LOGIN, 404, 404, 404, 200, 404, 200),
    row(
        "jury_review_reopen",
        "review",
        *NOBODY,
        assigned=R("/jury/reviews/{review}/"),  # refused: a draft
        conflicted=404,
    ),
    # A thread: an empty message is refused with the form again (200) for whoever may
    # write; nobody else learns that the thread exists.
    row("conversation", "discussed", *THREAD, **THREAD_TEAM),
    row("conversation", "draft", *NOBODY, team=404),
    # Staff POST views refuse everyone but staff before looking at the data.
    row("staff_call_transition", "open_call", LOGIN, 404, 404, 404, None, 404, None),
    row("staff_bulk_transition", "open_call", LOGIN, 404, 404, 404, None, 404, None),
    row("staff_application_screen", "submitted", LOGIN, 404, 404, 404, None, 404, None),
    row("staff_request_information", "submitted", LOGIN, 404, 404, 404, None, 404, None),
    row("staff_application_comment", "submitted", LOGIN, 404, 404, 404, None, 404, None),
    row("staff_email_text", "email_text", LOGIN, 404, 404, 404, None, 404, None),
    row("staff_agreement_prepare", "approved", LOGIN, 404, 404, 404, None, 404, None),
    row("staff_agreement_offer", "approved_grant", LOGIN, 404, 404, 404, None, 404, None),
    row("staff_change_request_decide", "change_request", LOGIN, 404, 404, 404, None, 404, None),
    row("staff_sepa_review", None, LOGIN, 404, 404, 404, None, 404, None),
    row("staff_sepa_export", None, LOGIN, 404, 404, 404, None, 404, None),
    # Issue 18: refused input is shown again (200) or the check goes back to the report.
    row("staff_agreement_terms", None, LOGIN, 404, 404, 404, 200, 404, 200),
    row("staff_budget_years", None, LOGIN, 404, 404, 404, 200, 404, 200),
    row(
        "staff_statement_line_check",
        "statement_line",
        LOGIN,
        404,
        404,
        404,
        R("/staff/grants/{proof_grant}/final-report/#line-{statement_line}"),
        404,
        R("/staff/grants/{proof_grant}/final-report/#line-{statement_line}"),
    ),
    row(
        "grantee_statement_answer",
        "statement_line",
        LOGIN,
        404,
        R("/grantee/grants/{proof_grant}/final-report/#statement"),
        404,
        404,
        404,
        404,
    ),
    row("staff_sepa_batch_paid", "batch", LOGIN, 404, 404, 404, None, 404, None),
    row("staff_sepa_batch_cancel", "batch", LOGIN, 404, 404, 404, None, 404, None),
    row("staff_bank_details_confirm", "bank_check", LOGIN, 404, 404, 404, None, 404, None),
    row("staff_announcement_new", None, LOGIN, 404, 404, 404, 200, 404, 200, team=404),
    row("inbox_claim", None, LOGIN, 404, 404, 404, R("/inbox/"), 404, R("/inbox/"), team=404),
    # Grantee POST views: only the owner of the report draft gets through.
    row(
        "grantee_report_attachment_remove",
        "report_attachment",
        LOGIN,
        404,
        R("/grantee/milestones/{milestone}/report/"),
        404,
        404,
        404,
        404,
    ),
    row(
        "grantee_calendar",
        None,
        LOGIN,
        R("/grantee/#calendar"),
        R("/grantee/#calendar"),
        404,
        404,
        404,
        404,
    ),
    *(
        row(name, obj, LOGIN, 404, 404, 404, None, 404, None)
        for name, obj in (
            ("staff_jury_set_up", "open_call"),
            ("staff_jury_settings", "jury_call"),
            ("staff_jury_transition", "jury_call"),
            ("staff_jury_minimums", "jury_call"),
            ("staff_jury_member_topics", "member"),
            ("staff_assignment_propose", "jury_call"),
            ("staff_assignment_change", "jury_call"),
            ("staff_assignment_confirm", "jury_call"),
            ("staff_line_draw", "jury_call"),
            ("staff_line_open_early", "jury_call"),
            ("staff_line_move", "jury_call"),
            ("staff_line_freeze", "jury_call"),
            ("staff_line_lottery", "jury_call"),
            ("staff_line_discard", "jury_call"),
            ("staff_decisions", "jury_call"),
            ("staff_application_decide", "reviewed"),
        )
    ),
    # Posted with nothing chosen: staff see the page again with the reason.
    row("staff_concept_decisions", "concept_call", LOGIN, 404, 404, 404, 200, 404, 200),
]


def cases(matrix):
    for url_name, obj, expected, marks in matrix:
        for role in ROLES:
            if expected[role] is None:
                continue
            cell_marks = [*marks.get("*", []), *marks.get(role, [])]
            yield pytest.param(
                url_name,
                obj,
                role,
                expected[role],
                marks=cell_marks,
                id=f"{url_name}[{obj or '-'}]-{role}",
            )


class World:
    """Objects and users the matrix refers to by name."""

    def __init__(self):
        self.users = {"anonymous": None}
        for role in ("juror", "staff", "ministry", "admin"):
            self.users[role] = make_role_user(role)
        self.users["applicant"] = make_user(Role.APPLICANT, email="other@example.org")
        owner = self.users["owner"] = make_user(Role.APPLICANT, email="owner@example.org")

        # New drafts get references after the factory's (CTF-2026-<round>-5001 …).
        self.open_call = CallFactory(last_sequence=5000)
        self.closed_call = CallFactory(state=CallState.CLOSED)
        self.draft_call = CallFactory(state=CallState.DRAFT)
        self.draft = ApplicationFactory(call=self.open_call, owner=owner)
        self.question = self.open_call.questions.order_by("position").first()
        self.track = self.open_call.tracks.order_by("position").first()
        self.submitted = self._submitted(owner)
        self.questioned = self._submitted(owner)
        InformationRequest.objects.create(
            application=self.questioned,
            question="Which municipalities have agreed to test the toolkit?",
            editable_sections=["target_group"],
            due_on=timezone.localdate() + timezone.timedelta(days=14),
            asked_by=self.users["staff"],
        )
        self.withdrawn = set_state(
            ApplicationFactory(call=self.open_call, owner=owner), ApplicationState.WITHDRAWN
        )
        self.funded = set_state(self._submitted(owner), ApplicationState.FUNDED)
        self.funded_attachment = self._attachment(self.funded, "funded-plan.pdf")
        self.consenting = set_state(self._submitted(owner), ApplicationState.FUNDED)
        self.consenting_attachment = self._attachment(self.consenting, "consenting-plan.pdf")
        self.attachment = self._attachment(self.submitted, "work-plan.pdf")
        self.draft_attachment = self._attachment(self.draft, "draft-plan.pdf")
        self.removed_attachment = self._attachment(self.submitted, "old-plan.pdf")
        self.removed_attachment.removed_at = timezone.now()
        self.removed_attachment.save(update_fields=["removed_at"])
        self.security_key = Authenticator.objects.create(
            user=self.users["staff"], type=Authenticator.Type.WEBAUTHN, data={"name": "Key"}
        )
        self._funded_projects(owner)
        self._jury(owner)
        self.concept_call, _full_call = two_stage_calls()
        self.archived_report = self._archived_report()
        self.person = owner
        self.erasure_request = ErasureRequest.objects.create(
            user=make_user(Role.APPLICANT, email="leaving@example.org")
        )
        self.decided_call = CallFactory(state=CallState.DECIDED)
        SelectionRecord.objects.create(
            call=self.decided_call, basis="calibrated", taken_at=timezone.now()
        )
        self._conversation(owner)

    def _conversation(self, owner):
        """A submitted application of the owner with two named team members (one verified),
        a thread, and an announcement sent."""
        self.discussed = self._submitted(owner)
        self.users["team"] = make_user(Role.APPLICANT, email="mate@example.org")
        self.users["team_unverified"] = make_user(Role.APPLICANT, email="late@example.org")
        EmailAddress.objects.filter(user=self.users["team_unverified"]).update(verified=False)
        for address in ("mate@example.org", "late@example.org"):
            TeamMember.objects.create(application=self.discussed, email=address, name=address)
        Message.objects.create(
            application=self.discussed,
            author=self.users["staff"],
            from_staff=True,
            body="Welcome to the fund.",
        )
        self.funded_grant_application = self.funded_grant.application
        self.announcement = Announcement.objects.create(
            audience="all_grantees",
            subject_de="Hinweis",
            subject_en="Notice",
            body_de="Text",
            body_en="Text",
            sent_by=self.users["staff"],
            recipient_count=1,
        )

    def _jury(self, owner):
        """A call in review with a jury: one application assigned to two jurors, one of whom
        declared a conflict with it (assignment still active: the rules must hold anyway)."""
        assigned = self.users["juror_assigned"] = make_role_user("juror")
        conflicted = self.users["juror_conflicted"] = make_role_user("juror")
        jury = make_jury(CallFactory(state=CallState.IN_REVIEW))
        self.jury_call = jury.call
        for juror in (assigned, conflicted):
            JuryMember.objects.create(jury=jury, user=juror, email=juror.email)
        self.member = JuryMember.objects.get(user=assigned)
        self.reviewed = in_review(jury.call, owner=owner)
        self.reviewed_attachment = self._attachment(self.reviewed, "reviewed-plan.pdf")
        self.review = assign(assigned, self.reviewed)
        self.conflicted_review = assign(conflicted, self.reviewed)
        conflict(conflicted, self.reviewed)
        self.discussion_comment = DiscussionComment.objects.create(
            application=self.reviewed, author=self.users["staff"], body="A first thought."
        )
        self.suggestion = ConflictOfInterest.objects.create(
            juror=assigned,
            application=in_review(jury.call),
            status=ConflictStatus.SUGGESTED,
        )

    def _archived_report(self):
        stored_name = f"reports/{uuid.uuid4().hex}.pdf"
        private_storage().save(stored_name, ContentFile(PDF_BYTES))
        return ArchivedReport.objects.create(
            origin="request",
            language="en",
            status="done",
            progress=100,
            stored_name=stored_name,
            size=len(PDF_BYTES),
            sha256="0" * 64,
        )

    def _funded_projects(self, owner):
        self.approved = set_state(self._submitted(owner), ApplicationState.APPROVED)
        self.approved_grant = make_grant(self._submitted(owner), state="approved")
        self.unsent_grant = make_grant(self._submitted(owner), state="approved", offered=False)
        self.funded_grant = make_grant(self.funded)  # no consent to publication
        self.consenting_grant = make_grant(self.consenting)
        Grant.objects.filter(pk=self.consenting_grant.pk).update(publication_consent=True)
        self.final_grant = make_grant(self._submitted(owner), state="final_report_due")
        FinalReport.objects.create(grant=self.final_grant)
        self.milestone = self.funded_grant.milestones.first()
        report = MilestoneReport.objects.create(milestone=self.milestone)
        self.report_attachment = self._attachment(self.funded, "evidence.pdf")
        Attachment.objects.filter(pk=self.report_attachment.pk).update(milestone_report=report)
        submitted = MilestoneReport.objects.create(
            milestone=self.funded_grant.milestones.last(), submitted_at=timezone.now()
        )
        self.submitted_evidence = self._attachment(self.funded, "accepted-evidence.pdf")
        Attachment.objects.filter(pk=self.submitted_evidence.pk).update(milestone_report=submitted)
        self.change_request = ChangeRequest.objects.create(
            grant=self.funded_grant,
            kind="end_date",
            old_date=self.funded_grant.ends_on,
            new_date=self.funded_grant.ends_on + timezone.timedelta(days=30),
            reason="Our partner city needs more time.",
            requested_by=owner,
        )
        self.published = self.funded_grant
        self._money()
        self._documents(owner)
        self.feed = CalendarFeed.objects.get_or_create(user=owner)[0]
        self.unknown_feed = CalendarFeed(token="not-a-known-token")

    def _money(self):
        """A transfer file (a payment released by the admin, exported by staff) and an
        account waiting for confirmation."""
        paid_grant = make_grant(self._submitted(self.users["applicant"]))
        milestone = paid_grant.milestones.first()
        Milestone.objects.filter(pk=milestone.pk).update(state="accepted")
        payment = Payment.objects.create(
            grant=paid_grant,
            milestone=milestone,
            kind="released",
            amount=milestone.amount,
            created_by=self.users["admin"],
        )
        self.batch = export_sepa_batch(
            actor=self.users["staff"], payment_ids=[payment.pk], execution_date=timezone.localdate()
        )
        self.bank_check = BankDetailsCheck.objects.create(
            grant=self.funded_grant,
            reason="change",
            account_holder="Ada Lovelace",
            iban_masked=self.funded_grant.iban_masked,
            requested_by=self.funded_grant.application.owner,
        )

    def _documents(self, owner):
        """Issue 18: an agreement PDF, an archived and an unarchived proof of use with a
        queried line, and a drawdown request."""
        stored_name = f"documents/{uuid.uuid4().hex}.pdf"
        private_storage().save(stored_name, ContentFile(PDF_BYTES))
        terms = AgreementTerms.objects.create(
            fund=self.approved_grant.application.call.fund,
            version=1,
            text_de="Bedingungen",
            text_en="Conditions",
            created_by=self.users["staff"],
        )
        self.agreement_document = AgreementDocument.objects.create(
            grant=self.approved_grant, grant_version=1, terms=terms, language="en",
            stored_name=stored_name, sha256="0" * 64, size=len(PDF_BYTES),
            created_by=owner, account_holder="Owner", iban_masked="DE89 ••",
        )  # fmt: skip
        self.proof = ProofOfUse.objects.create(
            final_report=FinalReport.objects.get(grant=self.final_grant),
            stored_name=stored_name, sha256="0" * 64, size=len(PDF_BYTES), language="en",
        )  # fmt: skip
        self.proof_grant = make_grant(self._submitted(owner), state="final_report_due")
        report = FinalReport.objects.create(grant=self.proof_grant)
        FinalReport.objects.filter(pk=report.pk).update(state="submitted")
        self.unarchived_proof = ProofOfUse.objects.create(final_report=report)
        self.statement_line = StatementLine.objects.create(
            proof=self.unarchived_proof, kind="receipt", position=1, amount=10, payee="P",
            purpose="Q", paid_on=self.proof_grant.starts_on,
        )  # fmt: skip
        StatementLine.objects.filter(pk=self.statement_line.pk).update(state="queried")
        self.drawdown = Drawdown.objects.create(
            fund=self.approved_grant.application.call.fund, number=1,
            period_start=timezone.localdate(), period_end=timezone.localdate(), amount=10,
            created_by=self.users["staff"], language="en", pdf_name=stored_name,
            pdf_sha256="0" * 64, xlsx_name=stored_name, xlsx_sha256="0" * 64,
        )  # fmt: skip

    def _submitted(self, owner):
        application = ApplicationFactory(call=self.open_call, owner=owner)
        application = set_state(application, ApplicationState.SUBMITTED)
        type(application).objects.filter(pk=application.pk).update(submitted_at=timezone.now())
        application.refresh_from_db()
        return application

    def _attachment(self, application, name):
        stored_name = f"{uuid.uuid4().hex}.pdf"
        private_storage().save(stored_name, ContentFile(PDF_BYTES))
        return Attachment.objects.create(
            application=application,
            original_name=name,
            stored_name=stored_name,
            content_type="application/pdf",
            size=len(PDF_BYTES),
            uploaded_by=application.owner,
        )

    def url(self, url_name, obj):
        if obj is None:
            return reverse(url_name)
        if url_name == "ministry_export":
            table, fmt = obj.split(".")
            return reverse(url_name, kwargs={"table": table, "fmt": fmt})
        if url_name == "drawdown_file":
            name, fmt = obj.split(".")
            return reverse(url_name, kwargs={"pk": getattr(self, name).pk, "fmt": fmt})
        if obj == "email_text":
            return reverse(url_name, kwargs={"key": "jury_added", "language": "de"})
        if obj == "published":
            getattr(self, obj)  # a signed grant exists: there is open data to serve
            return reverse(url_name)
        target = getattr(self, obj)
        if url_name in ("selection_record_pdf", "ministry_selection_record_pdf"):
            return reverse(url_name, kwargs={"slug": target.slug, "language": "en"})
        if obj.endswith("call"):
            return reverse(url_name, kwargs={"slug": target.slug})
        if obj.endswith("feed"):
            return reverse(url_name, kwargs={"token": target.token})
        if obj == "discussion_comment":
            on = self.review if url_name.startswith("jury_") else self.reviewed
            return reverse(url_name, kwargs={"pk": on.pk, "comment": target.pk})
        if obj in ("suggestion", "member"):
            return reverse(url_name, kwargs={"slug": self.jury_call.slug, "pk": target.pk})
        return reverse(url_name, kwargs={"pk": target.pk})

    def post_data(self, url_name, obj):
        if url_name == "application_submit":
            return {"version": str(getattr(self, obj).version)}
        if url_name == "ministry_reports":
            return {"language": "en", "appendix": ""}
        if url_name == "ministry_subscription":
            return {"action": "subscribe", "language": "de"}
        if url_name == "staff_email_text":
            return {"action": "save", "subject": "Jury $call", "body": "Willkommen."}
        if url_name == "jury_review_autosave":
            return {"version": "1", "comment_for_staff": "", "comment_for_applicant": ""}
        if url_name == "conversation":
            return {"body": ""}
        return {}

    def pks(self):
        return {
            name: getattr(self, name).pk
            for name in (
                "draft",
                "submitted",
                "questioned",
                "withdrawn",
                "security_key",
                "milestone",
                "review",
                "proof_grant",
                "statement_line",
                "consenting_grant",
                "funded_grant",
            )
        } | {"jury_call": self.jury_call.slug}


@pytest.fixture(scope="module")
def media_root(tmp_path_factory):
    return tmp_path_factory.mktemp("private_media")


@pytest.fixture
def _private_media(settings, media_root):
    """Replaces the autouse fixture of tests/conftest.py: the world's files live as long as
    the world, for the whole module."""
    settings.PRIVATE_MEDIA_ROOT = media_root


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker, media_root):
    """One world for the whole module (building it costs more than most checks): made inside
    a transaction that is rolled back at the end; each test runs in a savepoint within it,
    so what a test changes is undone after it."""
    from django.db import transaction
    from django.test import override_settings

    with django_db_blocker.unblock(), override_settings(PRIVATE_MEDIA_ROOT=media_root):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield World()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def world(db, shared_world):
    return shared_world


def check(response, expected, url, world):
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={url}"
    elif isinstance(expected, Redirect):
        assert response.status_code == 302
        assert response["Location"] == expected.url.format(**world.pks())
    elif isinstance(expected, RedirectMatching):
        assert response.status_code == 302
        assert re.fullmatch(f"/{expected.pattern}/", response["Location"])
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(("url_name", "obj", "role", "expected"), list(cases(GET_MATRIX)))
def test_get(client, world, url_name, obj, role, expected):
    url = world.url(url_name, obj)
    if world.users[role] is not None:
        sign_in(client, world.users[role])

    response = client.get(url)

    check(response, expected, url, world)


@pytest.mark.parametrize(("url_name", "obj", "role", "expected"), list(cases(POST_MATRIX)))
def test_post(client, world, url_name, obj, role, expected):
    url = world.url(url_name, obj)
    if world.users[role] is not None:
        sign_in(client, world.users[role])

    response = client.post(url, world.post_data(url_name, obj))

    check(response, expected, url, world)


def test_matrix_covers_every_page():
    names = {
        pattern.name
        for module in (
            accounts.urls,
            grants.urls,
            review.urls,
            reporting.urls,
            reporting.public_urls,
            ops.urls,
            privacy.urls,
        )
        for pattern in module.urlpatterns
        if isinstance(pattern, URLPattern)
    }

    assert names == {url_name for url_name, *_ in GET_MATRIX}


def test_a_refused_post_changes_nothing(client, world):
    sign_in(client, world.users["applicant"])

    client.post(
        reverse("application_submit", kwargs={"pk": world.draft.pk}),
        {"version": str(world.draft.version)},
    )
    client.post(reverse("attachment_remove", kwargs={"pk": world.draft_attachment.pk}))

    world.draft.refresh_from_db()
    world.draft_attachment.refresh_from_db()
    assert world.draft.state == ApplicationState.DRAFT
    assert world.draft_attachment.removed_at is None


def test_admin_cannot_remove_an_applicants_attachment(client, world):
    sign_in(client, world.users["admin"])

    client.post(reverse("attachment_remove", kwargs={"pk": world.draft_attachment.pk}))
    client.post(reverse("attachment_remove", kwargs={"pk": world.attachment.pk}))

    assert Attachment.objects.filter(removed_at__isnull=False).get() == world.removed_attachment


def test_the_download_serves_the_stored_file(client, world):
    sign_in(client, world.users["owner"])

    response = client.get(reverse("attachment_download", kwargs={"pk": world.attachment.pk}))

    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="work-plan.pdf"'


# Staff must pass the second factor for every page that shows them other people's data,
# including the application and attachment pages they reach through the applicant URLs.
@pytest.mark.parametrize(
    ("url_name", "obj"),
    [
        pytest.param("staff_dashboard", None, id="staff_dashboard"),
        pytest.param("staff_application_detail", "submitted", id="staff_application_detail"),
        pytest.param(
            "application_detail",
            "submitted",
            id="application_detail",
        ),
        pytest.param(
            "attachment_download",
            "attachment",
            id="attachment_download",
        ),
        pytest.param("account", None, id="account"),
    ],
)
def test_staff_without_second_factor_session_see_no_application(client, world, url_name, obj):
    client.force_login(world.users["staff"])  # password session, no second factor
    url = world.url(url_name, obj)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/account/security-required/?next=")


def test_the_ministry_pages_name_only_a_grantee_who_consented(client, world):
    """Both funded projects have a page for ministry viewers; only the one whose grantee
    agreed to publication names them (the other says it is not published)."""
    sign_in(client, world.users["ministry"])
    name = escape(world.users["owner"].full_name)

    consenting = client.get(reverse("ministry_project", kwargs={"pk": world.consenting_grant.pk}))
    refused = client.get(reverse("ministry_project", kwargs={"pk": world.funded_grant.pk}))

    assert consenting.status_code == refused.status_code == 200
    assert consenting.content.decode().count(name) == 1
    assert name not in refused.content.decode()
    assert "the grantee has not agreed to publication" in refused.content.decode()
    assert world.funded_grant.funding_reference in refused.content.decode()
