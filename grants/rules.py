"""Object permissions of the grants app. Deny by default.

Seeing an application is decided by the audiences in grants/visibility.py, which also build
the list selector ``grants.queries.applications_visible_to``: one rule for lists and objects.
"""

import rules
from django.conf import settings

from accounts.rules import is_admin, is_applicant, is_ministry, is_programme_staff
from grants.states import (
    ApplicationState,
    ApplicationStateGroup,
    BankCheckState,
    FinalReportState,
)
from grants.visibility import APPLICATIONS


@rules.predicate
def is_owner(user, application):
    return application is not None and user.is_authenticated and application.owner_id == user.pk


@rules.predicate
def is_draft(user, application):
    return application is not None and application.state == ApplicationState.DRAFT


@rules.predicate
def is_submitted(user, application):
    """Past the draft. Not ``~is_draft``: that would be true without an application."""
    return application is not None and application.state != ApplicationState.DRAFT


@rules.predicate
def is_withdrawable(user, application):
    return application is not None and application.state in ApplicationStateGroup.WITHDRAWABLE


@rules.predicate
def has_open_information_request(user, application):
    return (
        application is not None
        and application.information_requests.filter(answered_at__isnull=True).exists()
    )


# Seeing an application: any of the user's audiences includes it; on the staff pages, the
# staff audience (the user is programme staff and it is no draft).
can_view_application = APPLICATIONS.predicate()
sees_as_staff = APPLICATIONS.predicate(only="staff")

rules.add_perm("grants.view_application", can_view_application)
rules.add_perm("grants.start_application", is_applicant)
rules.add_perm("grants.edit_application", is_owner & is_draft)
rules.add_perm("grants.submit_application", is_owner & is_draft)
rules.add_perm("grants.withdraw_application", is_owner & is_withdrawable)


@rules.predicate
def is_invited_concept(user, application):
    return application is not None and application.state == ApplicationState.INVITED


# The team owner of an invited concept starts (or opens) its full proposal.
rules.add_perm("grants.start_full_proposal", is_owner & is_invited_concept)
rules.add_perm("grants.answer_information_request", is_owner & has_open_information_request)

# Staff work. The staff pages show an application through the staff audience only, so a
# staff member's own draft stays out of them too.
rules.add_perm("grants.manage_calls", is_programme_staff)
rules.add_perm("grants.change_locked_call_rules", is_admin)
rules.add_perm("grants.list_applications", is_programme_staff)
rules.add_perm("grants.view_application_as_staff", sees_as_staff)
rules.add_perm("grants.screen_application", sees_as_staff)
rules.add_perm("grants.request_information", sees_as_staff)
rules.add_perm("grants.comment_internally", sees_as_staff)
rules.add_perm("grants.manage_review", sees_as_staff)
rules.add_perm("grants.decide_application", sees_as_staff)
rules.add_perm("grants.manage_grant", sees_as_staff)

# Conversations: an application's thread, from its submission on, for whoever sees the
# application on the shared pages (its team and programme staff; grants/visibility.py).
# Which side someone writes on is grants.conversations.queries.conversation_side.
rules.add_perm("grants.view_conversation", can_view_application & is_submitted)
rules.add_perm("grants.send_announcement", is_programme_staff)


# Attachments inherit the permissions of their application; evidence for a report that has
# not been submitted yet belongs to the grantee who uploaded it until they submit it.
@rules.predicate
def can_read_attachment_application(user, attachment):
    return attachment is not None and can_view_application.test(user, attachment.application)


@rules.predicate
def is_unsubmitted_evidence(user, attachment):
    return attachment is not None and is_unsubmitted_report_file(attachment)


def is_unsubmitted_report_file(attachment) -> bool:
    """A file of a report draft (a milestone report or a final report's proof of use not
    handed in yet)."""
    report = attachment.milestone_report if attachment.milestone_report_id else None
    if attachment.proof_of_use_id:  # a receipt of a proof of use not handed in yet
        return attachment.proof_of_use.final_report.state in (
            FinalReportState.DRAFT,
            FinalReportState.CHANGES_REQUESTED,
        )
    return report is not None and report.submitted_at is None


@rules.predicate
def uploaded_attachment(user, attachment):
    return attachment is not None and user.is_authenticated and attachment.uploaded_by_id == user.pk


@rules.predicate
def can_edit_attachment_application(user, attachment):
    return attachment is not None and rules.has_perm(
        "grants.edit_application", user, attachment.application
    )


