"""The funding line of a call: drawn from the ranking within the money left (the line lies at
the first application that no longer fits), moved by hand with reasons, its grey zone frozen
with the public source of the seed named, a lottery drawn with a seed from that source
entered after the moment named, and everything needed to recompute the lottery stored in
the log."""

import datetime as dt
import hashlib
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from core.errors import WorkflowError
from grants.models import Application
from grants.states import ApplicationState as S
from review.line import line_outcome
from review.maths.lottery import CODE_VERSION
from review.models import FundingLine
from review.ranking import build_ranking
from review.services.funding import (
    discard_line,
    draw_funding_line,
    draw_lottery,
    freeze_grey_zone,
    move_on_line,
)
from review.states import LineMove, LineState, LineStatus, RankingBasis, SeedSource
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


def refs(outcome, ids):
    by_id = {row["id"]: row["reference"][-1] for row in outcome.rows}
    return [by_id[pk] for pk in ids]


HOUR = dt.timedelta(hours=1)


def freeze(line, staff, source=SeedSource.LOTTERY_DRAW, moment=None):
    """Freeze with a lottery draw published in an hour (or at ``moment``)."""
    return freeze_grey_zone(
        line=line,
        actor=staff,
        source=source,
        reference="Lotto 6 aus 49, draw of Saturday",
        published_after=moment or timezone.now() + HOUR,
    )


def frozen_and_published(line, staff, time_machine, **kwargs):
    """Freeze, then let the moment of publication pass."""
    freeze(line, staff, **kwargs)
    line.refresh_from_db()
    time_machine.move_to(line.seed_published_after + dt.timedelta(seconds=1), tick=False)
    return line


def test_the_line_goes_down_the_ranking_until_the_money_is_spent(staff, ranked):
    call, _jury, apps = ranked

    line = draw_funding_line(call=call, actor=staff, basis=RankingBasis.RAW)

    assert line.state == LineState.OPEN
    assert line.available == D("100000.00")
    assert [row["reference"][-1] for row in line.ranking] == ["A", "B", "D", "C", "E", "F"]
    outcome = line_outcome(line)
    assert refs(outcome, outcome.funded) == ["A", "B", "D"]
    assert outcome.left == D("10000.00")
    assert outcome.line_rank == 3
    assert refs(outcome, [outcome.first_out]) == ["C"]
    statuses = {row["reference"][-1]: row["status"] for row in outcome.rows}
    assert statuses == {
        "A": LineStatus.FUNDED,
        "B": LineStatus.FUNDED,
        "D": LineStatus.FUNDED,
        "C": LineStatus.FIRST_OUT,
        "E": LineStatus.BELOW,
        "F": LineStatus.BELOW,
    }
    entry = TransitionLog.objects.get()
    assert entry.action == "review.fundingline.created"
    assert entry.data == {"basis": "raw", "available": "100000.00", "candidates": 6, "minimums": {}}


def test_a_cheap_application_far_down_fits_the_remaining_money_and_moves_no_line(staff, ranked):
    call, jury, _apps = ranked
    cheap = in_review(call, state=S.REVIEWED, reference="CTF-2026-1-000G")
    Application.objects.filter(pk=cheap.pk).update(requested_amount=D("5000.00"))
    for juror in jury.members.all():
        scored(assign(juror.user, cheap), [1, 1, None])

    outcome = line_outcome(draw_funding_line(call=call, actor=staff, basis=RankingBasis.RAW))

    assert refs(outcome, outcome.funded) == ["A", "B", "D"]
    assert outcome.line_rank == 3
    assert refs(outcome, outcome.fits_remaining) == ["G"]
    assert {row["reference"][-1]: row["status"] for row in outcome.rows}["G"] == (
        LineStatus.FITS_REMAINING
    )
    assert outcome.left == D("10000.00")  # listed, not funded


def test_money_awarded_already_is_not_available(staff, ranked):
    call, _jury, apps = ranked
    Application.objects.filter(pk=apps["A"].pk).update(
        state=S.APPROVED, awarded_amount=D("30000.00")
    )

    line = draw_funding_line(call=call, actor=staff, basis=RankingBasis.RAW)

    assert line.available == D("70000.00")
    assert [row["reference"][-1] for row in line.ranking] == ["B", "D", "C", "E", "F"]


