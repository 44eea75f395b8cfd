"""Who sees what of the jury's work, written once for lists and for single objects
(the pattern: core/visibility.py).

Applications (registered on ``grants.visibility.APPLICATIONS`` when the review app is ready):

- ``juror``: a juror sees an application while assigned to it (a confirmed assignment
  that has not been released) and not conflicted (no declared conflict, no suggested one
  they have not dismissed, and never their own application or one whose team names a
  verified address of theirs: that hard conflict holds even before a row records it), from
  the start of its review on (``JURY_STATES``: never a withdrawn one). Both halves say so: ``assigned_rows`` for lists, ``is_assigned`` for one
  application. The audience is not *general*: it counts only where a page asks for it by
  name (``only="juror"``). Jurors therefore never reach the shared application page
  (/applications/<pk>/, with the team's names and e-mail addresses) nor attachment
  downloads; they read proposals on their own pages, blind where the jury is blind.
- ``CONFLICTED`` withholds applications (``grants.visibility.withhold``): someone who is
  also a juror and declared a conflict with an application (or has not dismissed a
  suggested one) does not see it on any staff or ministry page, list or export either (as
  its applicant or team member they still do).

Reviews (``REVIEWS``, with ``reviews_visible_to`` in review/queries.py and the
``review.view_review`` rule):

- ``author``: jurors see their own review while they see its application as jurors;
- ``fellow_juror``: in the discussion phase, the other submitted reviews of an application
  they see as jurors, once their own review of it is submitted;
- ``staff``: programme staff see submitted reviews of applications they see as staff;
  a draft review belongs to its juror until they submit it.

Applicants and ministry viewers never see reviews; applicants receive the feedback jurors
marked for them with the decision e-mail.
"""

from django.db.models import Exists, OuterRef, Q

from accounts.roles import Role
from core.visibility import Audience, Restriction, Visibility
from grants.models import Application
from grants.visibility import own_or_team_rows
from review.models import Assignment, ConflictOfInterest, Review
from review.states import BLOCKING_CONFLICTS, JURY_STATES, JuryPhase, ReviewState


def active_assignments(user):
    return Assignment.objects.filter(
        juror_id=user.pk, confirmed_at__isnull=False, released_at__isnull=True
    )


def blocking_conflicts(user):
    return ConflictOfInterest.objects.filter(juror_id=user.pk, status__in=BLOCKING_CONFLICTS)


def conflicted_rows(user, path: str = "pk") -> Q:
    """The applications at ``path`` the juror may not judge: a blocking conflict row, or
    the hard conflict (their own application, or a verified team member's)."""
    return Exists(blocking_conflicts(user).filter(application=OuterRef(path))) | own_or_team_rows(
        user, path
    )


def is_conflicted(user, application) -> bool:
    """The same rule for one application, in one query (none if the juror owns it)."""
    if application.owner_id == user.pk:
        return True
    return Application.objects.filter(conflicted_rows(user), pk=application.pk).exists()


# Applications.


def assigned_rows(user) -> Q:
    """Applications assigned to the juror and not conflicted, in a jury state."""
    return (
        Q(state__in=JURY_STATES)
        & Exists(active_assignments(user).filter(application=OuterRef("pk")))
        & ~conflicted_rows(user)
    )


def is_assigned(user, application) -> bool:
    """The same rule for one application."""
    return (
        application.state in JURY_STATES
        and active_assignments(user).filter(application_id=application.pk).exists()
        and not is_conflicted(user, application)
    )


JUROR = Audience(
    name="juror",
    concerns=lambda user: user.has_role(Role.JUROR),
    rows=assigned_rows,
    includes=is_assigned,
    general=False,
)

CONFLICTED = Restriction(
    name="conflict_of_interest",
    concerns=lambda user: user.has_role(Role.JUROR),
    rows=lambda user: Q(Exists(blocking_conflicts(user).filter(application=OuterRef("pk")))),
    excludes=lambda user, application: (
        blocking_conflicts(user).filter(application_id=application.pk).exists()
    ),
)


# Reviews.

REVIEWS = Visibility(Review)


def _sees_application_rows(user, path: str) -> Q:
    """The application at ``path`` (from a review) is visible to ``user`` as a juror."""
    return (
        Q(**{f"{path}__state__in": JURY_STATES})
        & Exists(active_assignments(user).filter(application=OuterRef(path)))
        & ~conflicted_rows(user, path)
    )