rules.add_perm(
    "grants.view_attachment",
    can_read_attachment_application & (~is_unsubmitted_evidence | uploaded_attachment),
)
rules.add_perm("grants.remove_attachment", can_edit_attachment_application)


# ---------------------------------------------------------------------------------------
# Funded projects (grants/contracts/models/agreements.py). The objects are a grant, a milestone, a
# change request or a final report; each rule asks about the application behind it, so
# that "who sees it" stays written once (grants/visibility.py).

REPORTING_STATES = ApplicationStateGroup.RUNNING


def application_behind(obj):
    """The application of a grant, milestone, change request, final report or report."""
    kind = obj._meta.model_name
    if kind == "application":
        return obj
    if kind == "grant":
        return obj.application
    if kind == "milestonereport":
        return obj.milestone.grant.application
    return obj.grant.application


@rules.predicate
def owns_grant(user, obj):
    return obj is not None and is_owner.test(user, application_behind(obj))


@rules.predicate
def sees_grant_as_staff(user, obj):
    return obj is not None and sees_as_staff.test(user, application_behind(obj))


@rules.predicate
def is_reporting(user, obj):
    return obj is not None and application_behind(obj).state in REPORTING_STATES


@rules.predicate
def is_funded(user, obj):
    return obj is not None and application_behind(obj).state == ApplicationState.FUNDED


@rules.predicate
def agreement_is_offered(user, application):
    grant = getattr(application, "grant", None) if application is not None else None
    return (
        application.state == ApplicationState.APPROVED
        and grant is not None
        and grant.offered_at is not None
    )


@rules.predicate
def final_report_is_editable(user, final_report):
    return final_report is not None and final_report.state in (
        FinalReportState.DRAFT,
        FinalReportState.CHANGES_REQUESTED,
    )


@rules.predicate
def is_system(user):
    """Server code acting on its own (the daily command), never a request: views always
    pass ``request.user``, which is at least an AnonymousUser."""
    return user is None


rules.add_perm("grants.view_grant_as_staff", sees_grant_as_staff)
rules.add_perm("grants.prepare_agreement", sees_grant_as_staff)
rules.add_perm("grants.accept_agreement", is_owner & agreement_is_offered)
rules.add_perm("grants.decline_award", is_owner & agreement_is_offered)
rules.add_perm("grants.report_milestone", owns_grant & is_reporting)
rules.add_perm("grants.review_milestone", sees_grant_as_staff)
rules.add_perm("grants.manage_grant_milestones", sees_grant_as_staff)
rules.add_perm("grants.manage_payments", is_programme_staff & sees_grant_as_staff)
rules.add_perm("grants.use_finance", is_programme_staff)


# Money leaves the fund only with four eyes (settings.PAYMENTS_FOUR_EYES): whoever released a
# payment (accepted the milestone report) neither puts it into a transfer file nor marks it
# paid, and whoever confirmed the grantee's account does not export its payments; and no
# payment leaves while its grant's account waits for confirmation. ``export_blocker`` says it
# once: this rule asks it for one payment, grants.contracts.queries.payments_to_transfer (the
# list twin) and the export service for many, from values they read in one query each.


def four_eyes() -> bool:
    return settings.PAYMENTS_FOUR_EYES


HOLD, RELEASED_BY_YOU, CONFIRMED_BY_YOU = "hold", "released", "confirmed"


def export_blocker(user, *, on_hold: bool, released_by_id, confirmed_by_id) -> str:
    """Why ``user`` may not put a released payment into a transfer file ("" if they may):
    its grant is on hold, or with four eyes they released it or confirmed its account
    (the account as it stands: ``confirmed_by_id`` of its latest confirmation)."""
    if on_hold:
        return HOLD
    if four_eyes() and released_by_id == user.pk:
        return RELEASED_BY_YOU
    if four_eyes() and confirmed_by_id == user.pk:
        return CONFIRMED_BY_YOU
    return ""


@rules.predicate
def may_export_payment(user, payment):
    grant = payment.grant
    checks = grant.bank_checks
    return not export_blocker(
        user,
        on_hold=not grant.has_bank_details or checks.filter(state=BankCheckState.PENDING).exists(),
        released_by_id=payment.created_by_id,
        confirmed_by_id=checks.filter(state=BankCheckState.CONFIRMED)
        .order_by("-confirmed_at", "-pk")
        .values_list("confirmed_by_id", flat=True)
        .first(),
    )


@rules.predicate
def released_any_of_batch(user, batch):
    return four_eyes() and batch.items.filter(payment__created_by=user).exists()


