"""Decisions: approve (an award of at most the requested amount, within the budget), waitlist,
reject, in bulk all or nothing; e-mails with the jury's feedback; the waiting list moving up."""

from decimal import Decimal

import pytest
from django.utils import timezone, translation

from core.errors import WorkflowError
from grants.models import Application
from grants.states import ApplicationState as S
from review.services.conflicts import declare_conflict
from review.services.decisions import decide_application, decide_applications, jury_feedback
from review.states import ConflictKind, ConflictStatus, Decision, JuryPhase
from tests.factories import make_user, set_state
from tests.review.helpers import (
    assign,
    budget_call,
    conflict,
    in_review,
    make_juror,
    make_jury,
    scored,
)
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def call():
    return budget_call("100000.00")


def reviewed(call, amount="40000.00", state=S.REVIEWED, **kwargs):
    application = in_review(call, state=state, **kwargs)
    Application.objects.filter(pk=application.pk).update(requested_amount=D(amount))
    application.refresh_from_db()
    return application


def test_approve_awards_at_most_the_request_and_records_when(
    staff, call, mailoutbox, django_capture_on_commit_callbacks
):
    application = reviewed(call)

    with django_capture_on_commit_callbacks(execute=True):
        decided = decide_application(
            application=application,
            actor=staff,
            decision=Decision.APPROVE,
            expected_state=S.REVIEWED,
            awarded_amount=D("35000.00"),
            note="Less travel.",
        )

    decided.refresh_from_db()
    assert decided.state == S.APPROVED
    assert decided.awarded_amount == D("35000.00")
    assert decided.decided_at is not None
    entry = TransitionLog.objects.get(action="grants.application.approved")
    assert (entry.action, entry.note, entry.data) == (
        "grants.application.approved",
        "Less travel.",
        {"awarded_amount": "35000.00"},
    )
    assert call.committed_amount() == D("35000.00")
    assert (
        mailoutbox[0].subject
        == f"[Civic Tech Fund] Your application {application.reference} has been approved"
    )
    assert "with an award of €35,000.00" in mailoutbox[0].body


def test_approve_defaults_to_the_requested_amount(staff, call):
    application = reviewed(call)

    decide_application(
        application=application, actor=staff, decision=Decision.APPROVE, expected_state=S.REVIEWED
    )

    assert Application.objects.get(pk=application.pk).awarded_amount == D("40000.00")


def test_the_refusal_writes_the_requested_amount_in_german_as_germans_do(staff, call):
    application = reviewed(call)

    with translation.override("de"), pytest.raises(WorkflowError) as refused:
        decide_application(
            application=application,
            actor=staff,
            decision=Decision.APPROVE,
            expected_state=S.REVIEWED,
            awarded_amount=D("40000.01"),
        )

    assert "40.000,00\u00a0€" in refused.value.message


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("40000.01", "the award must be more than 0 € and at most the requested €40,000.00"),
        ("0.00", "the award must be more than 0 €"),
    ],
)
def test_an_award_above_the_request_is_refused(staff, call, amount, message):
    application = reviewed(call)

    with pytest.raises(WorkflowError, match=message):
        decide_application(
            application=application,
            actor=staff,
            decision=Decision.APPROVE,
            expected_state=S.REVIEWED,
            awarded_amount=D(amount),
        )

    application.refresh_from_db()
    assert (application.state, application.awarded_amount, application.decided_at) == (
        S.REVIEWED,
        None,
        None,
    )


def test_the_budget_is_never_exceeded(staff, call):
    first, second, third = (
        reviewed(call, "60000.00"),
        reviewed(call, "40000.00"),
        reviewed(call, "0.02"),
    )

    decide_application(
        application=first, actor=staff, decision=Decision.APPROVE, expected_state=S.REVIEWED
    )
    decide_application(
        application=second, actor=staff, decision=Decision.APPROVE, expected_state=S.REVIEWED
    )
    with pytest.raises(
        WorkflowError, match=r"does not fit: only €0.00 of the call's budget are left"
    ):
        decide_application(
            application=third, actor=staff, decision=Decision.APPROVE, expected_state=S.REVIEWED
        )

    assert call.committed_amount() == D("100000.00")
    assert Application.objects.get(pk=third.pk).state == S.REVIEWED


