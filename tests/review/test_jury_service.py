"""Setting up a jury: example criteria, settings, criteria with weights adding up to 100 %,
jurors added or invited (joining once they confirm their address), phases."""

import datetime as dt

import pytest
from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed
from django.utils import timezone
from django_fsm import can_proceed

from accounts.models import User
from accounts.roles import Role
from core.errors import WorkflowError
from review.models import Criterion, Jury, JuryMember
from review.services.jury import (
    add_juror,
    save_criteria,
    save_jury_settings,
    set_up_jury,
    transition_jury,
)
from review.states import JuryPhase, Scale
from tests.factories import CallFactory, TopicFactory, make_user
from tests.review.helpers import assign, in_review, make_juror, make_jury, scored
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db


def criterion(name, weight, **kwargs):
    return {
        "name_de": name,
        "name_en": name,
        "weight": weight,
        "scale": Scale.ZERO_TO_TEN,
        **kwargs,
    }


def test_set_up_once_with_the_example_criteria(staff):
    call = CallFactory()

    jury = set_up_jury(call=call, actor=staff)
    again = set_up_jury(call=call, actor=staff)

    assert again == jury
    assert jury.phase == JuryPhase.PREPARATION
    assert list(jury.criteria.values_list("position", "name_en", "weight")) == [
        (1, "Relevance", 40),
        (2, "Feasibility", 30),
        (3, "Innovation", 30),
    ]
    assert list(TransitionLog.objects.values_list("action", flat=True)) == ["review.jury.created"]


def test_only_staff_set_up(db):
    with pytest.raises(WorkflowError):
        set_up_jury(call=CallFactory(), actor=make_juror())
    assert not Jury.objects.exists()


def test_settings_are_saved_with_a_diff_in_the_log(staff):
    jury = make_jury(phase=JuryPhase.PREPARATION)
    due = timezone.localdate() + dt.timedelta(days=30)

    save_jury_settings(jury=jury, actor=staff, blind=True, max_per_juror=40, due_on=due)

    jury.refresh_from_db()
    assert (jury.blind, jury.max_per_juror, jury.due_on) == (True, 40, due)
    assert TransitionLog.objects.get().data["changes"]["blind"] == {"from": False, "to": True}


def test_criteria_replace_the_old_ones_in_order(staff):
    jury = make_jury(phase=JuryPhase.PREPARATION)

    save_criteria(
        jury=jury,
        actor=staff,
        criteria=[
            criterion("Impact", 50),
            criterion("Team", 25),
            criterion("Open", 20),
            criterion("Risk", 5, allows_not_applicable=True),
        ],
    )

    assert list(
        jury.criteria.values_list("position", "name_en", "weight", "allows_not_applicable")
    ) == [
        (1, "Impact", 50, False),
        (2, "Team", 25, False),
        (3, "Open", 20, False),
        (4, "Risk", 5, True),
    ]
    save_criteria(jury=jury, actor=staff, criteria=[criterion("All", 100)])
    assert list(Criterion.objects.values_list("name_en", flat=True)) == ["All"]


def test_edited_criteria_keep_their_rows_in_order(staff):
    jury = make_jury(phase=JuryPhase.PREPARATION)
    before = list(jury.criteria.order_by("position").values_list("pk", flat=True))

    save_criteria(
        jury=jury,
        actor=staff,
        criteria=[criterion("Impact", 40), criterion("Team", 30), criterion("Open", 20),
                  criterion("Risk", 10)],
    )  # fmt: skip

    after = list(jury.criteria.order_by("position").values_list("pk", "position", "name_en"))
    assert after[:3] == [(before[0], 1, "Impact"), (before[1], 2, "Team"), (before[2], 3, "Open")]
    assert after[3][1:] == (4, "Risk") and after[3][0] not in before


def test_criteria_cannot_change_while_scores_exist(staff):
    """Not even back in preparation (a phase that allows editing): the scores would lose
    their criteria."""
    jury = make_jury(phase=JuryPhase.SCORING)
    juror = make_juror(jury)
    scored(assign(juror, in_review(jury.call)), [5, 5, 5])
    Jury.objects.filter(pk=jury.pk).update(phase=JuryPhase.PREPARATION)
    jury.refresh_from_db()

    with pytest.raises(WorkflowError, match="jurors have started scoring"):
        save_criteria(jury=jury, actor=staff, criteria=[criterion("All", 100)])

    assert jury.criteria.count() == 3


@pytest.mark.parametrize(
    ("criteria", "message"),
    [
        ([], "Give at least one criterion."),
        (
            [criterion("A", 40), criterion("B", 40)],
            "The weights add up to 80 %; they must add up to 100 %.",
        ),
        ([criterion("A", 100, name_de="x" * 101)], "Criterion 1:"),
    ],
)
def test_bad_criteria_are_refused(staff, criteria, message):
    jury = make_jury(phase=JuryPhase.PREPARATION)

    with pytest.raises(WorkflowError, match=message):
        save_criteria(jury=jury, actor=staff, criteria=criteria)

    assert jury.criteria.count() == 3


def test_criteria_are_fixed_once_scoring_started(staff):
    jury = make_jury(phase=JuryPhase.SCORING)

    with pytest.raises(WorkflowError, match="jurors have started scoring"):
        save_criteria(jury=jury, actor=staff, criteria=[criterion("All", 100)])


