"""No decisions before the reviews are in: the line, the lottery and every decision (one, in
bulk, from the waiting list) need the jury closed, every application reviewed, or staff
opening decisions early with a logged reason. A refusal changes nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import WorkflowError
from grants.models import Application
from grants.states import ApplicationState as S
from review.models import FundingLine, Jury, SelectionRecord
from review.services.decisions import decide_application, decide_applications
from review.services.funding import draw_funding_line, draw_lottery, freeze_grey_zone
from review.services.readiness import open_decisions_early, readiness
from review.states import Decision, JuryPhase, LineState, RankingBasis, SeedSource
from tests.accounts.helpers import sign_in
from tests.review.helpers import assign, in_review, make_juror
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db
WAITING = "The reviews are not all in: 1 application still awaits screening or reviews"


@pytest.fixture
def scoring(ranked):
    """The ranked call while one application still lacks its reviews."""
    call, jury, apps = ranked
    late = in_review(call, reference="CTF-2026-1-000L")
    assign(make_juror(jury), late)
    return call, jury, apps


def everything(call):
    """What a refusal must leave as it was."""
    return (
        sorted(Application.objects.filter(call=call).values_list("reference", "state")),
        list(FundingLine.objects.values_list("pk", "state", "grey_zone", "seed")),
        SelectionRecord.objects.count(),
        list(TransitionLog.objects.values_list("pk", flat=True)),
    )


def test_no_line_while_an_application_awaits_its_reviews(staff, scoring, mailoutbox):
    call, _jury, _apps = scoring
    before = everything(call)

    with pytest.raises(WorkflowError, match=WAITING):
        draw_funding_line(call=call, actor=staff, basis=RankingBasis.RAW)

    assert everything(call) == before


@pytest.mark.parametrize("state", [S.SUBMITTED, S.ELIGIBLE, S.IN_REVIEW])
def test_applications_not_yet_screened_or_reviewed_count(staff, ranked, state):
    call, jury, _apps = ranked
    in_review(call, state=state)

    assert readiness(call, jury).waiting == 1
    assert not readiness(call, jury).ready


def test_no_decision_while_an_application_awaits_its_reviews(staff, scoring, mailoutbox):
    call, _jury, apps = scoring
    before = everything(call)

    with pytest.raises(WorkflowError, match=WAITING):
        decide_application(
            application=apps["A"], actor=staff, decision=Decision.APPROVE, expected_state=S.REVIEWED
        )
    with pytest.raises(WorkflowError, match=WAITING):
        decide_applications(
            call=call,
            decisions=[(apps["A"].pk, Decision.APPROVE), (apps["F"].pk, Decision.REJECT)],
            actor=staff,
        )

    assert everything(call) == before
    assert mailoutbox == []


def test_no_lottery_while_an_application_awaits_its_reviews(staff, ranked, time_machine):
    call, jury, _apps = ranked
    line = draw_funding_line(call=call, actor=staff, basis=RankingBasis.RAW)
    moment = timezone.now() + dt.timedelta(hours=1)
    late = in_review(call)  # e.g. sent to the jury after a late screening
    with pytest.raises(WorkflowError, match=WAITING):
        freeze_grey_zone(
            line=line,
            actor=staff,
            source=SeedSource.OTHER,
            reference="x",
            published_after=moment,
        )
    Application.objects.filter(pk=late.pk).update(state=S.REVIEWED)
    freeze_grey_zone(
        line=line, actor=staff, source=SeedSource.OTHER, reference="x", published_after=moment
    )
    Application.objects.filter(pk=late.pk).update(state=S.IN_REVIEW)
    time_machine.move_to(moment + dt.timedelta(seconds=1), tick=False)
    before = everything(call)

    with pytest.raises(WorkflowError, match=WAITING):
        draw_lottery(line=FundingLine.objects.get(pk=line.pk), actor=staff, seed="seed")

    assert everything(call) == before
    assert FundingLine.objects.get(pk=line.pk).state == LineState.FROZEN


def test_a_closed_jury_lets_the_line_and_decisions_go_ahead(staff, scoring):
    call, jury, apps = scoring
    Jury.objects.filter(pk=jury.pk).update(phase=JuryPhase.CLOSED)

    line = draw_funding_line(call=call, actor=staff, basis=RankingBasis.RAW)
    decide_application(
        application=apps["A"], actor=staff, decision=Decision.APPROVE, expected_state=S.REVIEWED
    )

    assert line.state == LineState.OPEN
    assert Application.objects.get(pk=apps["A"].pk).state == S.APPROVED


@pytest.mark.parametrize("phase", [JuryPhase.PREPARATION, JuryPhase.SCORING, JuryPhase.DISCUSSION])
def test_every_application_reviewed_lets_the_line_go_ahead_in_any_phase(staff, ranked, phase):
    call, jury, _apps = ranked
    Jury.objects.filter(pk=jury.pk).update(phase=phase)

    assert readiness(call).ready
    assert draw_funding_line(call=call, actor=staff, basis=RankingBasis.RAW).pk


def test_staff_may_open_decisions_early_with_a_reason(staff, scoring):
    call, jury, apps = scoring

    open_decisions_early(jury=jury, actor=staff, reason="  The ministry needs the list today. ")
    decide_applications(call=call, decisions=[(apps["A"].pk, Decision.APPROVE)], actor=staff)

    jury.refresh_from_db()
    assert jury.early_decisions_reason == "The ministry needs the list today."
    assert jury.early_decisions_by == staff
    entry = TransitionLog.objects.get(action="review.jury.decisions_opened_early")
    assert (entry.note, entry.data, entry.actor) == (
        "The ministry needs the list today.",
        {"waiting": 1},
        staff,
    )
    assert Application.objects.get(pk=apps["A"].pk).state == S.APPROVED


@pytest.mark.parametrize(
    ("reason", "message"), [("   ", "Give the reason"), ("x" * 2001, "too long")]
)
def test_opening_early_needs_a_reason(staff, scoring, reason, message):
    _call, jury, _apps = scoring

    with pytest.raises(WorkflowError, match=message):
        open_decisions_early(jury=jury, actor=staff, reason=reason)

    jury.refresh_from_db()
    assert (jury.early_decisions_at, jury.early_decisions_reason) == (None, "")
    assert not TransitionLog.objects.filter(action="review.jury.decisions_opened_early").exists()


def test_a_reason_of_the_longest_length_opens_decisions_early(staff, scoring):
    _call, jury, _apps = scoring

    open_decisions_early(jury=jury, actor=staff, reason="x" * 2000)

    jury.refresh_from_db()
    assert len(jury.early_decisions_reason) == 2000


def test_opening_early_is_refused_when_not_needed_twice_or_to_others(staff, ranked, scoring):
    _call, jury, _apps = scoring
    juror = make_juror(jury)
    with pytest.raises(WorkflowError, match="may not"):
        open_decisions_early(jury=jury, actor=juror, reason="Because.")

    open_decisions_early(jury=jury, actor=staff, reason="Because.")
    with pytest.raises(WorkflowError, match="opened early already"):
        open_decisions_early(jury=jury, actor=staff, reason="Again.")
    Jury.objects.filter(pk=jury.pk).update(
        early_decisions_at=None, phase=JuryPhase.CLOSED
    )  # test set-up
    with pytest.raises(WorkflowError, match="need no early opening"):
        open_decisions_early(jury=Jury.objects.get(pk=jury.pk), actor=staff, reason="Once more.")

    assert TransitionLog.objects.filter(action="review.jury.decisions_opened_early").count() == 1


def test_the_line_page_says_why_and_offers_the_early_opening(client, staff, scoring):
    call, _jury, apps = scoring
    sign_in(client, staff)
    page = reverse("staff_line", kwargs={"slug": call.slug})

    text = client.get(page).content.decode()
    refused = client.post(
        reverse("staff_line_draw", kwargs={"slug": call.slug}), {"basis": "raw"}, follow=True
    ).content.decode()
    empty = client.post(reverse("staff_line_open_early", kwargs={"slug": call.slug}), {})
    opened = client.post(
        reverse("staff_line_open_early", kwargs={"slug": call.slug}),
        {"reason": "Board meeting tomorrow."},
        follow=True,
    ).content.decode()

    assert WAITING in text and "Open decisions early and record the reason" in text
    assert "Draw the funding line</button>" not in text
    assert WAITING in refused and not FundingLine.objects.exists()
    assert empty.status_code == 200 and "This field is required." in empty.content.decode()
    assert "Decisions are open before the reviews are in." in opened
    assert "Board meeting tomorrow." in opened and "Draw the funding line</button>" in opened


def test_waiting_list_moves_wait_for_the_reviews_too(client, staff, scoring):
    call, _jury, apps = scoring
    Application.objects.filter(pk=apps["F"].pk).update(state=S.WAITLISTED)
    sign_in(client, staff)

    text = client.post(
        reverse("staff_waitlist", kwargs={"slug": call.slug}),
        {"applications": [apps["F"].pk]},
        follow=True,
    ).content.decode()

    assert WAITING in text
    assert Application.objects.get(pk=apps["F"].pk).state == S.WAITLISTED
    assert Application.objects.get(pk=apps["F"].pk).awarded_amount is None
    assert call.committed_amount() == Decimal("0.00")
