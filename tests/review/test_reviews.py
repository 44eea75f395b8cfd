"""Writing reviews: drafts as typed ("not applicable" stored as missing, never 0), submission
when complete (a refused submission keeps the draft), reopening while the phase allows, and
the application moving to "reviewed" with its last review."""

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django_fsm import can_proceed, has_transition_perm

from accounts.models import User
from core.errors import StaleObjectError, WorkflowError
from grants.models import Application
from grants.states import ApplicationState as S
from review.models import Review, Score
from review.services.reviews import reopen_review, save_review, submit_review
from review.states import JuryPhase, ReviewState
from tests.factories import set_state
from tests.review.helpers import assign, conflict, in_review, make_juror, make_jury, scored
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    jury = make_jury()
    juror = make_juror(jury)
    application = in_review(jury.call)
    review = assign(juror, application)
    criteria = list(jury.criteria.order_by("position"))
    return jury, juror, application, review, criteria


def entries(criteria, values):
    return {
        criterion.pk: {
            "value": value,
            "not_applicable": value is None,
            "comment": f"on {criterion.name_en}",
        }
        for criterion, value in zip(criteria, values, strict=True)
    }


def test_a_draft_keeps_not_applicable_as_missing_never_zero(setting):
    _jury, juror, _application, review, criteria = setting

    saved = save_review(
        review=review,
        actor=juror,
        expected_version=1,
        entries=entries(criteria, [8, 0, None]),
        comment_for_staff="  Strong team.  ",
    )

    rows = list(
        Score.objects.filter(review=review)
        .order_by("criterion__position")
        .values_list("value", "not_applicable", "comment")
    )
    assert rows == [
        (8, False, "on Relevance"),
        (0, False, "on Feasibility"),
        (None, True, "on Security"),
    ]
    assert saved.version == 2
    assert saved.state == ReviewState.DRAFT
    assert Review.objects.get(pk=review.pk).comment_for_staff == "Strong team."


def test_saving_again_writes_the_scores_in_one_statement(setting, django_assert_num_queries):
    _jury, juror, _application, review, criteria = setting
    save_review(
        review=review, actor=juror, expected_version=1, entries=entries(criteria, [8, 5, 3])
    )

    # The review in context, the criteria, the permission (conflicts), the scores (insert or
    # update), the review's row (only at the version read); a savepoint around them.
    with django_assert_num_queries(7):
        save_review(
            review=review, actor=juror, expected_version=2, entries=entries(criteria, [9, 5, 3])
        )

    assert list(
        Score.objects.filter(review=review)
        .order_by("criterion__position")
        .values_list("value", flat=True)
    ) == [9, 5, 3]


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ([11, 5, 3], "score_{0}", "Give a whole number from 0 to 10."),
        ([5, 5, 6], "score_{2}", "Give a whole number from 1 to 5."),
        ([5, 5, 0], "score_{2}", "Give a whole number from 1 to 5."),
        ([None, 5, 3], "score_{0}", "This criterion must be scored."),
    ],
)
def test_bad_scores_are_refused_and_nothing_is_saved(setting, values, field, message):
    _jury, juror, _application, review, criteria = setting

    with pytest.raises(WorkflowError) as refusal:
        save_review(
            review=review, actor=juror, expected_version=1, entries=entries(criteria, values)
        )

    index = int(field[-2])
    assert refusal.value.field_errors == {f"score_{criteria[index].pk}": [message]}
    assert not Score.objects.exists()


def test_huge_comments_are_refused(setting):
    _jury, juror, _application, review, criteria = setting

    with pytest.raises(WorkflowError) as refusal:
        save_review(
            review=review,
            actor=juror,
            expected_version=1,
            entries={},
            comment_for_applicant="x" * 5001,
        )

    assert refusal.value.field_errors == {"comment_for_applicant": ["At most 5000 characters."]}


