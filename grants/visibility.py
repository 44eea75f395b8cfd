"""Who sees which applications (the pattern: core/visibility.py).

The audiences, each a filter for lists and a test for one application:

- ``owner``: the applicant who wrote it, in every state;
- ``staff``: programme staff (and admins) see everything except drafts, which belong to
  the applicant until they submit;
- no audience for ministry viewers: they read funded projects only on the ministry's own
  pages (reporting.queries.funded_projects_for), which show a name only with the grantee's
  publication consent; never the shared application page or its attachments;
- ``team``: people named as team members, once the application has been submitted, and
  only with a verified e-mail address that matches (a typo must not expose a proposal);
- ``juror``: registered by the review app (review/audiences.py): assigned, not conflicted.

``grants.queries.applications_visible_to`` and the ``grants.view_application`` rule are
both built from ``APPLICATIONS``; tests/grants/test_visibility.py checks that they agree.

Withheld applications: other apps register reasons why a person must not see an application
in an official capacity, whatever their role (``withhold``; the review app registers a
juror's conflict of interest). They restrict the staff audience, so every staff page and
list built on it leaves them out (finance and the overdue lists included); the ministry's
pages, which have their own selector, exclude them with ``withheld_applications`` and
``is_withheld``. A person's own application (as owner or team member) is never withheld
from them.
"""

from functools import reduce
from operator import or_

from allauth.account.models import EmailAddress
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower

from accounts.roles import Role
from core.visibility import Audience, Restriction, Visibility
from grants.models import Application, TeamMember
from grants.states import ApplicationState

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


# The applications a person is behind: their own, and those whose team names one of their
# verified addresses, in any state. The review app makes this a conflict of interest that
# nobody can dismiss (review/audiences.py).


def own_or_team_rows(user, path: str = "pk") -> Q:
    """The applications at ``path`` (``pk`` for applications themselves, or a relation
    such as ``assignment__application``) that ``user`` owns or is a verified team member of."""
    prefix = "" if path == "pk" else f"{path}__"
    return Q(**{f"{prefix}owner_id": user.pk}) | Exists(
        _team_memberships(user).filter(application=OuterRef(path))
    )


def is_own_or_team(user, application) -> bool:
    """The same rule for one application (one query unless the user owns it)."""
    return (
        application.owner_id == user.pk
        or _team_memberships(user).filter(application_id=application.pk).exists()
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


# Withheld applications (see the module's docstring).

# The audiences a withheld application is hidden from: the official ones.
OFFICIAL_AUDIENCES = ("staff",)
_withheld: list[Restriction] = []


def withhold(restriction: Restriction) -> None:
    """Register a reason to withhold applications (in an ``AppConfig.ready``)."""
    if restriction not in _withheld:
        _withheld.append(restriction)
    APPLICATIONS.restrict(OFFICIAL_AUDIENCES, restriction)


def withheld_rows(user) -> Q | None:
    """The applications withheld from ``user``, as a filter; None if no reason concerns
    them (most people: then a list needs no extra condition)."""
    if user is None or not user.is_authenticated:
        return None
    parts = [r.rows(user) for r in _withheld if r.concerns(user)]
    return reduce(or_, parts) if parts else None


def withheld_applications(user):
    """The same as a subquery of primary keys (for ``application__in``), or None."""
    rows = withheld_rows(user)
    return None if rows is None else Application.objects.filter(rows).values("pk")


def is_withheld(user, application) -> bool:
    """The same rule for one loaded application."""
    return (
        user is not None
        and user.is_authenticated
        and any(
            restriction.concerns(user) and restriction.excludes(user, application)
            for restriction in _withheld
        )
    )
