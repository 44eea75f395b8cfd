"""Who sees applications as a juror and who sees reviews: the list selector and the rule
for one object agree (tests/accounts/visibility.py), and both say what the issue says: a
juror sees an application only while assigned and not conflicted; reviews of others only in
the discussion phase after submitting their own; staff only submitted reviews; a conflicted
juror never sees the application or its reviews, anywhere, as staff neither."""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.roles import Role
from grants.queries import applications_visible_to
from grants.states import ApplicationState as S
from grants.visibility import APPLICATIONS
from review.audiences import REVIEWS
from review.queries import reviews_visible_to
from review.states import ConflictStatus, JuryPhase
from tests.accounts.helpers import make_role_user
from tests.accounts.visibility import seen_by_rule_and_by_selector
from tests.factories import make_user, set_state
from tests.review.helpers import assign, conflict, in_review, make_juror, make_jury, scored

pytestmark = pytest.mark.django_db


class World:
    def __init__(self, phase=JuryPhase.SCORING):
        self.jury = make_jury(phase=phase)
        call = self.jury.call
        self.me = make_juror(self.jury, email="me@jury.example")
        self.other = make_juror(self.jury, email="other@jury.example")
        self.staff = make_role_user("staff")
        # A staff member who is also a juror and declared a conflict.
        self.staff_juror = make_user(Role.STAFF, Role.JUROR)
        self.ministry = make_role_user("ministry")
        self.applicant = make_role_user("applicant")
        self.assigned = in_review(call, title="Assigned")
        self.unassigned = in_review(call, title="Unassigned")
        self.declared = in_review(call, title="Declared")
        self.suggested = in_review(call, title="Suggested")
        self.dismissed = in_review(call, title="Dismissed")
        self.released = in_review(call, title="Released")
        self.proposed = in_review(call, title="Proposed")
        self.withdrawn = in_review(call, title="Withdrawn")
        self.decided = in_review(call, S.APPROVED, title="Approved")
        self.mine = {}
        for application in (
            self.assigned,
            self.declared,
            self.suggested,
            self.dismissed,
            self.withdrawn,
            self.decided,
        ):
            self.mine[application.pk] = assign(self.me, application)
        conflict(self.me, self.declared)
        conflict(self.me, self.suggested, status=ConflictStatus.SUGGESTED)
        conflict(self.me, self.dismissed, status=ConflictStatus.DISMISSED)
        assign(self.me, self.released, released=True)
        assign(self.me, self.proposed, confirmed=False)
        set_state(self.withdrawn, S.WITHDRAWN)
        self.applications = [
            self.assigned,
            self.unassigned,
            self.declared,
            self.suggested,
            self.dismissed,
            self.released,
            self.proposed,
            self.withdrawn,
            self.decided,
        ]
        # Reviews: mine of the assigned one, and the other juror's of it and of another.
        self.their_review = assign(self.other, self.assigned)
        self.their_other = assign(self.other, self.unassigned)
        self.staff_juror_reviewed = assign(self.other, self.declared)
        conflict(self.staff_juror, self.declared)
        self.reviews = [
            *self.mine.values(),
            self.their_review,
            self.their_other,
            self.staff_juror_reviewed,
        ]


@pytest.fixture
def world():
    return World()


def test_a_juror_sees_assigned_unconflicted_applications_only(world):
    by_rule, by_selector = seen_by_rule_and_by_selector(
        APPLICATIONS,
        world.me,
        world.applications,
        only="juror",
        permission="review.view_application_as_juror",
    )

    # Not: unassigned, declared or still suggested conflicts, released or only proposed
    # assignments, withdrawn. A dismissed suggestion is no conflict.
    assert by_rule == by_selector == {world.assigned.pk, world.dismissed.pk, world.decided.pk}


def test_jurors_never_see_applications_through_the_shared_rule(world):
    """The juror audience counts only on the jurors' own pages (only="juror")."""
    by_rule, by_selector = seen_by_rule_and_by_selector(
        APPLICATIONS, world.me, world.applications, permission="grants.view_application"
    )

    assert by_rule == by_selector == set()
    assert list(applications_visible_to(world.me)) == []


