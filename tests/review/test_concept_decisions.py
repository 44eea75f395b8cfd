"""The decision on a concept (the first of two stages): invite or not invite, without money,
with feedback the team reads in its e-mail (in its language) and on its page; a conflict of
interest declared on a concept carries over to the full proposal's jury."""

import pytest
from django.urls import reverse

from core.errors import WorkflowError
from grants.models import Application
from grants.services.stages import start_full_proposal
from grants.states import ApplicationState as S
from review.models import ConflictOfInterest
from review.services.conflicts import suggest_conflicts
from review.services.decisions import decide_application
from review.states import ConflictKind, ConflictStatus, Decision
from tests.accounts.helpers import sign_in
from tests.review.helpers import assign, conflict, make_juror, make_jury, scored
from tests.two_stage import concept_in, two_stage_calls
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db


def state_of(application):
    return Application.objects.values_list("state", "decision_feedback", "awarded_amount").get(
        pk=application.pk
    )


@pytest.mark.parametrize(
    ("decision", "state", "subject"),
    [
        (Decision.INVITE, S.INVITED, "you are invited to the full proposal"),
        (Decision.NOT_INVITE, S.NOT_INVITED, "Decision on your concept"),
    ],
)
def test_staff_invite_or_not_with_feedback(
    staff, decision, state, subject, mailoutbox, django_capture_on_commit_callbacks
):
    concept_call, _full = two_stage_calls()
    concept = concept_in(concept_call, state=S.REVIEWED)
    with django_capture_on_commit_callbacks(execute=True):
        decide_application(
            application=concept,
            actor=staff,
            decision=decision,
            expected_state=S.REVIEWED,
            feedback="  Show the pilot.  ",
        )
    assert state_of(concept) == (state, "Show the pilot.", None)
    assert TransitionLog.objects.filter(
        object_id=concept.pk, action=f"grants.application.{state}", to_state=state
    ).exists()
    (mail,) = mailoutbox
    assert subject in mail.subject
    assert "Show the pilot." in mail.body
    assert reverse("application_detail", args=[concept.pk]) in mail.body


def test_the_e_mail_is_in_the_teams_language(staff, mailoutbox, django_capture_on_commit_callbacks):
    concept_call, _full = two_stage_calls()
    concept = concept_in(concept_call, state=S.REVIEWED)
    type(concept.owner).objects.filter(pk=concept.owner.pk).update(language="de")
    with django_capture_on_commit_callbacks(execute=True):
        decide_application(
            application=concept, actor=staff, decision=Decision.INVITE, expected_state=S.REVIEWED
        )
    assert "Vollantrag" in mailoutbox[0].subject


@pytest.mark.parametrize("decision", [Decision.APPROVE, Decision.WAITLIST, Decision.REJECT])
def test_a_concept_is_not_decided_with_money(staff, decision):
    concept_call, _full = two_stage_calls()
    concept = concept_in(concept_call, state=S.REVIEWED)
    before = state_of(concept), TransitionLog.objects.count()
    with pytest.raises(WorkflowError) as error:
        decide_application(
            application=concept, actor=staff, decision=decision, expected_state=S.REVIEWED
        )
    assert error.value.message == (
        f"{concept.reference} is a concept: invite the team to the full proposal or do not."
    )
    assert (state_of(concept), TransitionLog.objects.count()) == before


@pytest.mark.parametrize("decision", [Decision.INVITE, Decision.NOT_INVITE])
def test_only_concepts_are_invited(staff, decision):
    _concept_call, full_call = two_stage_calls()
    application = concept_in(full_call, state=S.REVIEWED)
    before = state_of(application), TransitionLog.objects.count()
    with pytest.raises(WorkflowError) as error:
        decide_application(
            application=application, actor=staff, decision=decision, expected_state=S.REVIEWED
        )
    assert "only concepts are invited" in error.value.message
    assert (state_of(application), TransitionLog.objects.count()) == before


def test_feedback_has_a_bound(staff):
    concept_call, _full = two_stage_calls()
    concept = concept_in(concept_call, state=S.REVIEWED)
    with pytest.raises(WorkflowError) as error:
        decide_application(
            application=concept,
            actor=staff,
            decision=Decision.INVITE,
            expected_state=S.REVIEWED,
            feedback="x" * 2001,
        )
    assert error.value.field_errors["feedback"]
    assert state_of(concept) == (S.REVIEWED, "", None)


def test_the_team_of_a_concept_does_not_decide(staff):
    concept_call, _full = two_stage_calls()
    concept = concept_in(concept_call, state=S.REVIEWED)
    with pytest.raises(WorkflowError):
        decide_application(
            application=concept,
            actor=concept.owner,
            decision=Decision.INVITE,
            expected_state=S.REVIEWED,
        )
    assert state_of(concept) == (S.REVIEWED, "", None)


