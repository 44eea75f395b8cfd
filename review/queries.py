"""Read-side querysets of the review app, each a fixed number of queries."""

import datetime as dt

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce

from grants.models import Application
from grants.queries import applications_visible_to, question_lists
from review.audiences import REVIEWS, active_assignments
from review.models import (
    Assignment,
    ConflictOfInterest,
    Criterion,
    FundingLine,
    Jury,
    JuryMember,
    Review,
    Score,
    TopicMinimum,
)
from review.states import (
    BLOCKING_CONFLICTS,
    JURY_STATES,
    RANKED_STATES,
    ConflictStatus,
    LineState,
    PhaseAllows,
    ReviewState,
)


def reviews_visible_to(user, *, only: str | None = None):
    """The reviews ``user`` may see: the list twin of the ``review.view_review`` rule, from
    the same audiences (review/audiences.py)."""
    return REVIEWS.visible_to(user, only)


# What waits for jurors: the one definition of each rule, for the reminders
# (review.services.reminders), the inbox and the pages.


def outstanding_reviews():
    """Reviews still to be written: drafts of active assignments on applications still in
    the jury's hands, in juries that score."""
    return Review.objects.filter(
        state=ReviewState.DRAFT,
        assignment__confirmed_at__isnull=False,
        assignment__released_at__isnull=True,
        assignment__application__state__in=JURY_STATES,
        assignment__application__call__jury__phase__in=PhaseAllows.SCORING,
    )


def overdue_reviews(today: dt.date):
    """Outstanding reviews whose jury's due date has passed."""
    return outstanding_reviews().filter(assignment__application__call__jury__due_on__lt=today)


def reviews_to_write(user):
    """The juror's outstanding reviews (of applications they see as jurors), the earliest due
    date first."""
    return (
        outstanding_reviews()
        .filter(pk__in=reviews_visible_to(user, only="author").values("pk"))
        .select_related("assignment__application__call__jury")
        .order_by(
            "assignment__application__call__jury__due_on",
            "assignment__application__reference",
            "pk",
        )
    )


def conflicts_to_confirm(user):
    """Per jury, the conflicts the system suggested to the juror that await their answer."""
    pending = ConflictOfInterest.objects.filter(
        juror=user, status=ConflictStatus.SUGGESTED, application__call=OuterRef("call")
    )
    return (
        Jury.objects.filter(members__user=user)
        .filter(Exists(pending))
        .annotate(
            suggested=_per_call(pending, "application__call", Count("pk")),
            since=_per_call(pending, "application__call", Min("created_at")),
        )
        .select_related("call")
        .order_by("since", "pk")
    )


def missing_reviews_by_call(*, viewer):
    """Per call whose jury is scoring: the reviews still outstanding on the applications
    ``viewer`` sees as staff (a conflicted staff member's own conflicts left out)."""
    outstanding = outstanding_reviews().filter(
        assignment__application__in=applications_visible_to(viewer, only="staff"),
        assignment__application__call=OuterRef("call"),
    )
    return (
        Jury.objects.filter(Exists(outstanding))
        .annotate(
            missing=_per_call(outstanding, "assignment__application__call", Count("pk")),
            jurors=_per_call(
                outstanding,
                "assignment__application__call",
                Count("assignment__juror", distinct=True),
            ),
        )
        .select_related("call")
        .order_by("due_on", "pk")
    )


def _per_call(rows, call_path, aggregate):
    """One aggregate of ``rows`` (filtered on the outer jury's call) as a subquery."""
    return Subquery(
        rows.order_by().values(call_path).annotate(value=aggregate).values("value"),
        output_field=IntegerField() if isinstance(aggregate, Count) else None,
    )


def counting_reviews():
    """The reviews that count: submitted, of a confirmed assignment that has not been
    released (a juror replaced, or conflicted since), by a juror who neither owns the
    application nor has a conflict of interest with it."""
    return (
        Review.objects.filter(
            state=ReviewState.SUBMITTED,
            assignment__confirmed_at__isnull=False,
            assignment__released_at__isnull=True,
        )
        .exclude(assignment__application__owner_id=F("assignment__juror_id"))
        .exclude(
            Exists(
                ConflictOfInterest.objects.filter(
                    juror_id=OuterRef("assignment__juror_id"),
                    application_id=OuterRef("assignment__application_id"),
                    status__in=BLOCKING_CONFLICTS,
                )
            )
        )
    )


def jury_of(call):
    return Jury.objects.filter(call=call).select_related("call__fund").first()


# Juror pages.


