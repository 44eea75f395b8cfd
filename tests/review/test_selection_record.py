"""A decided call's selection is a stable record: the ranking (with intervals and expected
ranks), the line, its grey zone and lottery, and every decision with its reason, kept as
they were at decision time; later withdrawals change nothing; decisions that depart from
the line need a reason."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from core.errors import WorkflowError
from grants.models import Application
from grants.services.calls import transition_call
from grants.states import ApplicationState as S
from grants.states import CallState
from review.models import SelectionRecord
from review.ranking import build_ranking
from review.services.decisions import decide_application, decide_applications
from review.services.funding import (
    draw_funding_line,
    draw_lottery,
    freeze_grey_zone,
    move_on_line,
)
from review.states import Decision, LineMove, LineStatus, RankingBasis, SeedSource
from tests.accounts.helpers import sign_in
from tests.factories import make_user, set_state
from tests.review.helpers import conflict
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_review_call(ranked):
    call, jury, apps = ranked
    set_state(call, CallState.IN_REVIEW)
    return call, jury, apps


def approve(staff, application, note=""):
    return decide_application(
        application=application,
        actor=staff,
        decision=Decision.APPROVE,
        expected_state=S.REVIEWED,
        note=note,
    )


def test_the_first_decision_takes_the_record(staff, in_review_call):
    call, _jury, apps = in_review_call
    line = draw_funding_line(call=call, actor=staff, basis=RankingBasis.RAW)
    ranking = build_ranking(call.jury, staff, basis=RankingBasis.RAW)

    approve(staff, apps["A"])

    record = SelectionRecord.objects.get(call=call)
    assert record.basis == RankingBasis.RAW and record.sealed_at is None
    rows = {row["reference"][-1]: row for row in record.ranking["rows"]}
    live = {row["reference"][-1]: row for row in ranking.rows}
    assert set(rows) == set(live) == set("ABCDEF")
    for name in "ABCDEF":
        assert {key: rows[name][key] for key in ("rank", "low", "high", "expected_rank")} == {
            key: live[name][key] for key in ("rank", "low", "high", "expected_rank")
        }
    snapshot = record.lines[str(line.pk)]
    assert snapshot["first_out"] == "CTF-2026-1-000C"
    assert {row["reference"][-1]: row["status"] for row in snapshot["rows"]}["A"] == "funded"
    assert record.decisions == [
        {
            "id": apps["A"].pk,
            "reference": "CTF-2026-1-000A",
            "title": "Project A",
            "decision": "approve",
            "state": S.APPROVED,
            "awarded": "30000.00",
            "reason": "",
            "actor_id": staff.pk,
            "actor": "Sam Staff",
            "at": record.decisions[0]["at"],
            "line": line.pk,
            "line_status": LineStatus.FUNDED,
            "follows_line": True,
        }
    ]
    assert TransitionLog.objects.filter(action="review.selectionrecord.taken").count() == 1


def test_each_decision_appends_and_brings_the_line_up_to_date(staff, in_review_call, time_machine):
    call, _jury, apps = in_review_call
    line = draw_funding_line(call=call, actor=staff, basis=RankingBasis.RAW)
    approve(staff, apps["A"])
    moment = timezone.now() + dt.timedelta(hours=1)
    freeze_grey_zone(
        line=line,
        actor=staff,
        source=SeedSource.LOTTERY_DRAW,
        reference="Lotto, draw of Saturday",
        published_after=moment,
    )
    time_machine.move_to(moment + dt.timedelta(seconds=1), tick=False)
    drawn = draw_lottery(line=line, actor=staff, seed="3 14 22 31 40 45")

    decide_applications(
        call=call,
        decisions=[(apps["F"].pk, Decision.REJECT), (apps["B"].pk, Decision.APPROVE)],
        actor=staff,
        reason="Jury meeting of 12 May.",
    )

    record = SelectionRecord.objects.get(call=call)
    assert [
        (item["reference"][-1], item["decision"], item["reason"]) for item in record.decisions
    ] == [
        ("A", "approve", ""),
        ("F", "reject", "Jury meeting of 12 May."),
        ("B", "approve", "Jury meeting of 12 May."),
    ]
    lottery = record.lines[str(line.pk)]["lottery"]
    assert lottery["seed"] == "3 14 22 31 40 45"
    assert lottery["source"] == SeedSource.LOTTERY_DRAW
    assert lottery["source_reference"] == "Lotto, draw of Saturday"
    assert lottery["order"] == drawn.lottery["order"]
    assert lottery["winners"] == drawn.lottery["winners"]
    assert TransitionLog.objects.filter(action="review.selectionrecord.taken").count() == 1


def test_later_withdrawals_do_not_change_the_record(staff, in_review_call):
    call, _jury, apps = in_review_call
    draw_funding_line(call=call, actor=staff, basis=RankingBasis.RAW)
    approve(staff, apps["A"])
    taken = SelectionRecord.objects.get(call=call)

    set_state(apps["B"], S.WITHDRAWN)
    assert "CTF-2026-1-000B" not in [
        row["reference"] for row in build_ranking(call.jury, staff).rows
    ]
    approve(staff, apps["D"])

    record = SelectionRecord.objects.get(call=call)
    assert record.ranking == taken.ranking
    assert "CTF-2026-1-000B" in [row["reference"] for row in record.ranking["rows"]]


def test_marking_the_call_decided_seals_the_record(staff, in_review_call):
    call, _jury, apps = in_review_call
    approve(staff, apps["A"])

    transition_call(
        call=call, actor=staff, transition_name="decide", expected_state=CallState.IN_REVIEW
    )

    record = SelectionRecord.objects.get(call=call)
    assert record.sealed_at is not None
    assert len(record.decisions) == 1
    assert TransitionLog.objects.filter(action="review.selectionrecord.sealed").count() == 1


def test_a_call_decided_without_decisions_here_gets_its_record_then(staff, in_review_call):
    call, _jury, _apps = in_review_call

    transition_call(
        call=call, actor=staff, transition_name="decide", expected_state=CallState.IN_REVIEW
    )

    record = SelectionRecord.objects.get(call=call)
    assert record.decisions == [] and record.lines == {}
    assert len(record.ranking["rows"]) == 6
    assert len(record.ranking["unreviewed"]) == 1  # the rejected one, never reviewed


def test_a_call_decided_with_a_line_but_no_decisions_keeps_the_line(staff, in_review_call):
    call, _jury, _apps = in_review_call
    line = draw_funding_line(call=call, actor=staff, basis=RankingBasis.RAW)

    transition_call(
        call=call, actor=staff, transition_name="decide", expected_state=CallState.IN_REVIEW
    )

    record = SelectionRecord.objects.get(call=call)
    assert record.decisions == []
    assert list(record.lines) == [str(line.pk)]
    snapshot = record.lines[str(line.pk)]
    assert (snapshot["id"], snapshot["basis"], snapshot["available"]) == (
        line.pk,
        RankingBasis.RAW,
        str(line.available),
    )
    assert [row["reference"] for row in snapshot["rows"]] == [
        row["reference"] for row in line.ranking
    ]


@pytest.mark.parametrize(
    ("name", "decision", "departs"),
    [
        ("A", Decision.REJECT, True),  # funded by the line
        ("A", Decision.WAITLIST, True),
        ("C", Decision.APPROVE, True),  # the first that no longer fits
        ("F", Decision.APPROVE, True),  # below the line
        ("C", Decision.WAITLIST, False),
        ("F", Decision.REJECT, False),
    ],
)
def test_a_decision_departing_from_the_line_needs_a_reason(
    staff, in_review_call, mailoutbox, name, decision, departs
):
    call, _jury, apps = in_review_call
    draw_funding_line(call=call, actor=staff, basis=RankingBasis.RAW)

    def decide(note):
        decide_application(
            application=apps[name],
            actor=staff,
            decision=decision,
            expected_state=S.REVIEWED,
            note=note,
        )

    if departs:
        with pytest.raises(WorkflowError, match="depart from the funding line; give the reason"):
            decide("")
        assert Application.objects.get(pk=apps[name].pk).state == S.REVIEWED
        assert not SelectionRecord.objects.exists() and mailoutbox == []
    decide("Discussed by the jury." if departs else "")

    item = SelectionRecord.objects.get().decisions[-1]
    assert item["follows_line"] is (not departs)
    assert item["reason"] == ("Discussed by the jury." if departs else "")


def test_what_fits_the_remaining_money_is_approved_without_a_reason(staff, ranked):
    call, jury, apps = ranked
    Application.objects.filter(pk=apps["F"].pk).update(requested_amount="10000.00")
    line = draw_funding_line(call=call, actor=staff, basis=RankingBasis.RAW)
    move_on_line(
        line=line,
        actor=staff,
        application_id=apps["E"].pk,
        direction=LineMove.DO_NOT_FUND,
        reason="x",
    )

    approve(staff, apps["F"])

    assert SelectionRecord.objects.get().decisions[0]["line_status"] == LineStatus.FITS_REMAINING


def test_bulk_decisions_departing_from_the_line_ask_for_the_reason(client, staff, in_review_call):
    call, _jury, apps = in_review_call
    draw_funding_line(call=call, actor=staff, basis=RankingBasis.RAW)
    sign_in(client, staff)
    chosen = {f"decision_{apps['A'].pk}": "reject", f"decision_{apps['B'].pk}": "approve"}
    url = reverse("staff_decisions", kwargs={"slug": call.slug})

    summary = client.post(url, chosen).content.decode()
    refused = client.post(url, {**chosen, "confirm": "on"})
    done = client.post(url, {**chosen, "confirm": "on", "reason": "A is funded elsewhere."})

    assert "1 decision departs from the funding line: give the reason below." in summary
    assert "departs from the line" in summary
    assert refused.status_code == 200
    assert "Required for a decision that departs from the line." in refused.content.decode()
    assert done.status_code == 302
    assert [item["reason"] for item in SelectionRecord.objects.get().decisions] == [
        "A is funded elsewhere.",
        "A is funded elsewhere.",
    ]


def test_the_pages_of_a_decided_call_show_the_record(client, staff, in_review_call):
    call, _jury, apps = in_review_call
    draw_funding_line(call=call, actor=staff, basis=RankingBasis.RAW)
    approve(staff, apps["A"])
    transition_call(
        call=call, actor=staff, transition_name="decide", expected_state=CallState.IN_REVIEW
    )
    set_state(apps["A"], S.WITHDRAWN)  # the award declined afterwards
    sign_in(client, staff)

    ranking = client.get(reverse("staff_ranking", kwargs={"slug": call.slug})).content.decode()
    line = client.get(reverse("staff_line", kwargs={"slug": call.slug})).content.decode()

    assert "Its ranking is shown as it stood at decision time" in ranking
    assert "CTF-2026-1-000A Project A" in ranking  # withdrawn since, still in the record
    assert "Selection record" in line and "Every decision in the order taken" in line
    assert "above CTF-2026-1-000C, the first application that no longer fits" in line


def test_staff_with_a_conflict_do_not_read_the_record(client, in_review_call, staff):
    call, _jury, apps = in_review_call
    approve(staff, apps["A"])
    transition_call(
        call=call, actor=staff, transition_name="decide", expected_state=CallState.IN_REVIEW
    )
    staff_juror = make_user(Role.STAFF, Role.JUROR)
    conflict(staff_juror, apps["B"])
    sign_in(client, staff_juror)

    ranking = client.get(reverse("staff_ranking", kwargs={"slug": call.slug})).content.decode()

    assert "its selection record is for your colleagues" in ranking
    assert "CTF-2026-1-000B" not in ranking