def test_money_of_a_withdrawn_award_is_free_again(staff, call):
    first, second = reviewed(call, "60000.00"), reviewed(call, "60000.00", state=S.WAITLISTED)
    decide_application(
        application=first, actor=staff, decision=Decision.APPROVE, expected_state=S.REVIEWED
    )
    set_state(first, S.WITHDRAWN)

    decide_application(
        application=second, actor=staff, decision=Decision.APPROVE, expected_state=S.WAITLISTED
    )

    assert call.committed_amount() == D("60000.00")


@pytest.mark.parametrize("decision", [Decision.WAITLIST, Decision.REJECT])
def test_waitlist_and_reject_award_nothing(
    staff, call, decision, mailoutbox, django_capture_on_commit_callbacks
):
    application = reviewed(call)

    with django_capture_on_commit_callbacks(execute=True):
        decide_application(
            application=application, actor=staff, decision=decision, expected_state=S.REVIEWED
        )

    application.refresh_from_db()
    assert (
        application.state
        == {Decision.WAITLIST: S.WAITLISTED, Decision.REJECT: S.REJECTED}[decision]
    )
    assert application.awarded_amount is None
    assert application.decided_at is not None
    assert len(mailoutbox) == 1


@pytest.mark.parametrize(
    ("state", "decision", "allowed"),
    [
        (S.REVIEWED, Decision.APPROVE, True),
        (S.REVIEWED, Decision.WAITLIST, True),
        (S.REVIEWED, Decision.REJECT, True),
        (S.WAITLISTED, Decision.APPROVE, True),
        (S.WAITLISTED, Decision.WAITLIST, False),
        (S.WAITLISTED, Decision.REJECT, True),
        (S.IN_REVIEW, Decision.APPROVE, False),
        (S.APPROVED, Decision.REJECT, False),
        (S.REJECTED, Decision.APPROVE, False),
        (S.FUNDED, Decision.WAITLIST, False),
    ],
)
def test_decisions_follow_the_workflow(staff, call, state, decision, allowed):
    make_jury(call, phase=JuryPhase.CLOSED)  # the reviews are in (an application in review)
    application = reviewed(call, state=state)

    if allowed:
        decide_application(
            application=application, actor=staff, decision=decision, expected_state=state
        )
        assert Application.objects.get(pk=application.pk).state != state
    else:
        with pytest.raises(WorkflowError, match="cannot be decided in its current state"):
            decide_application(
                application=application, actor=staff, decision=decision, expected_state=state
            )
        assert Application.objects.get(pk=application.pk).state == state


def test_a_stale_decision_is_refused(staff, call):
    application = reviewed(call, state=S.WAITLISTED)

    with pytest.raises(WorkflowError, match="Someone else changed this meanwhile"):
        decide_application(
            application=application,
            actor=staff,
            decision=Decision.REJECT,
            expected_state=S.REVIEWED,
        )


def test_only_staff_decide(call):
    application = reviewed(call)
    jury = make_jury(call)
    juror = make_juror(jury)
    assign(juror, application)

    for actor in (juror, application.owner, make_user()):
        with pytest.raises(WorkflowError):
            decide_application(
                application=application,
                actor=actor,
                decision=Decision.APPROVE,
                expected_state=S.REVIEWED,
            )
    assert Application.objects.get(pk=application.pk).state == S.REVIEWED


