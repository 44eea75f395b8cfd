"""Who sees which applications (the pattern: core/visibility.py).

The audiences, each a filter for lists and a test for one application:

- ``owner``: the applicant who wrote it, in every state;
- ``staff``: programme staff (and admins) see everything except drafts, which belong to
  the applicant until they submit;
- ``ministry``: ministry viewers see funded projects, from the signed grant agreement on
  (funded, final report due, completed, terminated). An approved application is not funded
  yet and may never be: it stays with the unfunded proposals, which they never see;
- ``team``: people named as team members, once the application has been submitted, and
  only with a verified e-mail address that matches (a typo must not expose a proposal);
- ``juror``: registered by the review app (review/audiences.py): assigned, not conflicted.

``grants.queries.applications_visible_to`` and the ``grants.view_application`` rule are
both built from ``APPLICATIONS``; tests/grants/test_visibility.py checks that they agree.
"""

from allauth.account.models import EmailAddress
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower

from accounts.roles import Role
from core.visibility import Audience, Visibility
from grants.models import Application, TeamMember
from grants.states import ApplicationState, ApplicationStateGroup

APPLICATIONS = Visibility(Application)


def _verified_addresses(user):
    """The user's verified e-mail addresses, in lower case, as a subquery."""
    return (
        EmailAddress.objects.filter(user_id=user.pk, verified=True)
        .annotate(address=Lower("email"))
        .values("address")
    )


def _team_memberships(user):
    return TeamMember.objects.annotate(address=Lower("email")).filter(
        address__in=_verified_addresses(user)
    )


# Registered cheapest test first: ``sees`` stops at the first yes.
for _audience in (
    Audience(
        name="owner",
        concerns=lambda user: True,
        rows=lambda user: Q(owner=user),
        includes=lambda user, application: application.owner_id == user.pk,
    ),
    Audience(
        name="staff",
        concerns=lambda user: user.has_role(Role.STAFF),
        rows=lambda user: ~Q(state=ApplicationState.DRAFT),
        includes=lambda user, application: application.state != ApplicationState.DRAFT,
    ),
    Audience(
        name="ministry",
        concerns=lambda user: user.has_role(Role.MINISTRY),
        rows=lambda user: Q(state__in=ApplicationStateGroup.FUNDED_ONWARDS),
        includes=lambda user, application: (
            application.state in ApplicationStateGroup.FUNDED_ONWARDS
        ),
    ),
    Audience(
        name="team",
        concerns=lambda user: True,
        rows=lambda user: (
            ~Q(state=ApplicationState.DRAFT)
            & Exists(_team_memberships(user).filter(application=OuterRef("pk")))
        ),
        includes=lambda user, application: (
            application.state != ApplicationState.DRAFT
            and _team_memberships(user).filter(application_id=application.pk).exists()
        ),
    ),
):
    APPLICATIONS.register(_audience)