def test_adding_an_existing_user_gives_the_juror_role_and_tells_them(
    staff, mailoutbox, django_capture_on_commit_callbacks
):
    jury = make_jury(phase=JuryPhase.PREPARATION)
    person = make_user(Role.APPLICANT, email="ada@uni.example")
    topic = TopicFactory(fund=jury.call.fund)

    with django_capture_on_commit_callbacks(execute=True):
        member = add_juror(jury=jury, actor=staff, email=" ADA@uni.example ", topics=[topic])

    person = User.objects.get(pk=person.pk)
    assert member.user == person and member.joined_at is not None
    assert person.role_names == {Role.APPLICANT, Role.JUROR}
    assert list(member.topics.all()) == [topic]
    assert [m.to for m in mailoutbox] == [["ada@uni.example"]]
    assert mailoutbox[0].subject == f"[Civic Tech Fund] You are a juror of {jury.call.title}"
    with pytest.raises(WorkflowError, match="already on this jury"):
        add_juror(jury=jury, actor=staff, email="ada@uni.example")


def test_a_juror_whose_address_changed_is_still_on_the_jury(staff):
    jury = make_jury(phase=JuryPhase.PREPARATION)
    person = make_user(Role.APPLICANT, email="ada@uni.example")
    add_juror(jury=jury, actor=staff, email="ada@uni.example")
    User.objects.filter(pk=person.pk).update(email="ada@new.example")

    with pytest.raises(WorkflowError, match="ada@new.example is already on this jury"):
        add_juror(jury=jury, actor=staff, email="ada@new.example")

    assert list(JuryMember.objects.values_list("user", "email")) == [(person.pk, "ada@uni.example")]


def test_an_invited_person_joins_when_they_confirm_their_address(
    staff, mailoutbox, django_capture_on_commit_callbacks
):
    jury = make_jury(phase=JuryPhase.PREPARATION)

    with django_capture_on_commit_callbacks(execute=True):
        member = add_juror(jury=jury, actor=staff, email="new.juror@uni.example")

    assert member.user is None
    assert mailoutbox[0].subject == f"[Civic Tech Fund] Invitation to the jury of {jury.call.title}"
    assert "/accounts/signup/" in mailoutbox[0].body
    # They register with another address first: nothing happens.
    user = make_user(Role.APPLICANT, email="someone@else.example")
    email_confirmed.send(
        sender=None, request=None, email_address=EmailAddress.objects.get(user=user)
    )
    assert JuryMember.objects.get().user is None
    # Then they confirm the invited address.
    address = EmailAddress.objects.create(user=user, email="New.Juror@uni.example", verified=True)
    email_confirmed.send(sender=None, request=None, email_address=address)

    member.refresh_from_db()
    assert member.user == user
    assert User.objects.get(pk=user.pk).role_names == {Role.APPLICANT, Role.JUROR}
    assert list(TransitionLog.objects.values_list("action", flat=True)) == [
        "review.jury.juror_invited",
        "review.jury.juror_joined",
    ]


@pytest.mark.parametrize(
    ("source", "name", "allowed"),
    [
        (JuryPhase.PREPARATION, "start_scoring", True),
        (JuryPhase.PREPARATION, "start_discussion", False),
        (JuryPhase.PREPARATION, "close", False),
        (JuryPhase.SCORING, "start_scoring", False),
        (JuryPhase.SCORING, "start_discussion", True),
        (JuryPhase.SCORING, "close", True),
        (JuryPhase.DISCUSSION, "start_scoring", False),
        (JuryPhase.DISCUSSION, "start_discussion", False),
        (JuryPhase.DISCUSSION, "close", True),
        (JuryPhase.CLOSED, "start_scoring", False),
        (JuryPhase.CLOSED, "start_discussion", False),
        (JuryPhase.CLOSED, "close", False),
    ],
)
def test_phase_transitions(staff, source, name, allowed):
    jury = make_jury(phase=source)

    assert can_proceed(getattr(jury, name)) is allowed
    if allowed:
        moved = transition_jury(jury=jury, actor=staff, transition_name=name, expected_state=source)
        assert moved.phase != source
        assert TransitionLog.objects.get().actor == staff
    else:
        with pytest.raises(WorkflowError):
            transition_jury(jury=jury, actor=staff, transition_name=name, expected_state=source)


def test_only_staff_change_phases():
    jury = make_jury(phase=JuryPhase.SCORING)

    with pytest.raises(WorkflowError, match="You may not do this now."):
        transition_jury(
            jury=jury,
            actor=make_juror(jury),
            transition_name="close",
            expected_state=JuryPhase.SCORING,
        )


@pytest.mark.parametrize(
    ("weights", "due", "message"),
    [
        ((40, 30, 20), True, "weights must add up to 100"),
        ((40, 30, 30), False, "set the date the reviews are due"),
    ],
)
def test_scoring_needs_valid_criteria_and_a_due_date(staff, weights, due, message):
    jury = make_jury(phase=JuryPhase.PREPARATION)
    for criterion_row, weight in zip(jury.criteria.order_by("position"), weights, strict=True):
        Criterion.objects.filter(pk=criterion_row.pk).update(weight=weight)
    if not due:
        Jury.objects.filter(pk=jury.pk).update(due_on=None)
    jury.refresh_from_db()

    with pytest.raises(WorkflowError, match=message):
        transition_jury(
            jury=jury,
            actor=staff,
            transition_name="start_scoring",
            expected_state=JuryPhase.PREPARATION,
        )


def test_stale_phase_change_is_refused(staff):
    jury = make_jury(phase=JuryPhase.SCORING)

    with pytest.raises(WorkflowError, match="Someone else changed this meanwhile"):
        transition_jury(
            jury=jury, actor=staff, transition_name="close", expected_state=JuryPhase.DISCUSSION
        )


def test_reviews_survive_the_close(staff):
    jury = make_jury(phase=JuryPhase.SCORING)
    review = scored(assign(make_juror(jury), in_review(jury.call)), [5, 5, 3])

    transition_jury(
        jury=jury, actor=staff, transition_name="close", expected_state=JuryPhase.SCORING
    )

    review.refresh_from_db()
    assert review.state == "submitted"
