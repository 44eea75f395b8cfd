"""How jurors see applications: the juror audience of grants/visibility.py, registered when
the review app is ready (review/apps.py).

A juror sees an application only while assigned to it and not conflicted. Both halves state
that rule: ``assigned_rows`` for lists (``applications_visible_to``) and ``is_assigned`` for
one object (the ``grants.view_application`` rule); tests/grants/test_visibility.py checks
that they agree for every role and state. Assignments and conflicts of interest arrive with
the jury (issue 7): until then both say "none", so no juror sees any application.

Mind that the juror audience then counts for the general rule ``grants.view_application``
too, which opens the shared application page (/applications/<pk>/, with team names and
e-mails) and attachment downloads. For blind review, give jurors their own pages and ask
for ``only="juror"`` there, and keep the shared pages to the other audiences.
"""

from django.db.models import Q

from accounts.roles import Role
from accounts.visibility import Audience


def assigned_rows(user) -> Q:
    """Applications assigned to the juror and not declared conflicted: none yet (no
    assignments exist). With the jury: Exists(assignment) & ~Exists(conflict of interest)."""
    return Q(pk__in=[])


def is_assigned(user, application) -> bool:
    """The same rule for one application: none yet."""
    return False


JUROR = Audience(
    name="juror",
    concerns=lambda user: user.has_role(Role.JUROR),
    rows=assigned_rows,
    includes=is_assigned,
)