def juries_of_juror(user) -> list[dict]:
    """The juries the user is on, newest call first, each with the juror's progress and the
    suggested conflicts awaiting their answer. Four queries, however many juries."""
    juries = list(
        Jury.objects.filter(members__user=user)
        .select_related("call")
        .order_by("-call__year", "-call__round_number", "pk")
    )
    assigned = dict(
        applications_visible_to(user, only="juror")
        .values("call_id")
        .annotate(count=Count("pk"))
        .values_list("call_id", "count")
    )
    submitted = dict(
        reviews_visible_to(user, only="author")
        .filter(state=ReviewState.SUBMITTED)
        .values("assignment__application__call_id")
        .annotate(count=Count("pk"))
        .values_list("assignment__application__call_id", "count")
    )
    suggestions = dict(
        ConflictOfInterest.objects.filter(juror=user, status=ConflictStatus.SUGGESTED)
        .values("application__call_id")
        .annotate(count=Count("pk"))
        .values_list("application__call_id", "count")
    )
    return [
        {
            "jury": jury,
            "call": jury.call,
            "assigned": assigned.get(jury.call_id, 0),
            "submitted": submitted.get(jury.call_id, 0),
            "suggestions": suggestions.get(jury.call_id, 0),
        }
        for jury in juries
    ]


def juror_jury(user, slug):
    """The jury of call ``slug`` if the user is on it, else None."""
    return (
        Jury.objects.filter(call__slug=slug, members__user=user)
        .select_related("call__fund")
        .first()
    )


def juror_queue(jury, user):
    """The juror's reviews in this call, in reference order: their applications as jurors."""
    return (
        Review.objects.filter(
            assignment__in=active_assignments(user),
            assignment__application__in=applications_visible_to(user, only="juror").filter(
                call=jury.call
            ),
        )
        .select_related("assignment__application__topic")
        .order_by("assignment__application__reference", "pk")
    )


def review_to_write(user, pk):
    """The juror's own review (the ``author`` audience, as ``review.view_own_review``) with
    its application, call and jury, and ``next_open``: the next review in their queue still
    to submit (after this one by reference, else from the top). One query."""
    still_open = (
        Review.objects.filter(
            state=ReviewState.DRAFT,
            assignment__in=active_assignments(user),
            assignment__application__call_id=OuterRef("call_id"),
            assignment__application__in=applications_visible_to(user, only="juror"),
        )
        .exclude(pk=OuterRef("pk"))
        .order_by("assignment__application__reference", "pk")
        .values("pk")
    )
    later = still_open.filter(assignment__application__reference__gt=OuterRef("reference"))
    return (
        reviews_visible_to(user, only="author")
        .filter(pk=pk)
        .select_related("assignment__application__call__jury")
        .annotate(
            call_id=F("assignment__application__call_id"),
            reference=F("assignment__application__reference"),
        )
        .annotate(next_open=Coalesce(Subquery(later[:1]), Subquery(still_open[:1])))
    )


def review_for_juror(pk):
    return (
        Review.objects.select_related(
            "assignment__juror",
            "assignment__application__call__jury",
            "assignment__application__call__fund",
            "assignment__application__topic",
            "assignment__application__track",
            "assignment__application__owner",
            "assignment__application__concept",
        )
        .prefetch_related(
            "scores",
            "assignment__application__planned_milestones",
            "assignment__application__team_members",
            *question_lists("assignment__application__"),
        )
        .filter(pk=pk)
    )


def fellow_reviews(review, user):
    """The other submitted reviews of the same application that ``user`` may read."""
    return (
        reviews_visible_to(user, only="fellow_juror")
        .filter(assignment__application_id=review.assignment.application_id)
        .select_related("assignment__juror")
        .prefetch_related("scores")
        .order_by("pk")
    )


# Staff pages.


def jury_members(jury):
    return (
        JuryMember.objects.filter(jury=jury)
        .select_related("user")
        .prefetch_related("topics")
        .annotate(
            assigned=Count(
                "user__review_assignments",
                filter=Q(
                    user__review_assignments__application__call_id=jury.call_id,
                    user__review_assignments__released_at__isnull=True,
                ),
                distinct=True,
            ),
            conflicts=Count(
                "user__conflicts_of_interest",
                filter=Q(
                    user__conflicts_of_interest__application__call_id=jury.call_id,
                    user__conflicts_of_interest__status__in=BLOCKING_CONFLICTS,
                ),
                distinct=True,
            ),
            hard_conflicts=Count(
                "user__conflicts_of_interest",
                filter=Q(
                    user__conflicts_of_interest__application__call_id=jury.call_id,
                    user__conflicts_of_interest__status=ConflictStatus.HARD,
                ),
                distinct=True,
            ),
        )
        .order_by("pk")
    )


def topic_minimums(jury):
    return TopicMinimum.objects.filter(jury=jury)


def own_applications_of(member) -> list[str]:
    """References of the call's applications a juror is behind (their hard conflicts)."""
    return list(
        ConflictOfInterest.objects.filter(
            juror_id=member.user_id,
            application__call_id=member.jury.call_id,
            status=ConflictStatus.HARD,
        )
        .order_by("application__reference")
        .values_list("application__reference", flat=True)
    )


def criteria_of(jury):
    return Criterion.objects.filter(jury=jury).order_by("position", "pk")


