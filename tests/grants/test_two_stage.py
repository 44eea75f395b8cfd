"""Two-stage calls (issue 21): the link between a concept call and its full-proposal call,
the full proposal an invited team starts from its concept (once, with what it wrote), who
may start one, and withdrawal carrying over."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from accounts.roles import Role
from core.errors import WorkflowError
from grants.models import Answer, Application, Call, TeamMember
from grants.services.applications import start_application, withdraw_application
from grants.services.stages import start_full_proposal
from grants.states import ApplicationState as S
from grants.states import CallStage, CallState, QuestionKind
from tests.factories import CallFactory, FundFactory, answer_text, make_user
from tests.two_stage import add_question, concept_in, two_stage_calls
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        list(Application.objects.order_by("pk").values_list("pk", "state", "concept_id")),
        TransitionLog.objects.count(),
        Answer.objects.count(),
        TeamMember.objects.count(),
    )


# The link between the stages ------------------------------------------------------------


def test_a_concept_call_links_to_a_later_full_call_of_the_same_fund():
    concept_call, full_call = two_stage_calls()
    concept_call.full_clean(exclude=["state"])  # valid
    assert full_call.previous_stage == concept_call


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"stage": CallStage.SINGLE}, "Only a concept call links to a full-proposal call."),
        ({"stage": CallStage.FULL}, "Only a concept call links to a full-proposal call."),
    ],
)
def test_only_a_concept_call_links(change, message):
    concept_call, _full = two_stage_calls()
    for name, value in change.items():
        setattr(concept_call, name, value)
    with pytest.raises(ValidationError) as error:
        concept_call.full_clean(exclude=["state"])
    assert error.value.message_dict["next_stage"] == [message]


def test_the_link_goes_to_a_full_call_of_the_same_fund_that_closes_later():
    concept_call, full_call = two_stage_calls()
    single = CallFactory()
    concept_call.next_stage = single
    with pytest.raises(ValidationError) as error:
        concept_call.full_clean(exclude=["state"])
    assert error.value.message_dict["next_stage"] == ["Choose a full-proposal call."]

    other_fund = CallFactory(
        stage=CallStage.FULL, fund=FundFactory(name="Other fund", reference_prefix="XYZ")
    )
    concept_call.next_stage = other_fund
    with pytest.raises(ValidationError) as error:
        concept_call.full_clean(exclude=["state"])
    assert error.value.message_dict["next_stage"] == ["Choose a call of the same fund."]

    concept_call.next_stage = full_call
    for closes in (concept_call.closes_at, concept_call.closes_at - dt.timedelta(days=1)):
        full_call.closes_at = closes  # on and before the concept's closing: refused
        with pytest.raises(ValidationError) as error:
            concept_call.full_clean(exclude=["state"])
        assert error.value.message_dict["next_stage"] == [
            "The full-proposal call must close after this call."
        ]
    full_call.closes_at = concept_call.closes_at + dt.timedelta(days=1)  # the day after: fine
    concept_call.full_clean(exclude=["state"])


def test_a_concept_call_needs_no_money_but_its_full_call_to_open():
    concept_call, _full = two_stage_calls()
    assert concept_call.missing_rules() == []
    concept_call.next_stage = None
    assert concept_call.missing_rules() == ["full-proposal call"]
    single = CallFactory(budget=None)
    assert single.missing_rules() == ["budget (€)"]


# Starting a full proposal ----------------------------------------------------------------


def test_an_invited_team_starts_its_full_proposal_with_what_its_concept_said():
    concept_call, full_call = two_stage_calls()
    add_question(concept_call, "pitch")
    add_question(full_call, "pitch")
    add_question(full_call, "risks")
    concept = concept_in(concept_call, members=["ada@example.org"])
    Answer.objects.create(
        application=concept, question=concept_call.questions.get(key="pitch"), text="In short."
    )

    full = start_full_proposal(concept=concept, actor=concept.owner)

    assert full.call == full_call
    assert full.state == S.DRAFT
    assert full.concept == concept
    assert full.owner == concept.owner
    assert (full.title, full.summary, full.track.key, full.topic_id) == (
        concept.title,
        concept.summary,
        concept.track.key,
        concept.topic_id,
    )
    assert full.track.call == full_call  # the full call's track of the concept's key
    assert answer_text(full, "pitch") == "In short."
    assert answer_text(full, "societal_challenge") == answer_text(concept, "societal_challenge")
    assert answer_text(full, "risks") == ""
    assert list(full.team_members.values_list("name", "email", "invited_at")) == [
        ("Member 0", "ada@example.org", None)
    ]
    assert full.reference.startswith(f"CTF-{full_call.year}-{full_call.round_number}-")
    # The full proposal's log starts as every draft's does, naming its concept; the
    # concept's log says that its full proposal was started.
    (started,) = TransitionLog.objects.filter(object_id=full.pk, content_type__model="application")
    assert (started.action, started.to_state, started.data["concept"]) == (
        "grants.application.created",
        S.DRAFT,
        concept.reference,
    )
    entry = TransitionLog.objects.get(
        object_id=concept.pk, action="grants.application.full_proposal_started"
    )
    assert (entry.from_state, entry.to_state, entry.data["full"]) == (
        S.INVITED,
        S.INVITED,
        full.reference,
    )
    # Both are on the team's own timelines.
    assert (started.visible_to_applicant, entry.visible_to_applicant) == (True, True)


def test_starting_again_opens_the_same_full_proposal():
    concept_call, _full_call = two_stage_calls()
    concept = concept_in(concept_call)
    first = start_full_proposal(concept=concept, actor=concept.owner)
    before = snapshot()
    again = start_full_proposal(concept=concept, actor=concept.owner)
    assert again.pk == first.pk
    assert snapshot() == before
    assert Application.objects.filter(concept=concept).count() == 1


@pytest.mark.parametrize(
    ("state", "message"),
    [
        (S.NOT_INVITED, "Only an invited concept leads to a full proposal."),
        (S.REVIEWED, "Only an invited concept leads to a full proposal."),
        (S.WITHDRAWN, "This concept was withdrawn, and its invitation with it."),
    ],
)
def test_only_an_invited_concept_leads_to_a_full_proposal(state, message):
    concept_call, _full_call = two_stage_calls()
    concept = concept_in(concept_call, state=state)
    before = snapshot()
    with pytest.raises(WorkflowError) as error:
        start_full_proposal(concept=concept, actor=concept.owner)
    assert error.value.message == message
    assert snapshot() == before


def test_nobody_but_the_owner_starts_it():
    concept_call, _full_call = two_stage_calls()
    concept = concept_in(concept_call)
    before = snapshot()
    for someone in (make_user(Role.APPLICANT), make_user(Role.STAFF)):
        with pytest.raises(WorkflowError):
            start_full_proposal(concept=concept, actor=someone)
    assert snapshot() == before


def test_the_full_stage_must_accept_proposals(time_machine):
    concept_call, full_call = two_stage_calls()
    opens = timezone.now() + dt.timedelta(days=2)
    type(full_call).objects.filter(pk=full_call.pk).update(opens_at=opens)
    concept = concept_in(concept_call)
    before = snapshot()
    with translation.override("en"), pytest.raises(WorkflowError) as error:
        start_full_proposal(concept=concept, actor=concept.owner)  # the day before it opens
    assert error.value.message.startswith("The full-proposal stage opens on ")
    assert snapshot() == before
    time_machine.move_to(opens)  # the moment it opens
    assert start_full_proposal(concept=concept, actor=concept.owner).call == full_call
    concept_2 = concept_in(concept_call)
    time_machine.move_to(full_call.closes_at)  # closed
    with pytest.raises(WorkflowError) as error:
        start_full_proposal(concept=concept_2, actor=concept_2.owner)
    assert error.value.message == "The full-proposal stage does not accept proposals now."


def test_nobody_applies_to_a_full_call_directly():
    _concept_call, full_call = two_stage_calls()
    before = snapshot()
    with pytest.raises(WorkflowError) as error:
        start_application(call=full_call, actor=make_user(Role.APPLICANT))
    assert error.value.message.startswith("Only teams invited after the concept stage")
    assert snapshot() == before


# Withdrawal carries over -------------------------------------------------------------------


def test_withdrawing_an_invited_concept_withdraws_the_invitation():
    concept_call, _full_call = two_stage_calls()
    concept = concept_in(concept_call)
    withdraw_application(application=concept, actor=concept.owner, expected_state=S.INVITED)
    concept.refresh_from_db()
    assert concept.state == S.WITHDRAWN
    with pytest.raises(WorkflowError):
        start_full_proposal(concept=concept, actor=concept.owner)
    assert not Application.objects.filter(concept=concept).exists()


def test_withdrawing_the_concept_withdraws_its_full_proposal():
    concept_call, _full_call = two_stage_calls()
    concept = concept_in(concept_call)
    full = start_full_proposal(concept=concept, actor=concept.owner)
    withdraw_application(application=concept, actor=concept.owner, expected_state=S.INVITED)
    full.refresh_from_db()
    assert full.state == S.WITHDRAWN
    entry = TransitionLog.objects.get(object_id=full.pk, action="grants.application.withdrawn")
    assert entry.note == f"Withdrawn with its concept {concept.reference}."


def test_a_not_invited_concept_can_no_longer_be_withdrawn():
    concept_call, _full_call = two_stage_calls()
    concept = concept_in(concept_call, state=S.NOT_INVITED)
    before = snapshot()
    with pytest.raises(WorkflowError):
        withdraw_application(application=concept, actor=concept.owner, expected_state=S.NOT_INVITED)
    assert snapshot() == before


# Pages -------------------------------------------------------------------------------------


def test_the_invited_team_starts_from_its_page(client):
    concept_call, full_call = two_stage_calls()
    concept = concept_in(concept_call)
    Application.objects.filter(pk=concept.pk).update(decision_feedback="Show the pilot.")
    client.force_login(concept.owner)
    page = client.get(reverse("application_detail", args=[concept.pk]))
    html = page.content.decode()
    assert "Decision on your concept" in html
    assert f"You are invited to write the full proposal in “{full_call.title}”" in html
    assert "Show the pilot." in html
    assert reverse("application_full_proposal", args=[concept.pk]) in html

    response = client.post(reverse("application_full_proposal", args=[concept.pk]))
    full = Application.objects.get(concept=concept)
    assert response.status_code == 302
    assert response["Location"] == reverse("application_edit", args=[full.pk])
    page = client.get(reverse("application_detail", args=[concept.pk])).content.decode()
    assert reverse("application_edit", args=[full.pk]) in page
    assert "Open your full proposal" in page
    full_page = client.get(reverse("application_detail", args=[full.pk])).content.decode()
    assert reverse("application_detail", args=[concept.pk]) in full_page


def test_a_team_not_invited_keeps_its_feedback(client):
    concept_call, _full_call = two_stage_calls()
    concept = concept_in(concept_call, state=S.NOT_INVITED)
    Application.objects.filter(pk=concept.pk).update(decision_feedback="Too close to X.")
    client.force_login(concept.owner)
    with translation.override("de"):
        html = client.get(
            reverse("application_detail", args=[concept.pk]), HTTP_ACCEPT_LANGUAGE="de"
        ).content.decode()
    assert "Too close to X." in html
    assert "Start the full proposal" not in html


def test_a_refused_start_is_a_message_not_an_error(client):
    concept_call, full_call = two_stage_calls()
    concept = concept_in(concept_call)
    type(full_call).objects.filter(pk=full_call.pk).update(state=CallState.CLOSED)
    client.force_login(concept.owner)
    response = client.post(reverse("application_full_proposal", args=[concept.pk]), follow=True)
    assert response.redirect_chain == [(reverse("application_detail", args=[concept.pk]), 302)]
    assert "The full-proposal stage does not accept proposals now." in response.content.decode()
    assert not Application.objects.filter(concept=concept).exists()


def test_the_full_call_page_offers_no_start(client):
    _concept_call, full_call = two_stage_calls()
    client.force_login(make_user(Role.APPLICANT))
    html = client.get(reverse("call_detail", args=[full_call.slug])).content.decode()
    assert "only teams invited after the concept stage write a full proposal here" in html
    assert reverse("application_start", args=[full_call.slug]) not in html
    response = client.post(reverse("application_start", args=[full_call.slug]), follow=True)
    assert "Only teams invited after the concept stage can apply" in response.content.decode()
    assert not Application.objects.filter(call=full_call).exists()


@pytest.mark.parametrize("kind", [QuestionKind.FILE])
def test_file_answers_are_not_carried_over(kind):
    concept_call, full_call = two_stage_calls()
    add_question(full_call, "plan", kind=kind, required=False)
    add_question(concept_call, "plan", kind=kind, required=False)
    concept = concept_in(concept_call)
    full = start_full_proposal(concept=concept, actor=concept.owner)
    assert not Answer.objects.filter(application=full, question__key="plan").exists()


def test_staff_link_the_stages_on_the_call_form(client):
    from tests.grants.staff.helpers import sign_in_with_mfa
    from tests.grants.staff.test_calls import form_data

    _concept_call, full_call = two_stage_calls()
    lonely_full = CallFactory(
        stage=CallStage.FULL, closes_at=timezone.now() + dt.timedelta(days=90)
    )
    staff = make_user(Role.STAFF)
    sign_in_with_mfa(client, staff)
    page = client.get(reverse("staff_call_create")).content.decode()
    assert f'<option value="{lonely_full.pk}">' in page
    assert f'<option value="{full_call.pk}">' not in page  # linked from another concept already
    closing = timezone.localdate() + dt.timedelta(days=30)
    data = form_data(
        slug="concept-1",
        round_number="77",
        year=str(closing.year),
        opens_at="",
        closing_day=closing.isoformat(),
        stage="concept",
        next_stage=str(lonely_full.pk),
        budget="",
    )
    response = client.post(reverse("staff_call_create"), data)
    assert response.status_code == 302
    created = Call.objects.get(slug="concept-1")
    assert (created.stage, created.next_stage, created.budget) == ("concept", lonely_full, None)

    another_full = CallFactory(stage=CallStage.FULL)
    refused = client.post(
        reverse("staff_call_create"),
        form_data(slug="single-1", round_number="78", next_stage=str(another_full.pk)),
    )
    assert refused.status_code == 200
    assert "Only a concept call links to a full-proposal call." in refused.content.decode()
    assert not Call.objects.filter(slug="single-1").exists()
