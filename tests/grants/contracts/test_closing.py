"""The end of a grant (grants.contracts.services.closing): the daily step that asks for the
final report once the funding period has ended (the day before, on and after its last
day), writing and handing in the final report, staff's review, and termination. Every
refusal changes nothing.

The grant runs from 1 January to 30 June 2026; its milestones are due on 28 February,
30 April and 30 June."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from core.errors import StaleObjectError, WorkflowError
from grants.contracts.services.changes import request_change
from grants.contracts.services.closing import (
    request_due_final_reports,
    review_final_report,
    save_final_report,
    terminate_grant,
)
from grants.models import ChangeRequest, FinalReport, Grant, Milestone
from grants.states import ApplicationState as A
from grants.states import MilestoneState
from tests.factories import make_grant, set_state
from tests.grants.contracts.helpers import accept_every_line, statement
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db

END = dt.date(2026, 6, 30)
DAY = dt.timedelta(days=1)
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture(autouse=True)
def _send_at_once(monkeypatch):
    """E-mails go out when the transaction commits; here each step counts as committed."""
    monkeypatch.setattr("django.db.transaction.on_commit", lambda callback, *a, **k: callback())


def _grant(state=A.FUNDED):
    grant = make_grant(state=state, starts_on=dt.date(2026, 1, 1))
    assert grant.ends_on == END
    return grant


def _state_of(application):
    application.refresh_from_db()
    return application.state


def _log():
    return list(
        TransitionLog.objects.order_by("pk").values_list("action", "from_state", "to_state")
    )


def _subjects():
    return [message.subject.removeprefix("[Civic Tech Fund] ") for message in mail.outbox]


# The daily step -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "requested"), [(END - DAY, 0), (END, 0), (END + DAY, 1), (END + 40 * DAY, 1)]
)
def test_the_final_report_is_due_from_the_day_after_the_period_ends(today, requested):
    grant = _grant()

    assert request_due_final_reports(today=today) == requested

    expected = A.FINAL_REPORT_DUE if requested else A.FUNDED
    assert _state_of(grant.application) == expected
    assert FinalReport.objects.filter(grant=grant).count() == requested
    due = [f"Your final report for {grant.funding_reference} is due"]
    assert _subjects() == (due if requested else [])


def test_the_daily_step_asks_each_ended_funded_grant_once():
    ended = [_grant(), _grant()]
    running = make_grant(starts_on=dt.date(2026, 3, 1))
    finished = [_grant(state) for state in (A.FINAL_REPORT_DUE, A.TERMINATED, A.COMPLETED)]

    assert request_due_final_reports(today=END + DAY) == 2
    assert request_due_final_reports(today=END + DAY) == 0

    assert [_state_of(g.application) for g in ended] == [A.FINAL_REPORT_DUE] * 2
    assert _state_of(running.application) == A.FUNDED
    assert [_state_of(g.application) for g in finished] == [
        A.FINAL_REPORT_DUE,
        A.TERMINATED,
        A.COMPLETED,
    ]
    assert set(FinalReport.objects.values_list("grant", flat=True)) == {g.pk for g in ended}
    entries = TransitionLog.objects.filter(action="grants.application.final_report_requested")
    assert sorted(entries.values_list("object_id", "actor")) == sorted(
        (g.application.pk, None) for g in ended
    )


@pytest.mark.parametrize(
    ("utc_now", "requested"),
    [
        ("2026-06-30T21:59:00", 0),  # 23:59 on 30 June in Berlin
        ("2026-06-30T22:00:00", 1),  # midnight: 1 July in Berlin
    ],
)
def test_without_a_day_given_the_daily_step_takes_todays_date_in_berlin(utc_now, requested):
    grant = _grant()
    now = dt.datetime.fromisoformat(utc_now).replace(tzinfo=dt.UTC)

    with time_machine.travel(now, tick=False):
        assert request_due_final_reports() == requested
    assert _state_of(grant.application) == (A.FINAL_REPORT_DUE if requested else A.FUNDED)


def test_a_day_given_wins_over_the_clock():
    grant = _grant()

    with time_machine.travel(dt.datetime(2026, 8, 1, 12, 0, tzinfo=BERLIN), tick=False):
        assert request_due_final_reports(today=END) == 0
    assert _state_of(grant.application) == A.FUNDED


# Writing the final report -------------------------------------------------------------------

TEXTS = {"summary": "Done.", "contribution": "Open timetables.", "next_steps": "Maintenance."}


@pytest.fixture
def reporting():
    """A grant whose final report is due, with a draft opened by the daily step."""
    grant = _grant()
    request_due_final_reports(today=END + DAY)
    mail.outbox.clear()
    return Grant.objects.get(pk=grant.pk)


def _results(grant, *, achieved=True):
    return [
        {"milestone": m.pk, "achieved": achieved, "explanation": ""} for m in grant.milestones.all()
    ]


def _save(grant, *, actor=None, fields=None, results=None, links=(), submit=False):
    return save_final_report(
        grant=grant,
        actor=actor or grant.application.owner,
        fields=TEXTS if fields is None else fields,
        milestone_results=_results(grant) if results is None else results,
        public_links=list(links),
        statement=statement(grant),
        submit=submit,
    )


def _stored(grant):
    return FinalReport.objects.filter(grant=grant).values().get()


def _refused(grant, **kwargs):
    with pytest.raises(WorkflowError) as caught:
        _save(grant, **kwargs)
    return str(caught.value), caught.value.field_errors


def test_saving_keeps_what_was_typed(reporting):
    first, second, third = reporting.milestones.all()

    _save(
        reporting,
        fields={
            "summary": "Done.",
            "contribution": None,
            "follow_up_funding": Decimal("2500.00"),
            "follow_up_funder": "F" * 250,
        },
        results=[
            {"milestone": str(first.pk), "achieved": 1, "explanation": "Shipped."},
            {"milestone": second.pk, "explanation": "x" * 20_001},
            {"milestone": 999_999, "achieved": True},
        ],
        links=["  https://codeberg.org/example/toolkit ", "   ", "HTTP://example.org"],
    )

    report = _stored(reporting)
    assert (report["state"], report["submitted_at"]) == ("draft", None)
    assert (report["summary"], report["contribution"], report["next_steps"]) == ("Done.", "", "")
    assert report["follow_up_funding"] == Decimal("2500.00")
    assert report["follow_up_funder"] == "F" * 200
    assert report["milestone_results"] == [
        {"milestone": first.pk, "achieved": True, "explanation": "Shipped."},
        {"milestone": second.pk, "achieved": False, "explanation": "x" * 20_000},
    ]
    assert report["public_links"] == ["https://codeberg.org/example/toolkit", "HTTP://example.org"]
    assert third.pk not in [result["milestone"] for result in report["milestone_results"]]


@pytest.mark.parametrize("name", ["summary", "contribution", "next_steps"])
def test_each_text_may_have_20000_characters_not_more(reporting, name):
    before = _stored(reporting)

    message, errors = _refused(reporting, fields=TEXTS | {name: "x" * 20_001})

    assert message == "The final report was not saved: please correct the marked fields."
    assert errors == {name: ["At most 20000 characters."]}
    assert _stored(reporting) == before
    _save(reporting, fields=TEXTS | {name: "x" * 20_000})
    assert _stored(reporting)[name] == "x" * 20_000


LINKS_ERROR = {"public_links": ["Up to 20 links, each starting with https:// or http://."]}


@pytest.mark.parametrize(
    "links",
    [
        ["javascript:alert(1)"],
        ["https://ok.example", "ftp://files.example"],
        ["codeberg.org/example"],
        [f"https://example.org/{n}" for n in range(21)],
    ],
)
def test_links_are_web_addresses_at_most_20(reporting, links):
    before = _stored(reporting)

    message, errors = _refused(reporting, links=links)

    assert errors == LINKS_ERROR
    assert _stored(reporting) == before


def test_twenty_links_are_fine(reporting):
    links = [f"https://example.org/{n}" for n in range(20)]

    _save(reporting, links=links)

    assert _stored(reporting)["public_links"] == links


@pytest.mark.parametrize(
    ("amount", "allowed"),
    [
        (Decimal("-0.01"), False),
        (Decimal("0.00"), True),
        (Decimal("999999999.99"), True),
        (Decimal("1000000000.00"), False),
        (None, True),
    ],
)
def test_follow_up_funding_from_0_to_below_a_billion(reporting, amount, allowed):
    before = _stored(reporting)
    fields = TEXTS | {"follow_up_funding": amount}

    if allowed:
        _save(reporting, fields=fields)
        assert _stored(reporting)["follow_up_funding"] == amount
    else:
        _message, errors = _refused(reporting, fields=fields)
        assert errors == {"follow_up_funding": ["Enter an amount between 0 and 999,999,999 €."]}
        assert _stored(reporting) == before


def test_every_wrong_field_is_named_at_once(reporting):
    _message, errors = _refused(
        reporting,
        fields=TEXTS | {"summary": "x" * 20_001, "follow_up_funding": Decimal(-1)},
        links=["mailto:team@example.org"],
    )

    assert sorted(errors) == ["follow_up_funding", "public_links", "summary"]


def test_only_the_grantee_writes_and_only_while_the_report_is_open(reporting, staff):
    before = _stored(reporting)
    message = "The final report cannot be changed now."

    assert _refused(reporting, actor=staff)[0] == message
    FinalReport.objects.filter(grant=reporting).update(state="submitted")
    assert _refused(reporting)[0] == message
    assert _stored(reporting) == before | {"state": "submitted"}


def test_handing_in_submits_and_logs(reporting):
    report = _save(reporting, submit=True)

    stored = _stored(reporting)
    assert stored["state"] == "submitted"
    assert stored["submitted_at"] is not None
    entry = TransitionLog.objects.latest("pk")
    assert (entry.object_id, entry.action, entry.actor) == (
        report.pk,
        "grants.finalreport.submitted",
        reporting.application.owner,
    )


@pytest.mark.parametrize("summary", ["", "   "])
def test_handing_in_needs_a_summary_but_keeps_what_was_saved(reporting, summary):
    message, errors = _refused(reporting, fields=TEXTS | {"summary": summary}, submit=True)

    assert message == "Your final report is saved, but not complete yet."
    assert errors == {"summary": ["This field is required."]}
    stored = _stored(reporting)
    assert (stored["state"], stored["contribution"]) == ("draft", "Open timetables.")


def test_handing_in_needs_a_result_for_every_milestone_not_cancelled(reporting):
    first, second, third = reporting.milestones.all()

    message, errors = _refused(reporting, results=_results(reporting)[:2], submit=True)
    assert errors == {"milestone_results": ["Give the result of every milestone."]}
    assert _stored(reporting)["state"] == "draft"
    assert len(_stored(reporting)["milestone_results"]) == 2

    set_state(third, MilestoneState.CANCELLED)
    _save(reporting, results=_results(reporting)[:2], submit=True)
    assert _stored(reporting)["state"] == "submitted"


# Staff's review ---------------------------------------------------------------------------


@pytest.fixture
def submitted(reporting):
    _save(reporting, submit=True)
    mail.outbox.clear()
    return reporting


def _review(grant, staff, *, accept, comment="", expected_state="submitted"):
    return review_final_report(
        grant=grant, actor=staff, accept=accept, comment=comment, expected_state=expected_state
    )


def test_accepting_completes_the_project(submitted, staff):
    accept_every_line(submitted, staff)
    log = _log()

    _review(submitted, staff, accept=True, comment="  Thank you.  ")

    assert _stored(submitted)["state"] == "accepted"
    assert _stored(submitted)["review_comment"] == "Thank you."
    assert _state_of(submitted.application) == A.COMPLETED
    assert _log()[len(log) :] == [
        ("grants.finalreport.accepted", "submitted", "accepted"),
        ("grants.finalreport.proof_of_use_archived", "accepted", "accepted"),
        ("grants.application.completed", A.FINAL_REPORT_DUE, A.COMPLETED),
    ]
    assert _subjects() == [f"Final report accepted: {submitted.funding_reference} is completed"]
    assert mail.outbox[0].to == [submitted.application.owner.email]


def test_asking_for_changes_reopens_the_report_and_says_what(submitted, staff):
    _review(submitted, staff, accept=False, comment="Link the release. " + "x" * 20_000)

    stored = _stored(submitted)
    assert stored["state"] == "changes_requested"
    assert stored["review_comment"] == ("Link the release. " + "x" * 20_000)[:20_000]
    assert _state_of(submitted.application) == A.FINAL_REPORT_DUE
    assert _subjects() == [f"Changes requested to your final report: {submitted.funding_reference}"]
    assert "Link the release." in mail.outbox[0].body
    entry = TransitionLog.objects.latest("pk")
    assert (entry.action, entry.actor, entry.note[:17], entry.visible_to_applicant) == (
        "grants.finalreport.changes_requested",
        staff,
        "Link the release.",
        True,
    )


@pytest.mark.parametrize("comment", ["", "  "])
def test_asking_for_changes_needs_a_comment(submitted, staff, comment):
    before, log = _stored(submitted), _log()

    with pytest.raises(WorkflowError, match="Say what should be changed") as caught:
        _review(submitted, staff, accept=False, comment=comment)

    assert caught.value.field_errors == {"comment": ["This field is required."]}
    assert (_stored(submitted), _log(), mail.outbox) == (before, log, [])


def test_a_review_of_a_report_reviewed_meanwhile_is_stale(submitted, staff):
    _review(submitted, staff, accept=False, comment="More.")
    before, log = _stored(submitted), _log()

    with pytest.raises(StaleObjectError):
        _review(submitted, staff, accept=True)
    assert (_stored(submitted), _log()) == (before, log)
    assert _state_of(submitted.application) == A.FINAL_REPORT_DUE


# Termination ------------------------------------------------------------------------------


def _terminate(grant, staff, reason="The team gave up.", expected_state=A.FUNDED):
    return terminate_grant(grant=grant, actor=staff, reason=reason, expected_state=expected_state)


def _everything(grant):
    grant = Grant.objects.get(pk=grant.pk)
    return (
        grant.application.state,
        grant.termination_reason,
        list(Milestone.objects.filter(grant=grant).values_list("pk", "state")),
        list(ChangeRequest.objects.values_list("pk", "state")),
        _log(),
    )


def test_terminating_cancels_what_was_not_accepted_and_refuses_a_pending_change(staff):
    grant = _grant()
    first, second, third = grant.milestones.all()
    set_state(first, MilestoneState.PAID)
    set_state(second, MilestoneState.REPORT_SUBMITTED)
    other = _grant()
    with time_machine.travel(dt.datetime(2026, 3, 10, 12, 0, tzinfo=BERLIN), tick=False):
        change = request_change(
            grant=grant,
            actor=grant.application.owner,
            kind="end_date",
            new_date=END + 30 * DAY,
            reason="Illness.",
        )
    mail.outbox.clear()

    _terminate(grant, staff, reason="  The team gave up.  ")

    grant = Grant.objects.get(pk=grant.pk)
    assert grant.termination_reason == "The team gave up."
    assert grant.application.state == A.TERMINATED
    assert list(grant.milestones.values_list("state", flat=True)) == [
        "paid",
        "cancelled",
        "cancelled",
    ]
    assert ChangeRequest.objects.get(pk=change.pk).state == "refused"
    assert set(other.milestones.values_list("state", flat=True)) == {"planned"}
    assert _state_of(other.application) == A.FUNDED
    notes = set(
        TransitionLog.objects.filter(
            action__in=["grants.milestone.cancelled", "grants.changerequest.refused"]
        ).values_list("note", "actor", "visible_to_applicant")
    )
    assert notes == {("The team gave up.", staff.pk, True)}
    assert _subjects() == [f"Grant {grant.funding_reference} terminated"]
    assert "The team gave up." in mail.outbox[0].body


@pytest.mark.parametrize("reason", ["", "   "])
def test_termination_needs_a_reason(staff, reason):
    grant = _grant()
    before = _everything(grant)

    with pytest.raises(WorkflowError, match="Give the reason for the termination.") as caught:
        _terminate(grant, staff, reason=reason)

    assert caught.value.field_errors == {"reason": ["This field is required."]}
    assert _everything(grant) == before


def test_the_reason_may_have_20000_characters_not_more(staff):
    grant = _grant()
    before = _everything(grant)

    with pytest.raises(WorkflowError, match="The reason is too long.") as caught:
        _terminate(grant, staff, reason="x" * 20_001)
    assert caught.value.field_errors == {"reason": ["At most 20000 characters."]}
    assert _everything(grant) == before

    _terminate(grant, staff, reason="x" * 20_000)
    assert Grant.objects.get(pk=grant.pk).termination_reason == "x" * 20_000


def test_a_termination_seen_on_a_stale_page_changes_nothing(staff):
    grant = _grant()
    request_due_final_reports(today=END + DAY)
    before = _everything(grant)

    with pytest.raises(StaleObjectError):
        _terminate(grant, staff, expected_state=A.FUNDED)
    assert _everything(grant) == before