def test_moves_by_hand_are_recorded_with_their_reason(staff, ranked):
    call, _jury, apps = ranked
    line = draw_funding_line(call=call, actor=staff, basis=RankingBasis.RAW)

    move_on_line(
        line=line,
        actor=staff,
        application_id=apps["F"].pk,
        direction=LineMove.FUND,
        reason="Only project for rural areas.",
    )
    move_on_line(
        line=line,
        actor=staff,
        application_id=apps["A"].pk,
        direction=LineMove.DO_NOT_FUND,
        reason="Funded elsewhere meanwhile.",
    )

    outcome = line_outcome(FundingLine.objects.get(pk=line.pk))
    # F first (70,000 € left); without A: B, D (10,000 € left); C does not fit.
    assert refs(outcome, outcome.funded) == ["F", "B", "D"]
    assert refs(outcome, [outcome.first_out]) == ["C"]
    assert {
        row["reference"][-1]: row["status"]
        for row in outcome.rows
        if row["status"].startswith("moved")
    } == {
        "A": "moved_out",
        "F": "moved_in",
    }
    assert list(
        TransitionLog.objects.filter(action="review.fundingline.moved").values_list("note", "data")
    ) == [
        (
            "Only project for rural areas.",
            {"application": apps["F"].reference, "direction": "fund"},
        ),
        (
            "Funded elsewhere meanwhile.",
            {"application": apps["A"].reference, "direction": "do_not_fund"},
        ),
    ]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"direction": "sideways", "reason": "x"}, "Choose where to move"),
        ({"direction": LineMove.FUND, "reason": "  "}, "Give the reason"),
        ({"direction": LineMove.FUND, "reason": "x" * 2001}, "too long"),
        ({"direction": LineMove.FUND, "reason": "x", "application_id": 10**9}, "not on the line"),
    ],
)
def test_bad_moves_are_refused(staff, ranked, kwargs, message):
    call, _jury, apps = ranked
    line = draw_funding_line(call=call, actor=staff, basis=RankingBasis.RAW)
    kwargs = {"application_id": apps["C"].pk, **kwargs}

    with pytest.raises(WorkflowError, match=message):
        move_on_line(line=line, actor=staff, **kwargs)

    assert not line.moves.exists()


def test_a_move_with_a_reason_of_2000_characters_is_kept(staff, ranked):
    call, _jury, apps = ranked
    line = draw_funding_line(call=call, actor=staff, basis=RankingBasis.RAW)

    move_on_line(
        line=line,
        actor=staff,
        application_id=apps["C"].pk,
        direction=LineMove.FUND,
        reason="x" * 2000,
    )

    assert list(line.moves.values_list("application_id", "reason")) == [(apps["C"].pk, "x" * 2000)]


def test_the_line_keeps_scores_to_four_places_and_expected_ranks_to_two(staff, ranked):
    call, jury, _apps = ranked

    line = draw_funding_line(call=call, actor=staff, basis=RankingBasis.RAW)

    scores = {row["reference"]: row["score"] for row in line.ranking}
    assert (scores["CTF-2026-1-000D"], scores["CTF-2026-1-000E"]) == (7.3333, 6.3333)  # 22/3, 19/3
    exact = {row["id"]: row["expected_rank"] for row in build_ranking(jury, None, basis="raw").rows}
    assert [row["expected_rank"] for row in line.ranking] == [
        round(exact[row["id"]], 2) for row in line.ranking
    ]
    # The ranks tell two places from one and from three: the rounding is seen.
    assert any(round(rank, 2) not in (round(rank, 1), round(rank, 3)) for rank in exact.values())


def test_the_lottery_keeps_the_moves_staff_made_on_the_line(staff, ranked, time_machine):
    call, _jury, apps = ranked
    line = draw_funding_line(call=call, actor=staff, basis=RankingBasis.RAW)
    move_on_line(line=line, actor=staff, application_id=apps["F"].pk,
                 direction=LineMove.FUND, reason="The ministry's priority.")  # fmt: skip
    move_on_line(line=line, actor=staff, application_id=apps["A"].pk,
                 direction=LineMove.DO_NOT_FUND, reason="Funded elsewhere.")  # fmt: skip
    frozen_and_published(line, staff, time_machine)

    drawn = draw_lottery(line=line, actor=staff, seed="3 14 22 31 40 45")

    funded = drawn.lottery["funded"]
    assert apps["F"].reference in funded
    assert apps["A"].reference not in funded
    assert len(funded) == 3