def test_comments_of_5000_characters_are_kept_and_one_more_is_refused(setting):
    _jury, juror, _application, review, criteria = setting
    long_entries = entries(criteria, [8, 5, 3])
    first = criteria[0].pk
    long_entries[first]["comment"] = "x" * 5001
    with pytest.raises(WorkflowError) as refusal:
        save_review(review=review, actor=juror, expected_version=1, entries=long_entries)
    assert refusal.value.field_errors == {f"comment_{first}": ["At most 5000 characters."]}
    assert not Score.objects.exists()

    long_entries[first]["comment"] = "x" * 5000
    save_review(
        review=review,
        actor=juror,
        expected_version=1,
        entries=long_entries,
        comment_for_staff="s" * 5000,
        comment_for_applicant="a" * 5000,
    )

    saved = Review.objects.get(pk=review.pk)
    assert (saved.comment_for_staff, saved.comment_for_applicant) == ("s" * 5000, "a" * 5000)
    assert Score.objects.get(criterion_id=first).comment == "x" * 5000


def test_a_stale_save_is_refused(setting):
    _jury, juror, _application, review, criteria = setting
    save_review(
        review=review, actor=juror, expected_version=1, entries=entries(criteria, [8, 5, 3])
    )

    with pytest.raises(StaleObjectError):
        save_review(
            review=review, actor=juror, expected_version=1, entries=entries(criteria, [1, 1, 1])
        )

    assert list(Score.objects.values_list("value", flat=True).order_by("criterion__position")) == [
        8,
        5,
        3,
    ]


def test_an_incomplete_submission_keeps_the_draft(setting):
    _jury, juror, _application, review, criteria = setting

    with pytest.raises(WorkflowError) as refusal:
        submit_review(
            review=review,
            actor=juror,
            expected_version=1,
            entries={criteria[0].pk: {"value": 7, "not_applicable": False, "comment": ""}},
            comment_for_staff="Half done",
            comment_for_applicant="",
        )

    assert str(refusal.value.message) == (
        "Your draft is saved, but it is not complete yet. Still to score: Feasibility, Security."
    )
    review.refresh_from_db()
    assert (review.state, review.version, review.comment_for_staff) == (
        ReviewState.DRAFT,
        2,
        "Half done",
    )
    assert list(Score.objects.values_list("value", flat=True)) == [7]


def test_submission_logs_and_moves_the_application_with_its_last_review(setting):
    jury, juror, application, review, criteria = setting
    second, third = make_juror(jury), make_juror(jury)
    scored(assign(second, application), [5, 5, 3])
    last = assign(third, application)

    submit_review(
        review=review,
        actor=juror,
        expected_version=1,
        entries=entries(criteria, [8, 7, None]),
        comment_for_staff="",
        comment_for_applicant="",
    )
    application.refresh_from_db()
    assert application.state == S.IN_REVIEW  # the third review is still open

    submit_review(
        review=last,
        actor=third,
        expected_version=1,
        entries=entries(criteria, [6, 6, 2]),
        comment_for_staff="",
        comment_for_applicant="",
    )

    application.refresh_from_db()
    assert application.state == S.REVIEWED
    actions = list(TransitionLog.objects.order_by("pk").values_list("action", "actor_id"))
    assert actions == [
        ("review.review.submitted", juror.pk),
        ("review.review.submitted", third.pk),
        ("grants.application.reviews_completed", third.pk),
    ]
    review.refresh_from_db()
    assert review.state == ReviewState.SUBMITTED and review.submitted_at is not None


def test_fewer_active_reviews_than_k_do_not_complete_the_application(setting):
    jury, juror, application, review, criteria = setting
    other = make_juror(jury)
    scored(assign(other, application), [5, 5, 3])

    submit_review(
        review=review,
        actor=juror,
        expected_version=1,
        entries=entries(criteria, [8, 7, None]),
        comment_for_staff="",
        comment_for_applicant="",
    )

    assert Application.objects.get(pk=application.pk).state == S.IN_REVIEW  # k = 3


