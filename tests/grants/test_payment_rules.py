"""Who may manage a grant's payments (grants.manage_payments) and confirm the account they
go to (grants.confirm_bank_details): programme staff who see the grant as staff, so never a
staff member with a conflict of interest on its application."""

import pytest

from accounts.roles import Role
from tests.factories import make_grant, make_user
from tests.review.helpers import conflict

pytestmark = pytest.mark.django_db

PERMISSIONS = ["grants.manage_payments", "grants.confirm_bank_details"]


@pytest.mark.parametrize("permission", PERMISSIONS)
def test_programme_staff_may(permission):
    grant = make_grant()

    assert make_user(Role.STAFF).has_perm(permission, grant) is True


@pytest.mark.parametrize("permission", PERMISSIONS)
def test_a_staff_member_with_a_conflict_on_the_application_may_not(permission):
    grant, other = make_grant(), make_grant()
    staff_juror = make_user(Role.STAFF, Role.JUROR)
    conflict(staff_juror, grant.application)

    assert staff_juror.has_perm(permission, grant) is False
    assert staff_juror.has_perm(permission, other) is True


@pytest.mark.parametrize("permission", PERMISSIONS)
@pytest.mark.parametrize("role", [Role.MINISTRY, Role.JUROR, Role.APPLICANT])
def test_no_other_role_may(permission, role):
    grant = make_grant()

    assert make_user(role).has_perm(permission, grant) is False
    assert grant.application.owner.has_perm(permission, grant) is False
