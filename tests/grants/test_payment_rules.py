"""Who may manage a grant's payments (grants.manage_payments) and confirm the account they
go to (grants.confirm_bank_details): programme staff who see the grant as staff, so never a
staff member with a conflict of interest on its application."""

import pytest

from accounts.roles import Role
from tests.factories import make_grant, make_user
from tests.review.helpers import conflict

pytestmark = pytest.mark.django_db

PERMISSION = "grants.manage_payments"
CONFIRM = "grants.confirm_bank_details"


def test_programme_staff_manage_the_payments_of_a_grant():
    grant = make_grant()

    assert make_user(Role.STAFF).has_perm(PERMISSION, grant) is True


def test_a_staff_member_with_a_conflict_on_the_application_does_not():
    grant, other = make_grant(), make_grant()
    staff_juror = make_user(Role.STAFF, Role.JUROR)
    conflict(staff_juror, grant.application)

    assert staff_juror.has_perm(PERMISSION, grant) is False
    assert staff_juror.has_perm(PERMISSION, other) is True


@pytest.mark.parametrize("role", [Role.MINISTRY, Role.JUROR, Role.APPLICANT])
def test_no_other_role_does(role):
    grant = make_grant()

    assert make_user(role).has_perm(PERMISSION, grant) is False
    assert grant.application.owner.has_perm(PERMISSION, grant) is False


def test_programme_staff_confirm_the_account_unless_conflicted():
    grant, other = make_grant(), make_grant()
    staff, staff_juror = make_user(Role.STAFF), make_user(Role.STAFF, Role.JUROR)
    conflict(staff_juror, grant.application)

    assert staff.has_perm(CONFIRM, grant) is True
    assert staff_juror.has_perm(CONFIRM, grant) is False
    assert staff_juror.has_perm(CONFIRM, other) is True


@pytest.mark.parametrize("role", [Role.MINISTRY, Role.JUROR, Role.APPLICANT])
def test_no_other_role_confirms_the_account(role):
    grant = make_grant()

    assert make_user(role).has_perm(CONFIRM, grant) is False
    assert grant.application.owner.has_perm(CONFIRM, grant) is False