def test_decision_emails_carry_the_feedback_for_the_applicant_only(
    staff, call, mailoutbox, django_capture_on_commit_callbacks
):
    jury = make_jury(call)
    application = reviewed(call)
    reviews = [assign(make_juror(jury), application) for _ in range(3)]
    scored(
        reviews[0],
        [8, 7, 4],
        for_applicant="Focus on the pilot municipalities.",
        for_staff="Secret staff note",
    )
    scored(reviews[1], [6, 6, 3], for_applicant="Great team.")
    scored(reviews[2], [6, 6, 3], submitted=False, for_applicant="Unsubmitted draft words")

    with django_capture_on_commit_callbacks(execute=True):
        decide_application(
            application=application,
            actor=staff,
            decision=Decision.REJECT,
            expected_state=S.REVIEWED,
        )

    body = mailoutbox[0].body
    assert (
        "Feedback from the jury:\n\n– Focus on the pilot municipalities.\n\n– Great team." in body
    )
    assert "Secret staff note" not in body
    assert "Unsubmitted draft words" not in body
    for review in reviews:
        assert review.assignment.juror.full_name not in body
    html = mailoutbox[0].alternatives[0][0]
    assert "<p>– Great team.</p>" in html
    assert jury_feedback([application.pk]) == {
        application.pk: ["Focus on the pilot municipalities.", "Great team."]
    }


@pytest.mark.parametrize("bulk", [False, True], ids=["one", "bulk"])
def test_only_reviews_that_count_give_feedback(
    staff, call, bulk, mailoutbox, django_capture_on_commit_callbacks
):
    """Issue 15, item 12: a juror released from the application (replaced, or conflicted
    after submitting) or behind it gives no feedback; the others do."""
    jury = make_jury(call)
    application = reviewed(call)
    counted = assign(make_juror(jury), application)
    scored(counted, [8, 7, 4], for_applicant="Counted feedback.")
    released = assign(make_juror(jury), application, released=True)
    scored(released, [2, 2, 1], for_applicant="Feedback of a replaced juror.")
    conflicted_later = scored(
        assign(make_juror(jury), application),
        [3, 3, 2],
        for_applicant="Feedback before a conflict.",
    )
    declare_conflict(
        application_id=application.pk,
        actor=conflicted_later.assignment.juror,
        kind=ConflictKind.PERSONAL,
    )
    suggested = scored(
        assign(make_juror(jury), application),
        [4, 4, 2],
        for_applicant="Feedback under a suggested conflict.",
    )
    conflict(suggested.assignment.juror, application, status=ConflictStatus.SUGGESTED)
    owner = make_juror(jury)
    Application.objects.filter(pk=application.pk).update(owner=owner)
    scored(assign(owner, application), [10, 10, 5], for_applicant="Feedback on my own work.")

    with django_capture_on_commit_callbacks(execute=True):
        if bulk:
            decide_applications(
                call=call, decisions=[(application.pk, Decision.REJECT)], actor=staff
            )
        else:
            decide_application(
                application=application,
                actor=staff,
                decision=Decision.REJECT,
                expected_state=S.REVIEWED,
            )

    body = mailoutbox[0].body
    assert "Feedback from the jury:\n\n– Counted feedback.\n" in body
    for text in (
        "replaced juror",
        "before a conflict",
        "under a suggested conflict",
        "my own work",
    ):
        assert text not in body
    assert jury_feedback([application.pk]) == {application.pk: ["Counted feedback."]}


def test_bulk_decisions_are_all_or_nothing(staff, call, django_capture_on_commit_callbacks):
    fits, too_much, rejected, also_too_much = (
        reviewed(call, "60000.00"),
        reviewed(call, "50000.00"),
        reviewed(call),
        reviewed(call, "45000.00"),
    )

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(WorkflowError) as refusal,
    ):
        decide_applications(
            call=call,
            decisions=[
                (fits.pk, Decision.APPROVE),
                (too_much.pk, Decision.APPROVE),
                (rejected.pk, Decision.REJECT),
                (also_too_much.pk, Decision.APPROVE),
            ],
            actor=staff,
        )

    assert str(refusal.value.message).startswith("Nothing was decided, because:")
    # Every refusal is named, not only the first.
    assert too_much.reference in str(refusal.value.message)
    assert also_too_much.reference in str(refusal.value.message)
    assert set(Application.objects.values_list("state", flat=True)) == {S.REVIEWED}
    assert callbacks == []  # nobody is e-mailed about a decision that did not happen