def assignment_rows(jury, viewer):
    """Applications in review with their (proposed or confirmed) jurors and submitted count."""
    current = Assignment.objects.filter(released_at__isnull=True).select_related("juror")
    return (
        applications_visible_to(viewer, only="staff")
        .filter(call=jury.call, state__in=RANKED_STATES)
        .select_related("topic")
        .only("pk", "reference", "title", "state", "topic__name_de", "topic__name_en", "call_id")
        .prefetch_related(Prefetch("review_assignments", queryset=current, to_attr="current"))
        .annotate(
            submitted=Count(
                "review_assignments__review",
                filter=Q(
                    review_assignments__review__state=ReviewState.SUBMITTED,
                    review_assignments__released_at__isnull=True,
                ),
            )
        )
        .order_by("reference")
    )


def open_conflicts_of(user, call) -> bool:
    """Whether ``user`` (staff who is also a juror) has a conflict in ``call``: then
    someone else draws the line and decides."""
    return ConflictOfInterest.objects.filter(
        juror=user, application__call=call, status__in=BLOCKING_CONFLICTS
    ).exists()


def ranked_rows(call, viewer):
    """The call's ranked applications as ``viewer`` sees them as staff; with no viewer,
    all of them (the selection record, which staff with a conflict in the call never
    read)."""
    if viewer is None:
        return Application.objects.filter(call=call, state__in=RANKED_STATES)
    return applications_visible_to(viewer, only="staff").filter(call=call, state__in=RANKED_STATES)


def ranking_reviews(call, viewer):
    """The submitted reviews the ranking counts, of the call's ranked applications as the
    viewer sees them (ranked_rows), from active assignments."""
    return Review.objects.filter(
        state=ReviewState.SUBMITTED,
        assignment__released_at__isnull=True,
        assignment__application__in=ranked_rows(call, viewer),
    )


def ranking_input(call, viewer):
    """(id, version) of every review the ranking counts that has a score: with the
    criteria, all that its figures depend on (review.models.StoredRanking)."""
    return (
        ranking_reviews(call, viewer)
        .filter(Exists(Score.objects.filter(review=OuterRef("pk"))))
        .values_list("pk", "version")
        .order_by()
    )


def ranking_scores(call, viewer):
    """Every score of every review the ranking counts (ranking_reviews): one row per score,
    with its review's version."""
    return (
        Score.objects.filter(
            review__state=ReviewState.SUBMITTED,
            review__assignment__released_at__isnull=True,
            review__assignment__application__in=ranked_rows(call, viewer),
        )
        .values_list(
            "review_id",
            "review__assignment__application_id",
            "review__assignment__juror_id",
            "criterion_id",
            "value",
            "review__version",
        )
        .order_by()
    )


def ranked_applications(call, viewer):
    return (
        ranked_rows(call, viewer)
        .values(
            "pk", "reference", "title", "topic_id", "state", "requested_amount", "awarded_amount"
        )
        .order_by("reference")
    )


def juror_names(jury) -> dict:
    return {
        member["user_id"]: member["user__full_name"] or member["user__email"]
        for member in JuryMember.objects.filter(jury=jury, user__isnull=False).values(
            "user_id", "user__full_name", "user__email"
        )
    }


def current_line(call):
    return (
        FundingLine.objects.filter(call=call)
        .exclude(state=LineState.DISCARDED)
        .select_related("created_by")
        .prefetch_related("moves__actor")
        .first()
    )


def line_applications(ids) -> dict:
    """Application id → the application's current state and its track (a CallTrack or
    None), for the funding line's rows: one query."""
    return {
        application.pk: application
        for application in Application.objects.filter(pk__in=ids)
        .select_related("track")
        .only("pk", "state", "track")
    }


def application_reviews_for_staff(application, viewer):
    return (
        reviews_visible_to(viewer, only="staff")
        .filter(assignment__application=application)
        .select_related("assignment__juror")
        # The page shows the scores along the jury's criteria, which it has read.
        .prefetch_related("scores")
        .order_by("pk")
    )


def jury_progress(jury) -> dict:
    """Assignments and reviews of the call, counted in one query."""
    from django.db.models import Count

    return Assignment.objects.filter(
        application__call_id=jury.call_id, released_at__isnull=True
    ).aggregate(
        proposed=Count("pk", filter=Q(confirmed_at__isnull=True)),
        confirmed=Count("pk", filter=Q(confirmed_at__isnull=False)),
        submitted=Count("review", filter=Q(review__state=ReviewState.SUBMITTED)),
    )


def jury_log(jury):
    from workflow.models import TransitionLog

    return (
        TransitionLog.objects.filter(
            content_type__app_label="review", content_type__model="jury", object_id=jury.pk
        )
        .select_related("actor")
        .order_by("created_at", "pk")
    )


def line_log(line):
    from workflow.models import TransitionLog

    return (
        TransitionLog.objects.filter(
            content_type__app_label="review", content_type__model="fundingline", object_id=line.pk
        )
        .select_related("actor")
        .order_by("created_at", "pk")
    )


def decision_candidates(call, viewer, ids):
    return (
        applications_visible_to(viewer, only="staff")
        .filter(call=call, pk__in=ids)
        .only("pk", "reference", "title", "state", "requested_amount", "call_id")
        .order_by("reference")
    )