@pytest.mark.parametrize(
    ("phase", "allowed"),
    [
        (JuryPhase.PREPARATION, False),
        (JuryPhase.SCORING, True),
        (JuryPhase.DISCUSSION, True),
        (JuryPhase.CLOSED, False),
    ],
)
def test_submit_and_reopen_follow_the_phase(setting, phase, allowed):
    jury, juror, _application, review, criteria = setting
    type(jury).objects.filter(pk=jury.pk).update(phase=phase)
    review = Review.objects.select_related("assignment__application__call__jury").get(pk=review.pk)

    # has_transition_perm also asks the condition (complete), so score first.
    scored(review, [5, 5, 3], submitted=False)
    review = Review.objects.select_related("assignment__application__call__jury").get(pk=review.pk)
    assert has_transition_perm(review.submit, juror) is allowed
    Review.objects.filter(pk=review.pk).update(state=ReviewState.SUBMITTED)
    review = Review.objects.select_related("assignment__application__call__jury").get(pk=review.pk)
    assert has_transition_perm(review.reopen, juror) is allowed
    if allowed:
        seen = review.version
        reopened = reopen_review(review=review, actor=juror)
        assert reopened.state == ReviewState.DRAFT
        # A page opened before the reopening is stale: its version is one behind.
        assert Review.objects.get(pk=review.pk).version == seen + 1
        assert TransitionLog.objects.get().action == "review.review.reopened"
    else:
        with pytest.raises(WorkflowError, match="This review can no longer be changed."):
            reopen_review(review=review, actor=juror)


@pytest.mark.parametrize(
    "who", ["other_juror", "staff", "no_longer_juror", "conflicted", "released", "decided"]
)
def test_nobody_but_the_author_writes_while_the_application_is_reviewed(setting, staff, who):
    jury, juror, application, review, criteria = setting
    actor = juror
    if who == "other_juror":
        actor = make_juror(jury)
    elif who == "staff":
        actor = staff
    elif who == "no_longer_juror":
        # The author, whose juror role was taken away meanwhile.
        juror.groups.clear()
        actor = User.objects.get(pk=juror.pk)
    elif who == "conflicted":
        conflict(juror, application)
    elif who == "released":
        type(review.assignment).objects.filter(pk=review.assignment_id).update(
            released_at=application.created_at
        )
    else:
        set_state(application, S.APPROVED)

    with pytest.raises(WorkflowError, match="This review can no longer be changed."):
        save_review(
            review=review, actor=actor, expected_version=1, entries=entries(criteria, [1, 1, 1])
        )
    with pytest.raises(WorkflowError, match="This review can no longer be changed."):
        submit_review(
            review=review,
            actor=actor,
            expected_version=1,
            entries=entries(criteria, [1, 1, 1]),
            comment_for_staff="",
            comment_for_applicant="",
        )

    assert not Score.objects.exists()


def test_the_review_rules_refuse_no_object_and_signed_out_visitors(setting):
    jury, juror, application, review, _criteria = setting
    type(jury.call).objects.filter(pk=jury.call_id).update(reviews_per_application=1)
    application.refresh_from_db()
    scored(review, [5, 5, 3])  # the only review asked for is in: its juror completes them

    assert juror.has_perm("review.write_review", None) is False
    assert rules.has_perm("review.write_review", AnonymousUser(), review) is False
    assert rules.has_perm("grants.complete_reviews", juror, application) is True
    assert rules.has_perm("grants.complete_reviews", juror, None) is False
    assert rules.has_perm("grants.complete_reviews", AnonymousUser(), application) is False


def test_a_submitted_review_must_be_reopened_before_it_changes(setting):
    _jury, juror, _application, review, criteria = setting
    scored(review, [5, 5, 3])

    with pytest.raises(WorkflowError, match="Reopen it to change it"):
        save_review(
            review=review, actor=juror, expected_version=1, entries=entries(criteria, [9, 9, 5])
        )


def test_the_review_workflow_has_exactly_two_transitions():
    review = Review(state=ReviewState.DRAFT)
    assert can_proceed(review.submit, check_conditions=False) is True
    assert can_proceed(review.reopen, check_conditions=False) is False
    submitted = Review(state=ReviewState.SUBMITTED)
    assert can_proceed(submitted.submit, check_conditions=False) is False
    assert can_proceed(submitted.reopen, check_conditions=False) is True
