"""Role predicates shared by every app's rules."""

import rules

from accounts.roles import Role


@rules.predicate
def is_applicant(user):
    return user.is_authenticated and user.has_role(Role.APPLICANT)


@rules.predicate
def is_juror(user):
    return user.is_authenticated and user.has_role(Role.JUROR)


@rules.predicate
def is_programme_staff(user):
    return user.is_authenticated and user.has_role(Role.STAFF)


@rules.predicate
def is_ministry(user):
    return user.is_authenticated and user.has_role(Role.MINISTRY)


@rules.predicate
def is_admin(user):
    return user.is_authenticated and user.is_active and user.is_superuser


rules.add_perm("accounts.use_applicant_area", is_applicant)
rules.add_perm("accounts.use_jury_area", is_juror)
rules.add_perm("accounts.use_staff_area", is_programme_staff)
rules.add_perm("accounts.use_ministry_area", is_ministry)