def test_bulk_decisions(staff, call, mailoutbox, django_capture_on_commit_callbacks):
    approved, waitlisted, rejected = reviewed(call), reviewed(call), reviewed(call)
    other_call = reviewed(budget_call())

    with django_capture_on_commit_callbacks(execute=True):
        done = decide_applications(
            call=call,
            decisions=[
                (approved.pk, "approve"),
                (waitlisted.pk, "waitlist"),
                (rejected.pk, "reject"),
            ],
            actor=staff,
        )

    assert done == {"approve": 1, "waitlist": 1, "reject": 1}
    assert len(mailoutbox) == 3
    with pytest.raises(WorkflowError, match="do not belong to this call"):
        decide_applications(call=call, decisions=[(other_call.pk, "reject")], actor=staff)
    with pytest.raises(WorkflowError, match="Select at least one application"):
        decide_applications(call=call, decisions=[], actor=staff)


def test_decided_at_is_the_moment_of_the_decision(staff, call, time_machine):
    moment = timezone.now().replace(microsecond=0)
    time_machine.move_to(moment, tick=False)
    application = reviewed(call)

    decide_application(
        application=application, actor=staff, decision=Decision.REJECT, expected_state=S.REVIEWED
    )

    assert Application.objects.get(pk=application.pk).decided_at == moment


def test_a_note_of_2000_characters_is_kept_and_one_more_is_refused(staff, call):
    application = reviewed(call)

    with pytest.raises(WorkflowError, match="The note is too long"):
        decide_application(
            application=application,
            actor=staff,
            decision=Decision.WAITLIST,
            expected_state=S.REVIEWED,
            note="x" * 2001,
        )
    assert (Application.objects.get(pk=application.pk).state, TransitionLog.objects.count()) == (
        S.REVIEWED,
        0,
    )

    decide_application(
        application=application,
        actor=staff,
        decision=Decision.WAITLIST,
        expected_state=S.REVIEWED,
        note="x" * 2000,
    )
    entry = TransitionLog.objects.get(action="grants.application.waitlisted")
    assert (entry.object_id, entry.note) == (application.pk, "x" * 2000)


def test_a_bulk_reason_of_2000_characters_is_kept_and_one_more_is_refused(staff, call):
    first, second = reviewed(call), reviewed(call)
    decisions = [(first.pk, Decision.WAITLIST), (second.pk, Decision.REJECT)]

    with pytest.raises(WorkflowError, match="The reason is too long"):
        decide_applications(call=call, decisions=decisions, actor=staff, reason="x" * 2001)
    assert set(Application.objects.values_list("state", flat=True)) == {S.REVIEWED}

    done = decide_applications(call=call, decisions=decisions, actor=staff, reason="x" * 2000)

    assert done == {"waitlist": 1, "reject": 1}
    notes = TransitionLog.objects.filter(
        action__in=["grants.application.waitlisted", "grants.application.rejected"]
    ).values_list("object_id", "note")
    assert sorted(notes) == [(first.pk, "x" * 2000), (second.pk, "x" * 2000)]


def test_bulk_feedback_of_2000_characters_is_kept_and_one_more_is_refused(staff, call):
    application = reviewed(call)
    decisions = [(application.pk, Decision.REJECT)]

    with pytest.raises(WorkflowError) as refusal:
        decide_applications(
            call=call, decisions=decisions, actor=staff, feedback={application.pk: "x" * 2001}
        )
    assert list(refusal.value.field_errors) == ["feedback"]
    assert Application.objects.get(pk=application.pk).state == S.REVIEWED

    decide_applications(
        call=call, decisions=decisions, actor=staff, feedback={application.pk: "x" * 2000}
    )
    decided = Application.objects.get(pk=application.pk)
    assert (decided.state, decided.decision_feedback) == (S.REJECTED, "x" * 2000)
