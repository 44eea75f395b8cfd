"""Who sees which applications, written once for lists and single objects.

Every audience states its rule twice, side by side: as a filter for lists (``rows``) and as a
test of one loaded application (``includes``). ``grants.queries.applications_visible_to``
ORs the filters of the audiences a user belongs to; the ``grants.view_application`` rule
(grants.rules) asks the same audiences about one object. tests/grants/test_visibility.py
checks, for every role and every state, that both give the same answer.

The audiences:

- ``owner``: the applicant who wrote it, in every state;
- ``staff``: programme staff (and admins) see everything except drafts, which belong to
  the applicant until they submit;
- ``ministry``: ministry viewers see funded projects, from the signed grant agreement on
  (funded, final report due, completed, terminated), never unfunded proposals;
- ``team``: people named as team members, once the application has been submitted, and
  only with a verified e-mail address that matches (a typo must not expose a proposal);
- ``juror``: registered by the review app (review/audiences.py): assigned and not conflicted.

Another app adds an audience with ``register(Audience(...))`` in its ``AppConfig.ready``.
"""

from collections.abc import Callable
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower

from accounts.roles import Role
from grants.models import Application, TeamMember
from grants.states import ApplicationState, ApplicationStateGroup


@dataclass(frozen=True)
class Audience:
    """One reason why a user may see an application."""

    name: str
    # Does this audience concern the user at all? A role check without further queries.
    concerns: Callable[[object], bool]
    # The applications it lets the user see, as a filter on Application.
    rows: Callable[[object], Q]
    # The same rule for one loaded application.
    includes: Callable[[object, Application], bool]


_audiences: dict[str, Audience] = {}


def register(audience: Audience) -> None:
    if audience.name in _audiences and _audiences[audience.name] is not audience:
        raise ImproperlyConfigured(f"An audience named {audience.name} is registered already.")
    _audiences[audience.name] = audience


def unregister(name: str) -> None:
    del _audiences[name]


def registered() -> tuple[str, ...]:
    return tuple(_audiences)


def audiences_of(user, only: str | None = None) -> list[Audience]:
    """The audiences ``user`` belongs to (only the one named ``only``, if given)."""
    if user is None or not user.is_authenticated:
        return []
    if only is not None and only not in _audiences:
        raise ImproperlyConfigured(f"There is no audience named {only}.")
    return [
        audience
        for name, audience in _audiences.items()
        if (only is None or name == only) and audience.concerns(user)
    ]


def visible_rows(user, only: str | None = None) -> Q | None:
    """The filter of everything ``user`` may see (as ``only``), or None for nothing."""
    parts = [audience.rows(user) for audience in audiences_of(user, only)]
    if not parts:
        return None
    rows = parts[0]
    for part in parts[1:]:
        rows |= part
    return rows


def sees(user, application, only: str | None = None) -> bool:
    """Whether ``user`` may see ``application`` (as ``only``)."""
    if application is None:
        return False
    return any(audience.includes(user, application) for audience in audiences_of(user, only))


# The grants app's audiences, cheapest test first (``sees`` stops at the first yes).

OWNER = Audience(
    name="owner",
    concerns=lambda user: True,
    rows=lambda user: Q(owner=user),
    includes=lambda user, application: application.owner_id == user.pk,
)

STAFF = Audience(
    name="staff",
    concerns=lambda user: user.has_role(Role.STAFF),
    rows=lambda user: ~Q(state=ApplicationState.DRAFT),
    includes=lambda user, application: application.state != ApplicationState.DRAFT,
)

MINISTRY = Audience(
    name="ministry",
    concerns=lambda user: user.has_role(Role.MINISTRY),
    rows=lambda user: Q(state__in=ApplicationStateGroup.FUNDED_ONWARDS),
    includes=lambda user, application: application.state in ApplicationStateGroup.FUNDED_ONWARDS,
)


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


TEAM = Audience(
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
)

for _audience in (OWNER, STAFF, MINISTRY, TEAM):
    register(_audience)
