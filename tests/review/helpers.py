"""Set-up helpers of the review tests: a call with a jury, jurors, applications in review,
assignments and reviews, made directly (the services are tested on their own)."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from accounts.roles import Role
from grants.states import ApplicationState
from review.models import Assignment, ConflictOfInterest, Criterion, Jury, JuryMember, Review, Score
from review.states import ConflictKind, ConflictStatus, JuryPhase, ReviewState, Scale
from tests.factories import ApplicationFactory, CallFactory, make_user, set_state

CRITERIA = (
    ("Relevanz", "Relevance", 40, Scale.ZERO_TO_TEN, False),
    ("Umsetzbarkeit", "Feasibility", 30, Scale.ZERO_TO_TEN, False),
    ("Sicherheit", "Security", 30, Scale.ONE_TO_FIVE, True),
)


def make_jury(call=None, *, phase=JuryPhase.SCORING, blind=False, due_on=None, criteria=CRITERIA):
    call = call or CallFactory()
    jury = Jury.objects.create(
        call=call, blind=blind, due_on=due_on or timezone.localdate() + dt.timedelta(days=14)
    )
    for position, (name_de, name_en, weight, scale, na) in enumerate(criteria, start=1):
        Criterion.objects.create(
            jury=jury,
            position=position,
            name_de=name_de,
            name_en=name_en,
            weight=weight,
            scale=scale,
            allows_not_applicable=na,
        )
    Jury.objects.filter(pk=jury.pk).update(phase=phase)
    jury.refresh_from_db()
    return jury


def make_juror(jury=None, **kwargs):
    juror = make_user(Role.JUROR, **kwargs)
    if jury is not None:
        JuryMember.objects.create(
            jury=jury, user=juror, email=juror.email, joined_at=timezone.now()
        )
    return juror


def in_review(call, state=ApplicationState.IN_REVIEW, **kwargs):
    application = ApplicationFactory(call=call, **kwargs)
    application = set_state(application, state)
    type(application).objects.filter(pk=application.pk).update(submitted_at=timezone.now())
    application.refresh_from_db()
    return application


def assign(juror, application, *, confirmed=True, released=False) -> Review | Assignment:
    """An assignment (confirmed unless told otherwise) and, once confirmed, its review."""
    now = timezone.now()
    assignment = Assignment.objects.create(
        juror=juror,
        application=application,
        confirmed_at=now if confirmed else None,
        released_at=now if released else None,
    )
    if not confirmed:
        return assignment
    return Review.objects.create(assignment=assignment)


def conflict(juror, application, status=ConflictStatus.DECLARED, kind=ConflictKind.COLLEAGUE):
    return ConflictOfInterest.objects.create(
        juror=juror,
        application=application,
        status=status,
        kind=kind if status == ConflictStatus.DECLARED else "",
    )


def scored(review, values, *, submitted=True, for_applicant="", for_staff=""):
    """Give ``review`` a score per criterion (in position order; None = not applicable)."""
    criteria = list(review.assignment.application.call.jury.criteria.order_by("position"))
    for criterion, value in zip(criteria, values, strict=True):
        Score.objects.create(
            review=review, criterion=criterion, value=value, not_applicable=value is None
        )
    Review.objects.filter(pk=review.pk).update(
        state=ReviewState.SUBMITTED if submitted else ReviewState.DRAFT,
        submitted_at=timezone.now() if submitted else None,
        comment_for_applicant=for_applicant,
        comment_for_staff=for_staff,
    )
    review.refresh_from_db()
    return review


def budget_call(budget="100000.00", **kwargs):
    return CallFactory(budget=Decimal(budget), **kwargs)