def test_the_lottery_is_reproducible_from_what_the_log_stores(staff, ranked, time_machine):
    call, _jury, apps = ranked
    line = draw_funding_line(call=call, actor=staff, basis=RankingBasis.RAW)
    grey = line_outcome(line).grey_zone
    assert grey  # C and E disagree: their intervals cross the line

    with pytest.raises(WorkflowError, match="must be frozen"):
        draw_lottery(line=line, actor=staff, seed="too early")
    frozen_and_published(line, staff, time_machine)
    frozen = list(line.grey_zone)
    drawn = draw_lottery(line=line, actor=staff, seed="  Lotto 2026-05-02:  3 14 22 31 40 45 ")

    entry = TransitionLog.objects.get(action="review.fundingline.drawn")
    data = entry.data
    assert data["seed"] == "Lotto 2026-05-02: 3 14 22 31 40 45"
    assert data["grey_zone"] == frozen
    assert data["code_version"] == CODE_VERSION
    # Anyone recomputes the order from the stored list and seed.
    recomputed = sorted(
        frozen,
        key=lambda reference: hashlib.sha256((data["seed"] + reference).encode()).hexdigest(),
    )
    assert [item["reference"] for item in data["order"]] == recomputed
    assert all(
        item["ticket"] == hashlib.sha256((data["seed"] + item["reference"]).encode()).hexdigest()
        for item in data["order"]
    )
    # The money goes to the sure ones first, then down the lottery order.
    outcome = line_outcome(FundingLine.objects.get(pk=drawn.pk))
    by_id = {row["id"]: row["reference"] for row in outcome.rows}
    assert data["funded"] == [by_id[pk] for pk in outcome.funded]
    assert set(data["winners"]) <= set(frozen)
    assert (data["source"], data["source_reference"]) == (
        SeedSource.LOTTERY_DRAW,
        "Lotto 6 aus 49, draw of Saturday",
    )
    freezing = TransitionLog.objects.get(action="review.fundingline.frozen")
    assert freezing.data["grey_zone"] == frozen
    assert freezing.data["seed_source"] == SeedSource.LOTTERY_DRAW
    assert freezing.data["seed_published_after"] == line.seed_published_after.isoformat()
    assert freezing.created_at < line.seed_published_after < entry.created_at


def test_the_same_seed_gives_the_same_result(staff, ranked, time_machine):
    call, _jury, _apps = ranked
    results = []
    for seed in ("draw 1 2 3", "draw 1 2 3"):
        time_machine.move_to(timezone.now(), tick=False)
        line = draw_funding_line(call=call, actor=staff, basis=RankingBasis.RAW)
        frozen_and_published(line, staff, time_machine)
        results.append(draw_lottery(line=line, actor=staff, seed=seed).lottery)
        FundingLine.objects.filter(pk=line.pk).update(state=LineState.DISCARDED)  # test set-up only

    assert results[0]["order"] == results[1]["order"]
    assert results[0]["funded"] == results[1]["funded"]


def test_a_frozen_or_drawn_line_cannot_change(staff, ranked, time_machine):
    call, _jury, apps = ranked
    line = draw_funding_line(call=call, actor=staff, basis=RankingBasis.RAW)
    frozen_and_published(line, staff, time_machine)

    with pytest.raises(WorkflowError, match="frozen"):
        move_on_line(
            line=line, actor=staff, application_id=apps["C"].pk, direction=LineMove.FUND, reason="x"
        )
    with pytest.raises(WorkflowError, match="can no longer be redrawn"):
        draw_funding_line(call=call, actor=staff, basis=RankingBasis.RAW)
    line.refresh_from_db()
    draw_lottery(line=line, actor=staff, seed="7 8 9")
    with pytest.raises(WorkflowError, match="A line whose lottery has been drawn is kept."):
        discard_line(line=line, actor=staff)


def test_drawing_again_discards_the_open_line(staff, ranked):
    call, _jury, _apps = ranked
    first = draw_funding_line(call=call, actor=staff, basis=RankingBasis.RAW)

    second = draw_funding_line(call=call, actor=staff, basis=RankingBasis.CALIBRATED)

    first.refresh_from_db()
    assert first.state == LineState.DISCARDED
    assert second.basis == RankingBasis.CALIBRATED
    assert "review.fundingline.discarded" in TransitionLog.objects.values_list("action", flat=True)


def test_without_a_grey_zone_there_is_nothing_to_freeze(staff):
    call = budget_call("30000.00")
    jury = make_jury(call)
    jurors = [make_juror(jury) for _ in range(3)]
    for score in (9, 3):
        application = in_review(call, state=S.REVIEWED)
        Application.objects.filter(pk=application.pk).update(requested_amount=D("30000.00"))
        for juror in jurors:
            scored(assign(juror, application), [score, score, None])
    line = draw_funding_line(call=call, actor=staff, basis=RankingBasis.RAW)

    with pytest.raises(WorkflowError, match="nothing to draw lots for"):
        freeze(line, staff)


def test_a_staff_member_with_a_conflict_in_the_call_may_not_draw(staff, ranked):
    call, _jury, apps = ranked
    conflict(staff, apps["F"])
    staff.groups.add(Group.objects.get_or_create(name=Role.JUROR)[0])
    conflicted = User.objects.get(pk=staff.pk)

    with pytest.raises(WorkflowError, match="a colleague has to draw the funding line"):
        draw_funding_line(call=call, actor=conflicted, basis=RankingBasis.RAW)


def test_nothing_to_draw_and_only_staff(ranked):
    call, jury, _apps = ranked
    juror = make_juror(jury)
    with pytest.raises(WorkflowError):
        draw_funding_line(call=call, actor=juror, basis=RankingBasis.RAW)
    with pytest.raises(WorkflowError, match="Unknown ranking"):
        draw_funding_line(call=call, actor=juror, basis="median")