def test_the_staff_page_decides_a_concept_without_money(client, staff):
    concept_call, _full = two_stage_calls()
    concept = concept_in(concept_call, state=S.REVIEWED)
    make_jury(concept_call)
    sign_in(client, staff)
    page = reverse("staff_application_jury", kwargs={"pk": concept.pk})
    html = client.get(page).content.decode()
    assert "Invite to the full proposal" in html
    assert "Do not invite" in html
    assert "Awarded amount" not in html
    assert 'value="approve"' not in html
    refused = client.post(
        reverse("staff_application_decide", kwargs={"pk": concept.pk}),
        {"decision": "approve", "expected_state": "reviewed"},
    )
    assert refused.status_code == 200
    assert state_of(concept) == (S.REVIEWED, "", None)
    done = client.post(
        reverse("staff_application_decide", kwargs={"pk": concept.pk}),
        {"decision": "invite", "feedback": "Well argued.", "expected_state": "reviewed"},
    )
    assert done.status_code == 302
    assert state_of(concept) == (S.INVITED, "Well argued.", None)


def test_a_conflict_declared_on_the_concept_holds_for_the_full_proposal():
    concept_call, full_call = two_stage_calls()
    concept = concept_in(concept_call)
    concept_jury = make_jury(concept_call)
    juror = make_juror(concept_jury)
    other = make_juror(concept_jury)
    conflict(juror, concept, kind=ConflictKind.ORGANISATION)
    full = start_full_proposal(concept=concept, actor=concept.owner)
    Application.objects.filter(pk=full.pk).update(state=S.IN_REVIEW)
    full_jury = make_jury(full_call)
    for member in (juror, other):
        full_jury.members.create(user=member, email=member.email)
    review = assign(juror, Application.objects.get(pk=full.pk))

    suggest_conflicts(jury=full_jury)

    carried = ConflictOfInterest.objects.get(juror=juror, application=full)
    assert (carried.status, carried.kind, carried.reasons) == (
        ConflictStatus.DECLARED,
        ConflictKind.ORGANISATION,
        {"concept": concept.reference},
    )
    review.assignment.refresh_from_db()
    assert review.assignment.released_at is not None
    assert not ConflictOfInterest.objects.filter(juror=other, application=full).exists()
    logged = TransitionLog.objects.get(action="review.jury.conflicts_suggested")
    assert (logged.object_id, logged.data) == (
        full_jury.pk,
        {"count": 0, "hard": 0, "carried_over": 1, "released": 1},
    )
    assert suggest_conflicts(jury=full_jury) == 0  # once
    assert scored  # the helper module is the one the other jury tests use


def test_carrying_over_skips_a_pair_already_hard_and_turns_a_suggestion_into_it():
    concept_call, full_call = two_stage_calls()
    concept = concept_in(concept_call)
    owner, juror = concept.owner, make_juror(make_jury(concept_call))
    conflict(owner, concept)  # first: on the full proposal it is her own, a hard conflict
    conflict(juror, concept, kind=ConflictKind.ORGANISATION)
    full = start_full_proposal(concept=concept, actor=owner)
    Application.objects.filter(pk=full.pk).update(state=S.IN_REVIEW)
    full_jury = make_jury(full_call)
    for member in (owner, juror):
        full_jury.members.create(user=member, email=member.email)
    suggested = ConflictOfInterest.objects.create(
        juror=juror, application=full, status=ConflictStatus.SUGGESTED, reasons={"names": ["x"]}
    )

    assert suggest_conflicts(jury=full_jury) == 2  # the owner's added, the suggestion changed

    rows = ConflictOfInterest.objects.filter(application=full).order_by("pk")
    assert [(row.pk, row.juror, row.status, row.reasons) for row in rows] == [
        (suggested.pk, juror, ConflictStatus.DECLARED, {"concept": concept.reference}),
        (rows[1].pk, owner, ConflictStatus.HARD, {"own": "owner"}),
    ]
    logged = TransitionLog.objects.get(action="review.jury.conflicts_suggested")
    assert logged.data == {"count": 0, "hard": 1, "carried_over": 1, "released": 0}


def test_a_concept_call_without_a_jury_is_decided_on_its_page(client, staff):
    concept_call, _full = two_stage_calls()
    concept = concept_in(concept_call, state=S.REVIEWED)
    sign_in(client, staff)
    page = client.get(reverse("staff_application_jury", kwargs={"pk": concept.pk}))
    assert page.status_code == 200
    assert "No review has been submitted yet." in page.content.decode()
    done = client.post(
        reverse("staff_application_decide", kwargs={"pk": concept.pk}),
        {"decision": "not_invite", "feedback": "Too early.", "expected_state": "reviewed"},
    )
    assert done.status_code == 302
    assert state_of(concept) == (S.NOT_INVITED, "Too early.", None)