rules.add_perm(
    "grants.export_payment", is_programme_staff & sees_grant_as_staff & may_export_payment
)


@rules.predicate
def sees_every_grant_of_batch(user, batch):
    """A transfer file names its grants: staff from whom one of them is withheld (a juror's
    conflict of interest, grants.visibility) do not see it. The list twin is
    grants.contracts.queries.sepa_batches."""
    visible = APPLICATIONS.visible_to(user, "staff")
    return not batch.items.exclude(payment__grant__application__in=visible).exists()


staff_of_batch = is_programme_staff & sees_every_grant_of_batch
rules.add_perm("grants.mark_batch_paid", staff_of_batch & ~released_any_of_batch)
rules.add_perm("grants.cancel_batch", staff_of_batch)
rules.add_perm("grants.view_batch", staff_of_batch)
rules.add_perm("grants.download_batch", staff_of_batch)
rules.add_perm("grants.confirm_bank_details", is_programme_staff & sees_grant_as_staff)
rules.add_perm("grants.request_change", owns_grant & is_funded)
rules.add_perm("grants.decide_change_request", sees_grant_as_staff)
rules.add_perm("grants.write_final_report", owns_grant & is_reporting & final_report_is_editable)
rules.add_perm("grants.review_final_report", sees_grant_as_staff)
rules.add_perm("grants.request_final_report", sees_as_staff | is_system)
rules.add_perm("grants.edit_bank_details", owns_grant)
# The inbox's "take over / release" (grants.inbox.services): the application behind the
# object (a milestone, a change request, a grant) is seen as staff.
rules.add_perm("grants.take_over_work", sees_grant_as_staff)


@rules.predicate
def publication_agreed(user, grant):
    return grant is not None and grant.publication_consent


rules.add_perm("grants.withdraw_publication_consent", owns_grant & publication_agreed)


@rules.predicate
def grant_is_offered(user, obj):
    if obj is None:
        return False
    grant = obj if obj._meta.model_name == "grant" else getattr(obj, "grant", None)
    return grant is not None and grant.offered_at is not None


rules.add_perm("grants.view_own_grant", owns_grant & grant_is_offered)


# Documents of a grant's file: the agreement's PDFs (grantee and staff; nobody else),
# the fund's agreement conditions, the proof of use and the drawdown requests.
@rules.predicate
def final_report_is_submitted(user, obj):
    """A statement line's final report is handed in (its lines are checked only then)."""
    if obj is None or obj._meta.model_name != "statementline":
        return False  # the proof's check is asked of its lines only: deny anything else
    return obj.proof.final_report.state == FinalReportState.SUBMITTED


def _grant_of(obj):
    if obj._meta.model_name == "statementline":
        return obj.proof.final_report.grant
    if obj._meta.model_name == "proofofuse":
        return obj.final_report.grant
    return obj if obj._meta.model_name == "grant" else obj.grant


@rules.predicate
def owns_document_grant(user, obj):
    return obj is not None and owns_grant.test(user, _grant_of(obj))


@rules.predicate
def sees_document_grant_as_staff(user, obj):
    return obj is not None and sees_grant_as_staff.test(user, _grant_of(obj))


rules.add_perm(
    "grants.download_agreement",
    (owns_document_grant & grant_is_offered) | sees_document_grant_as_staff,
)
rules.add_perm("grants.edit_agreement_terms", is_programme_staff | is_admin)
rules.add_perm(
    "grants.check_proof_of_use", sees_document_grant_as_staff & final_report_is_submitted
)
rules.add_perm("grants.answer_proof_query", owns_document_grant & final_report_is_submitted)
rules.add_perm("grants.view_proof_of_use_as_staff", sees_document_grant_as_staff)
rules.add_perm("grants.download_proof_of_use", owns_document_grant | sees_document_grant_as_staff)
rules.add_perm("grants.make_drawdown", is_programme_staff)
rules.add_perm("grants.view_drawdowns", is_programme_staff | is_ministry)


# Completing the reviews of an application (in review → reviewed) is the review app's rule:
# it hands its predicate over in its AppConfig.ready (review/apps.py), so that grants names
# no rule of another app and imports nothing from it.
_REVIEW_COMPLETION: list = []


def register_review_completion(predicate) -> None:
    if predicate not in _REVIEW_COMPLETION:
        _REVIEW_COMPLETION.append(predicate)


@rules.predicate
def completes_the_reviews(user, application):
    return any(predicate(user, application) for predicate in _REVIEW_COMPLETION)


rules.add_perm("grants.complete_reviews", completes_the_reviews)