def test_a_conflict_hides_the_application_from_a_staff_member_who_is_a_juror(world):
    by_rule, by_selector = seen_by_rule_and_by_selector(
        APPLICATIONS,
        world.staff_juror,
        world.applications,
        only="staff",
        permission="grants.view_application_as_staff",
    )
    everything = {application.pk for application in world.applications}

    assert by_rule == by_selector == everything - {world.declared.pk}
    staff_view = seen_by_rule_and_by_selector(
        APPLICATIONS, world.staff, world.applications, only="staff"
    )
    assert staff_view == (everything, everything)


def test_the_applicant_still_sees_an_own_application_they_declared_a_conflict_with():
    jury = make_jury()
    both = make_user(Role.APPLICANT, Role.JUROR)
    application = in_review(jury.call, owner=both)
    conflict(both, application, kind="own")

    assert APPLICATIONS.sees(both, application) is True
    assert list(applications_visible_to(both)) == [application]
    assert APPLICATIONS.sees(both, application, only="juror") is False


@pytest.mark.parametrize(
    ("phase", "mine_submitted", "expected"),
    [
        (JuryPhase.SCORING, False, {"mine"}),
        (JuryPhase.SCORING, True, {"mine"}),
        (JuryPhase.DISCUSSION, False, {"mine"}),
        (JuryPhase.DISCUSSION, True, {"mine", "theirs"}),
        (JuryPhase.CLOSED, True, {"mine"}),
    ],
)
def test_others_reviews_only_in_discussion_and_after_submitting_ones_own(
    phase, mine_submitted, expected
):
    world = World(phase=phase)
    mine = world.mine[world.assigned.pk]
    scored(world.their_review, [5, 5, 3])
    if mine_submitted:
        scored(mine, [7, 6, None])
    names = {mine.pk: "mine", world.their_review.pk: "theirs"}

    by_rule, by_selector = seen_by_rule_and_by_selector(
        REVIEWS, world.me, world.reviews, permission="review.view_review"
    )

    assert by_rule == by_selector
    # Of the assigned application; own reviews of the other visible applications too.
    seen = {names[pk] for pk in by_rule if pk in names}
    assert seen == expected


def test_a_draft_of_another_juror_stays_hidden_in_discussion():
    world = World(phase=JuryPhase.DISCUSSION)
    scored(world.mine[world.assigned.pk], [7, 6, None])
    scored(world.their_review, [5, 5, 3], submitted=False)

    assert world.their_review.pk not in set(
        reviews_visible_to(world.me).values_list("pk", flat=True)
    )
    assert REVIEWS.sees(world.me, world.their_review) is False


def test_own_reviews_follow_the_applications(world):
    by_rule, by_selector = seen_by_rule_and_by_selector(
        REVIEWS, world.me, world.reviews, only="author"
    )

    assert (
        by_rule
        == by_selector
        == {
            world.mine[world.assigned.pk].pk,
            world.mine[world.dismissed.pk].pk,
            world.mine[world.decided.pk].pk,
        }
    )


def test_staff_see_submitted_reviews_of_what_they_see_as_staff(world):
    for review in (world.their_review, world.their_other, world.staff_juror_reviewed):
        scored(review, [5, 5, 3])

    staff = seen_by_rule_and_by_selector(
        REVIEWS, world.staff, world.reviews, permission="review.view_review"
    )
    conflicted = seen_by_rule_and_by_selector(
        REVIEWS, world.staff_juror, world.reviews, only="staff"
    )

    submitted = {world.their_review.pk, world.their_other.pk, world.staff_juror_reviewed.pk}
    assert staff == (submitted, submitted)
    assert conflicted == (submitted - {world.staff_juror_reviewed.pk},) * 2


@pytest.mark.parametrize("name", ["ministry", "applicant", "anonymous"])
def test_nobody_else_sees_reviews(world, name):
    for review in world.reviews:
        scored(review, [5, 5, 3])
    user = AnonymousUser() if name == "anonymous" else getattr(world, name)

    assert seen_by_rule_and_by_selector(
        REVIEWS, user, world.reviews, permission="review.view_review"
    ) == (
        set(),
        set(),
    )


def test_the_selector_costs_one_query(world, django_assert_num_queries):
    user = type(world.me).objects.get(pk=world.me.pk)
    assert user.role_names == {Role.JUROR}

    with django_assert_num_queries(1):
        pks = list(applications_visible_to(user, only="juror").values_list("pk", flat=True))
    with django_assert_num_queries(1):
        reviews = list(reviews_visible_to(user).values_list("pk", flat=True))

    assert len(pks) == 3
    assert len(reviews) == 3
