"""Object permissions of the review app. Deny by default.

Seeing applications and reviews is decided by the audiences in review/audiences.py (one
rule for lists and objects); these rules say who may do what.
"""

import rules
from django.db.models import Count, Q

from accounts.roles import Role
from accounts.rules import is_juror, is_programme_staff
from grants.states import ApplicationState
from grants.visibility import APPLICATIONS
from review.audiences import DISCUSSIONS, REVIEWS, is_conflicted
from review.models import Assignment
from review.states import JURY_STATES, PhaseAllows, ReviewState

# Reviews are written while the application is being reviewed, before any decision.
REVIEWABLE_STATES = (ApplicationState.IN_REVIEW, ApplicationState.REVIEWED)


# Plain functions where nothing combines them: add_perm (and grants' registry of review
# completion) takes them as they are.


def is_author_while_scoring(user, review):
    """The juror who wrote the review, while they see its application as a juror (their
    assignment is active and they have no conflict with it), the application awaits its
    decision and the jury's phase lets jurors score. One query: the conflict (its row, or
    the juror's own or team's application)."""
    if review is None or not user.is_authenticated or not user.has_role(Role.JUROR):
        return False
    assignment = review.assignment
    application = assignment.application
    return (
        assignment.juror_id == user.pk
        and assignment.is_active
        and application.state in REVIEWABLE_STATES
        and application.call.jury.phase in PhaseAllows.SCORING
        and not is_conflicted(user, application)
    )


def completes_the_reviews(user, application):
    """The application's last review is in: the user is one of its jurors and every one of
    its at least k active assignments has a submitted review. One query."""
    if application is None or not user.is_authenticated:
        return False
    counts = Assignment.objects.filter(
        application_id=application.pk, confirmed_at__isnull=False, released_at__isnull=True
    ).aggregate(
        total=Count("pk"),
        submitted=Count("pk", filter=Q(review__state=ReviewState.SUBMITTED)),
        mine=Count("pk", filter=Q(juror_id=user.pk)),
    )
    return (
        counts["mine"] == 1
        and counts["submitted"] == counts["total"] >= application.call.reviews_per_application
    )


@rules.predicate
def is_being_discussed(user, application):
    """The application's jury is in its discussion phase (comments and summaries are
    written then; staff read them afterwards too). A call without a jury (a concept
    decided by staff alone) has no discussion."""
    return application is not None and _jury_phase(application) in PhaseAllows.DISCUSSING


def _jury_phase(application):
    """The phase of the application's jury, or None for a call without one."""
    jury = getattr(application.call, "jury", None)  # the reverse one-to-one may be missing
    return jury.phase if jury is not None else None


@rules.predicate
def may_get_a_rapporteur(user, application):
    return (
        application is not None
        and application.state in JURY_STATES
        and _jury_phase(application) in PhaseAllows.NAMING_RAPPORTEURS
    )


@rules.predicate
def is_its_rapporteur(user, application):
    summary = getattr(application, "discussion_summary", None) if application else None
    return summary is not None and summary.rapporteur_id == user.pk


@rules.predicate
def wrote_the_comment(user, comment):
    return comment is not None and comment.author_id == user.pk and comment.withdrawn_at is None


reads_discussion = DISCUSSIONS.predicate()
reads_discussion_as_staff = DISCUSSIONS.predicate(only="staff")
reads_discussion_as_panellist = DISCUSSIONS.predicate(only="panellist")


@rules.predicate
def may_comment_on(user, comment):
    """The comment's application is one the user may comment on now."""
    return comment is not None and (is_being_discussed & reads_discussion)(
        user, comment.application
    )


rules.add_perm("review.view_application_as_juror", APPLICATIONS.predicate(only="juror"))
rules.add_perm("review.view_review", REVIEWS.predicate())
rules.add_perm("review.write_review", is_author_while_scoring)
rules.add_perm("review.declare_conflicts", is_juror)
rules.add_perm("review.manage_jury", is_programme_staff)
rules.add_perm("review.draw_funding_line", is_programme_staff)
rules.add_perm("review.view_own_review", REVIEWS.predicate(only="author"))
# The discussion of an application (its list twin: review.discussion_queries.discussions_visible_to).
rules.add_perm("review.view_discussion", reads_discussion)
rules.add_perm("review.comment_in_discussion", is_being_discussed & reads_discussion)
rules.add_perm("review.withdraw_discussion_comment", wrote_the_comment & may_comment_on)
rules.add_perm(
    "review.name_rapporteur", is_programme_staff & may_get_a_rapporteur & reads_discussion_as_staff
)
rules.add_perm(
    "review.write_discussion_summary",
    is_being_discussed
    & (reads_discussion_as_staff | (is_its_rapporteur & reads_discussion_as_panellist)),
)
