"""Object permissions of the grants app. Deny by default."""

import rules

from accounts.rules import is_admin, is_applicant, is_programme_staff
from grants.states import ApplicationState, ApplicationStateGroup


@rules.predicate
def is_owner(user, application):
    return application is not None and user.is_authenticated and application.owner_id == user.pk


@rules.predicate
def is_team_member(user, application):
    if application is None or not user.is_authenticated:
        return False
    return application.team_members.filter(email__iexact=user.email).exists()


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


# Staff never see drafts: a draft is the applicant's own until it is submitted.
can_read_application = is_owner | is_team_member | (is_programme_staff & is_submitted)

rules.add_perm("grants.view_application", can_read_application)
rules.add_perm("grants.start_application", is_applicant)
rules.add_perm("grants.edit_application", is_owner & is_draft)
rules.add_perm("grants.submit_application", is_owner & is_draft)
rules.add_perm("grants.withdraw_application", is_owner & is_withdrawable)
rules.add_perm("grants.answer_information_request", is_owner & has_open_information_request)

# Staff work.
rules.add_perm("grants.manage_calls", is_programme_staff)
rules.add_perm("grants.change_locked_call_rules", is_admin)
rules.add_perm("grants.list_applications", is_programme_staff)
rules.add_perm("grants.screen_application", is_programme_staff)
rules.add_perm("grants.request_information", is_programme_staff)
rules.add_perm("grants.comment_internally", is_programme_staff)
rules.add_perm("grants.manage_review", is_programme_staff)
rules.add_perm("grants.decide_application", is_programme_staff)
rules.add_perm("grants.manage_grant", is_programme_staff)


# Attachments inherit the permissions of their application.
@rules.predicate
def can_read_attachment_application(user, attachment):
    return attachment is not None and can_read_application.test(user, attachment.application)


@rules.predicate
def can_edit_attachment_application(user, attachment):
    return attachment is not None and rules.has_perm(
        "grants.edit_application", user, attachment.application
    )


rules.add_perm("grants.view_attachment", can_read_attachment_application)
rules.add_perm("grants.remove_attachment", can_edit_attachment_application)