def _own_submitted_review(user):
    return Review.objects.filter(assignment__juror_id=user.pk, state=ReviewState.SUBMITTED)


def _discussing(review) -> bool:
    return review.assignment.application.call.jury.phase in (JuryPhase.DISCUSSION,)


for _audience in (
    Audience(
        name="author",
        concerns=lambda user: user.has_role(Role.JUROR),
        rows=lambda user: (
            Q(assignment__juror_id=user.pk)
            & _sees_application_rows(user, "assignment__application")
        ),
        includes=lambda user, review: (
            review.assignment.juror_id == user.pk
            and is_assigned(user, review.assignment.application)
        ),
    ),
    Audience(
        name="fellow_juror",
        concerns=lambda user: user.has_role(Role.JUROR),
        rows=lambda user: (
            ~Q(assignment__juror_id=user.pk)
            & Q(state=ReviewState.SUBMITTED)
            & Q(assignment__application__call__jury__phase=JuryPhase.DISCUSSION)
            & _sees_application_rows(user, "assignment__application")
            & Exists(
                _own_submitted_review(user).filter(
                    assignment__application=OuterRef("assignment__application")
                )
            )
        ),
        includes=lambda user, review: (
            review.assignment.juror_id != user.pk
            and review.state == ReviewState.SUBMITTED
            and _discussing(review)
            and is_assigned(user, review.assignment.application)
            and _own_submitted_review(user)
            .filter(assignment__application_id=review.assignment.application_id)
            .exists()
        ),
    ),
    Audience(
        name="staff",
        concerns=lambda user: user.has_role(Role.STAFF),
        rows=lambda user: (
            Q(state=ReviewState.SUBMITTED)
            & Q(assignment__application__in=_staff_applications(user))
        ),
        includes=lambda user, review: (
            review.state == ReviewState.SUBMITTED
            and _staff_sees(user, review.assignment.application)
        ),
    ),
):
    REVIEWS.register(_audience)


def _staff_applications(user):
    from grants.visibility import APPLICATIONS

    return APPLICATIONS.visible_to(user, only="staff").values("pk")


def _staff_sees(user, application) -> bool:
    from grants.visibility import APPLICATIONS

    return APPLICATIONS.sees(user, application, only="staff")


# Discussions: an application's comments and its rapporteur's summary (review.models
# DiscussionComment, DiscussionSummary), decided per application.
#
# - ``panellist``: a juror of the application's panel (they see it as a juror: assigned, no
#   conflict) who has submitted their own review of it, while the jury is in discussion;
# - ``staff``: programme staff who see the application as staff (a conflict withholds it),
#   from the start of its review on, also after the jury closed.
#
# Applicants, team members and ministry viewers never read a discussion.

DISCUSSIONS = Visibility(Application)


def _panellist_rows(user) -> Q:
    return (
        assigned_rows(user)
        & Q(call__jury__phase=JuryPhase.DISCUSSION)
        & Exists(_own_submitted_review(user).filter(assignment__application=OuterRef("pk")))
    )


def _is_panellist(user, application) -> bool:
    """Remembered on the loaded application for the user: a page asks the read, comment
    and summary rules of one application in turn, and each would ask the same three
    queries again."""
    known = application.__dict__.setdefault("_panellist_of", {})
    if user.pk not in known:
        known[user.pk] = (
            application.call.jury.phase == JuryPhase.DISCUSSION
            and is_assigned(user, application)
            and _own_submitted_review(user)
            .filter(assignment__application_id=application.pk)
            .exists()
        )
    return known[user.pk]


for _audience in (
    Audience(
        name="panellist",
        concerns=lambda user: user.has_role(Role.JUROR),
        rows=_panellist_rows,
        includes=_is_panellist,
    ),
    Audience(
        name="staff",
        concerns=lambda user: user.has_role(Role.STAFF),
        rows=lambda user: Q(state__in=JURY_STATES) & Q(pk__in=_staff_applications(user)),
        includes=lambda user, application: (
            application.state in JURY_STATES and _staff_sees(user, application)
        ),
    ),
):
    DISCUSSIONS.register(_audience)
