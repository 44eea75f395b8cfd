"""An invitation to the full proposal is valid until a day (Berlin time): by default the
full-proposal call's closing day, earlier if staff choose, never after it and never in the
past. After that day the team can no longer start its full proposal."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from core.errors import WorkflowError
from grants.models import Answer, Application, TeamMember
from grants.services.stages import invitation_last_day, start_full_proposal
from grants.states import ApplicationState as S
from review.services.decisions import decide_application
from review.states import Decision
from tests.accounts.helpers import sign_in
from tests.two_stage import concept_in, two_stage_calls
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")


def noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=BERLIN)


def snapshot():
    return (
        list(
            Application.objects.order_by("pk").values_list(
                "pk", "state", "concept_id", "invitation_valid_until", "decision_feedback"
            )
        ),
        TransitionLog.objects.count(),
        Answer.objects.count(),
        TeamMember.objects.count(),
    )


def test_the_default_is_the_full_calls_closing_day():
    _concept_call, full_call = two_stage_calls()
    assert full_call.closing_day is not None
    assert invitation_last_day(full_call=full_call, requested=None) == full_call.closing_day


@pytest.mark.parametrize(
    ("offset", "valid"),
    [(-1, False), (0, True), (1, True)],
    ids=["yesterday", "today", "tomorrow"],
)
def test_never_in_the_past(offset, valid):
    _concept_call, full_call = two_stage_calls()
    requested = timezone.localdate() + dt.timedelta(days=offset)
    if valid:
        assert invitation_last_day(full_call=full_call, requested=requested) == requested
        return
    with pytest.raises(WorkflowError) as refusal:
        invitation_last_day(full_call=full_call, requested=requested)
    today = timezone.localdate()
    message = (
        f"The invitation cannot end in the past: choose {today:%-d %B %Y} or later."
    ).replace(" 0", " ")
    assert refusal.value.message == message
    assert refusal.value.field_errors == {"invitation_valid_until": [message]}


@pytest.mark.parametrize(
    ("offset", "valid"),
    [(-1, True), (0, True), (1, False)],
    ids=["the day before the deadline", "the deadline", "the day after"],
)
def test_never_after_the_full_calls_deadline(offset, valid):
    _concept_call, full_call = two_stage_calls()
    requested = full_call.closing_day + dt.timedelta(days=offset)
    if valid:
        assert invitation_last_day(full_call=full_call, requested=requested) == requested
        return
    with pytest.raises(WorkflowError) as refusal:
        invitation_last_day(full_call=full_call, requested=requested)
    assert refusal.value.message.startswith(
        "The invitation cannot last beyond the full-proposal call's deadline: choose "
    )
    assert list(refusal.value.field_errors) == ["invitation_valid_until"]


def test_an_invitation_carries_its_day_and_a_refusal_does_not(staff):
    concept_call, full_call = two_stage_calls()
    concept = concept_in(concept_call, state=S.REVIEWED)
    other = concept_in(concept_call, state=S.REVIEWED)
    decide_application(
        application=concept, actor=staff, decision=Decision.INVITE, expected_state=S.REVIEWED
    )
    earlier = timezone.localdate() + dt.timedelta(days=2)
    decide_application(
        application=other,
        actor=staff,
        decision=Decision.NOT_INVITE,
        expected_state=S.REVIEWED,
        invitation_valid_until=earlier,
    )
    assert Application.objects.get(pk=concept.pk).invitation_valid_until == full_call.closing_day
    assert Application.objects.get(pk=other.pk).invitation_valid_until is None


def test_an_invitation_beyond_the_deadline_changes_nothing(staff):
    concept_call, full_call = two_stage_calls()
    concept = concept_in(concept_call, state=S.REVIEWED)
    before = snapshot()
    with pytest.raises(WorkflowError):
        decide_application(
            application=concept,
            actor=staff,
            decision=Decision.INVITE,
            expected_state=S.REVIEWED,
            invitation_valid_until=full_call.closing_day + dt.timedelta(days=1),
        )
    assert snapshot() == before


@pytest.mark.parametrize(
    ("offset", "starts"),
    [(-1, True), (0, True), (1, False)],
    ids=["the day before", "on the day", "the day after"],
)
def test_starting_the_full_proposal_until_the_invitations_day(time_machine, offset, starts):
    concept_call, full_call = two_stage_calls()
    last_day = timezone.localdate() + dt.timedelta(days=3)
    concept = concept_in(concept_call, invitation_valid_until=last_day)
    time_machine.move_to(noon(last_day + dt.timedelta(days=offset)))
    if starts:
        assert start_full_proposal(concept=concept, actor=concept.owner).call == full_call
        return
    before = snapshot()
    with translation.override("de"), pytest.raises(WorkflowError) as refusal:
        start_full_proposal(concept=concept, actor=concept.owner)
    assert refusal.value.message.startswith("Ihre Einladung zum Vollantrag galt bis ")
    assert snapshot() == before


def test_a_full_proposal_started_in_time_stays_open(time_machine):
    concept_call, _full_call = two_stage_calls()
    last_day = timezone.localdate() + dt.timedelta(days=1)
    concept = concept_in(concept_call, invitation_valid_until=last_day)
    full = start_full_proposal(concept=concept, actor=concept.owner)
    time_machine.move_to(noon(last_day + dt.timedelta(days=2)))
    assert start_full_proposal(concept=concept, actor=concept.owner) == full


def test_the_teams_page_shows_the_day_and_then_that_it_passed(client, time_machine):
    concept_call, _full_call = two_stage_calls()
    last_day = timezone.localdate() + dt.timedelta(days=2)
    concept = concept_in(concept_call, invitation_valid_until=last_day)
    client.force_login(concept.owner)
    page = reverse("application_detail", args=[concept.pk])
    day = f"{last_day.day} {last_day:%B %Y}"
    html = client.get(page).content.decode()
    assert f"Your invitation is valid until {day}: start your full proposal by then." in html
    assert "Start the full proposal" in html
    time_machine.move_to(noon(last_day + dt.timedelta(days=1)))
    client.force_login(concept.owner)  # a new day, a new session
    html = client.get(page).content.decode()
    assert f"Your invitation was valid until {day}, so the full proposal" in html
    assert "Start the full proposal" not in html
    response = client.post(reverse("application_full_proposal", args=[concept.pk]), follow=True)
    assert response.redirect_chain == [(page, 302)]
    assert not Application.objects.filter(concept=concept).exists()


def test_staff_choose_the_day_on_the_decision_form(client, staff):
    concept_call, full_call = two_stage_calls()
    concept = concept_in(concept_call, state=S.REVIEWED)
    sign_in(client, staff)
    page = reverse("staff_application_jury", kwargs={"pk": concept.pk})
    html = client.get(page).content.decode()
    assert f'value="{full_call.closing_day:%Y-%m-%d}"' in html
    decide = reverse("staff_application_decide", kwargs={"pk": concept.pk})
    before = snapshot()
    for value, message in (
        ((full_call.closing_day + dt.timedelta(days=1)).isoformat(), "beyond the full-proposal"),
        ((timezone.localdate() - dt.timedelta(days=1)).isoformat(), "cannot end in the past"),
        ("2026-02-30", "Enter a valid date."),
    ):
        refused = client.post(
            decide,
            {"decision": "invite", "invitation_valid_until": value, "expected_state": "reviewed"},
        )
        assert refused.status_code == 200
        assert message in refused.content.decode()
    assert snapshot() == before
    chosen = timezone.localdate() + dt.timedelta(days=4)
    done = client.post(
        decide,
        {
            "decision": "invite",
            "invitation_valid_until": chosen.isoformat(),
            "expected_state": "reviewed",
        },
    )
    assert done.status_code == 302
    assert Application.objects.get(pk=concept.pk).invitation_valid_until == chosen
    html = client.get(page).content.decode()
    assert f'<time datetime="{chosen:%Y-%m-%d}">' in html


def test_the_invitation_e_mail_names_the_day(staff, mailoutbox, django_capture_on_commit_callbacks):
    concept_call, _full = two_stage_calls()
    concept = concept_in(concept_call, state=S.REVIEWED)
    chosen = timezone.localdate() + dt.timedelta(days=4)
    with django_capture_on_commit_callbacks(execute=True):
        decide_application(
            application=concept,
            actor=staff,
            decision=Decision.INVITE,
            expected_state=S.REVIEWED,
            invitation_valid_until=chosen,
        )
    (mail,) = mailoutbox
    assert f"start it there by {chosen.day} {chosen:%B %Y}; your answers" in mail.body
