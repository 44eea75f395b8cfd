"""Object permissions of the grants app. Deny by default.

Seeing an application is decided by the audiences in grants/visibility.py, which also build
the list selector ``grants.queries.applications_visible_to``: one rule for lists and objects.
"""

import rules

from accounts.rules import is_admin, is_applicant, is_programme_staff
from grants.states import ApplicationState, ApplicationStateGroup
from grants.visibility import APPLICATIONS


@rules.predicate
def is_owner(user, application):
    return application is not None and user.is_authenticated and application.owner_id == user.pk


@rules.predicate
def is_draft(user, application):
    return application is not None and application.state == ApplicationState.DRAFT


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


# Attachments inherit the permissions of their application.
@rules.predicate
def can_read_attachment_application(user, attachment):
    return attachment is not None and can_view_application.test(user, attachment.application)


@rules.predicate
def can_edit_attachment_application(user, attachment):
    return attachment is not None and rules.has_perm(
        "grants.edit_application", user, attachment.application
    )


rules.add_perm("grants.view_attachment", can_read_attachment_application)
rules.add_perm("grants.remove_attachment", can_edit_attachment_application)
