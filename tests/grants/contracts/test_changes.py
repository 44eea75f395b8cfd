"""Change requests (grants.contracts.services.changes): every rule of a request, with its
exact message and the day before, on and after each date limit; staff's decision, where an
approval applies the change and a refusal (or a request that is no longer possible) changes
nothing at all.

The clock stands at 10 March 2026 (Berlin). The grant runs from 1 January to 30 June 2026;
its milestones are due on 28 February, 30 April and 30 June; the latest end a request may
ask for is 31 December 2026 (six months more)."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from core.errors import StaleObjectError, WorkflowError
from grants.contracts.services.changes import decide_change_request, request_change
from grants.models import ChangeRequest, Grant, Milestone
from grants.states import ApplicationState, MilestoneState
from tests.factories import make_grant, set_state
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 10)
DAY = dt.timedelta(days=1)
END = dt.date(2026, 6, 30)
LATEST_END = dt.date(2026, 12, 31)


@pytest.fixture(autouse=True)
def _today():
    at = dt.datetime(2026, 3, 10, 12, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    with time_machine.travel(at, tick=False):
        yield


@pytest.fixture
def grant():
    grant = make_grant(starts_on=dt.date(2026, 1, 1))
    assert (grant.starts_on, grant.ends_on) == (dt.date(2026, 1, 1), END)
    assert [m.due_on for m in grant.milestones.all()] == [
        dt.date(2026, 2, 28),
        dt.date(2026, 4, 30),
        END,
    ]
    return grant


def _owner(grant):
    return grant.application.owner


def _field_errors(call, **kwargs):
    with pytest.raises(WorkflowError) as caught:
        call(**kwargs)
    return caught.value.field_errors


def _state(grant):
    """Everything a change request could touch, to compare before and after."""
    grant = Grant.objects.get(pk=grant.pk)
    return {
        "ends_on": grant.ends_on,
        "milestones": list(
            Milestone.objects.filter(grant=grant)
            .order_by("position")
            .values_list("pk", "due_on", "amount", "state")
        ),
        "changes": list(
            ChangeRequest.objects.order_by("pk").values_list(
                "pk", "state", "decided_by", "decided_at", "decision_note"
            )
        ),
        "log": list(TransitionLog.objects.order_by("pk").values_list("pk", "action")),
    }


def _ask(grant, **kwargs):
    values = {"grant": grant, "actor": _owner(grant), "reason": "A partner city is late."}
    return request_change(**(values | kwargs))


def _ask_date(grant, new_date, milestone=None, **kwargs):
    milestone = milestone or grant.milestones.get(position=2)
    return _ask(grant, kind="milestone_date", milestone=milestone, new_date=new_date, **kwargs)


def _amounts(grant, *values):
    return {str(m.pk): value for m, value in zip(grant.milestones.all(), values, strict=True)}


# Asking ----------------------------------------------------------------------------------


def test_a_milestone_date_request_is_recorded_and_logged_as_asked(grant):
    second = grant.milestones.get(position=2)

    change = _ask(
        grant,
        kind="milestone_date",
        milestone=second,
        new_date=dt.date(2026, 5, 15),
        reason="  A partner city is late.  ",
    )

    change = ChangeRequest.objects.get(pk=change.pk)
    assert (change.grant, change.kind, change.milestone, change.state) == (
        grant,
        "milestone_date",
        second,
        "pending",
    )
    assert (change.old_date, change.new_date) == (dt.date(2026, 4, 30), dt.date(2026, 5, 15))
    assert (change.old_amounts, change.new_amounts) == ({}, {})
    assert change.reason == "A partner city is late."
    assert change.requested_by == _owner(grant)
    entry = TransitionLog.objects.get()
    assert (entry.object_id, entry.action, entry.actor, entry.from_state, entry.to_state) == (
        change.pk,
        "grants.changerequest.created",
        _owner(grant),
        "",
        "pending",
    )
    assert (entry.note, entry.visible_to_applicant) == ("A partner city is late.", True)
    # Asking changes nothing yet.
    assert grant.milestones.get(position=2).due_on == dt.date(2026, 4, 30)


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_request_without_a_reason_is_refused(grant, reason):
    before = _state(grant)

    errors = _field_errors(_ask_date, grant=grant, new_date=dt.date(2026, 5, 15), reason=reason)

    assert errors == {"reason": ["Explain why the change is needed."]}
    assert _state(grant) == before


def test_the_reason_may_have_5000_characters_not_more(grant):
    before = _state(grant)
    second = grant.milestones.get(position=2)
    kwargs = {"kind": "milestone_date", "milestone": second, "new_date": dt.date(2026, 5, 15)}

    errors = _field_errors(_ask, grant=grant, reason="x" * 5001, **kwargs)
    assert errors == {"reason": ["At most 5000 characters."]}
    assert _state(grant) == before

    assert _ask(grant, reason="x" * 5000, **kwargs).reason == "x" * 5000


def test_only_the_grantee_of_a_funded_project_may_ask(grant, staff):
    before = _state(grant)
    message = "Changes can be requested only while the project is funded."

    with pytest.raises(WorkflowError, match=message):
        _ask(grant, actor=staff, kind="end_date", new_date=dt.date(2026, 7, 31))
    set_state(grant.application, ApplicationState.FINAL_REPORT_DUE)
    with pytest.raises(WorkflowError, match=message):
        _ask(grant, kind="end_date", new_date=dt.date(2026, 7, 31))
    assert _state(grant) == before


def test_one_request_at_a_time(grant):
    _ask(grant, kind="end_date", new_date=dt.date(2026, 7, 31))
    before = _state(grant)

    with pytest.raises(WorkflowError, match="still waiting for a decision"):
        _ask(grant, kind="end_date", new_date=dt.date(2026, 8, 31))
    assert _state(grant) == before


def test_an_unknown_kind_is_refused(grant):
    before = _state(grant)

    errors = _field_errors(_ask, grant=grant, kind="budget", new_date=dt.date(2026, 7, 31))

    assert errors == {"kind": ["Choose what to change."]}
    assert _state(grant) == before


# Moving a milestone ------------------------------------------------------------------------

DATE_ERROR = "Choose a day between today and the end of the funding period (2026-06-30)."


@pytest.mark.parametrize(
    ("new_date", "allowed"),
    [
        (TODAY - DAY, False),
        (TODAY, True),
        (TODAY + DAY, True),
        (END - DAY, True),
        (END, True),
        (END + DAY, False),
        (None, False),
    ],
)
def test_a_milestone_moves_to_a_day_from_today_to_the_end_of_the_period(grant, new_date, allowed):
    before = _state(grant)

    if allowed:
        assert _ask_date(grant, new_date).new_date == new_date
    else:
        errors = _field_errors(_ask_date, grant=grant, new_date=new_date)
        assert errors == {"new_date": [DATE_ERROR]}
        assert _state(grant) == before


def test_only_a_milestone_of_this_grant_can_be_moved(grant):
    other = make_grant(starts_on=dt.date(2026, 1, 1))
    before = _state(grant)
    message = ["Choose a milestone of this grant."]

    assert _field_errors(
        _ask_date, grant=grant, new_date=dt.date(2026, 5, 1), milestone=other.milestones.first()
    ) == {"milestone": message}
    assert _field_errors(
        _ask, grant=grant, kind="milestone_date", milestone=None, new_date=dt.date(2026, 5, 1)
    ) == {"milestone": message}
    assert _state(grant) == before


@pytest.mark.parametrize(
    ("state", "allowed"),
    [
        (MilestoneState.PLANNED, True),
        (MilestoneState.CHANGES_REQUESTED, True),
        (MilestoneState.REPORT_SUBMITTED, False),
        (MilestoneState.ACCEPTED, False),
        (MilestoneState.PAID, False),
    ],
)
def test_only_a_milestone_still_awaiting_its_report_can_be_moved(grant, state, allowed):
    second = set_state(grant.milestones.get(position=2), state)
    before = _state(grant)

    if allowed:
        assert _ask_date(grant, dt.date(2026, 5, 1), milestone=second).milestone == second
    else:
        errors = _field_errors(
            _ask_date, grant=grant, new_date=dt.date(2026, 5, 1), milestone=second
        )
        assert errors == {
            "milestone": ["Only a milestone that has not been reported can be moved."]
        }
        assert _state(grant) == before


# Moving the end of the funding period --------------------------------------------------------


def _end_error(first):
    return {
        "new_date": [
            f"Choose a day from {first.isoformat()} to 2026-12-31: not before the open "
            "milestones are due, and at most 6 months later than planned."
        ]
    }


@pytest.mark.parametrize(
    ("new_date", "allowed"),
    [
        (END - DAY, False),  # before the last open milestone is due
        (END, True),
        (LATEST_END - DAY, True),
        (LATEST_END, True),
        (LATEST_END + DAY, False),  # more than six months later
        (None, False),
    ],
)
def test_the_end_moves_no_earlier_than_the_last_open_milestone_and_at_most_six_months(
    grant, new_date, allowed
):
    before = _state(grant)

    if allowed:
        change = _ask(grant, kind="end_date", new_date=new_date)
        assert (change.old_date, change.new_date, change.milestone) == (END, new_date, None)
    else:
        errors = _field_errors(_ask, grant=grant, kind="end_date", new_date=new_date)
        assert errors == _end_error(END)
        assert _state(grant) == before


@pytest.mark.parametrize(
    ("new_date", "allowed"), [(TODAY - DAY, False), (TODAY, True), (TODAY + DAY, True)]
)
def test_the_end_moves_no_earlier_than_today_once_the_open_milestones_were_due(
    grant, new_date, allowed
):
    # Only the first milestone (due 28 February) still awaits its report.
    for milestone in grant.milestones.filter(position__gt=1):
        set_state(milestone, MilestoneState.ACCEPTED)
    before = _state(grant)

    if allowed:
        assert _ask(grant, kind="end_date", new_date=new_date).new_date == new_date
    else:
        errors = _field_errors(_ask, grant=grant, kind="end_date", new_date=new_date)
        assert errors == _end_error(TODAY)
        assert _state(grant) == before


def test_with_every_milestone_reported_the_end_moves_from_today(grant):
    grant.milestones.update(state=MilestoneState.ACCEPTED)

    errors = _field_errors(_ask, grant=grant, kind="end_date", new_date=TODAY - DAY)

    assert errors == _end_error(TODAY)
    assert _ask(grant, kind="end_date", new_date=TODAY).new_date == TODAY


def test_a_milestone_passed_with_an_end_date_request_is_not_kept(grant):
    change = _ask(
        grant, kind="end_date", new_date=dt.date(2026, 7, 31), milestone=grant.milestones.first()
    )

    assert ChangeRequest.objects.get(pk=change.pk).milestone is None


# Shifting amounts ------------------------------------------------------------------------

AMOUNTS_ERROR = {
    "new_amounts": [
        "Amounts can be shifted only between milestones that have not been reported, at least two."
    ]
}


def test_amounts_shift_between_the_open_milestones_and_keep_the_award(grant):
    first, second, third = grant.milestones.all()

    change = _ask(
        grant, kind="amounts", new_amounts=_amounts(grant, "10000", "20000.00", "14887.5")
    )

    change = ChangeRequest.objects.get(pk=change.pk)
    assert change.old_amounts == {
        str(first.pk): "15000.00",
        str(second.pk): "15000.00",
        str(third.pk): "14887.50",
    }
    assert change.new_amounts == {
        str(first.pk): "10000.00",
        str(second.pk): "20000.00",
        str(third.pk): "14887.50",
    }
    assert (change.milestone, change.old_date, change.new_date) == (None, None, None)


def test_amounts_must_name_exactly_the_open_milestones(grant):
    first, second, third = grant.milestones.all()
    before = _state(grant)

    missing = {str(first.pk): "20000.00", str(second.pk): "24887.50"}
    extra = _amounts(grant, "15000.00", "15000.00", "14887.50") | {"999999": "0.01"}
    assert _field_errors(_ask, grant=grant, kind="amounts", new_amounts=missing) == AMOUNTS_ERROR
    assert _field_errors(_ask, grant=grant, kind="amounts", new_amounts=extra) == AMOUNTS_ERROR
    assert _field_errors(_ask, grant=grant, kind="amounts", new_amounts=None) == AMOUNTS_ERROR
    assert _state(grant) == before


def test_amounts_need_at_least_two_open_milestones(grant, staff):
    first, second, third = grant.milestones.all()
    set_state(first, MilestoneState.ACCEPTED)
    two = {str(second.pk): "10000.00", str(third.pk): "19887.50"}

    change = _ask(grant, kind="amounts", new_amounts=two)
    assert change.new_amounts == two
    _decide(change, staff, approve=False, note="Not now.")
    set_state(second, MilestoneState.REPORT_SUBMITTED)
    before = _state(grant)

    errors = _field_errors(
        _ask, grant=grant, kind="amounts", new_amounts={str(third.pk): "14887.50"}
    )
    assert errors == AMOUNTS_ERROR
    assert _state(grant) == before


@pytest.mark.parametrize("bad", ["ten euros", 10.5, None, "NaN-ish"])
def test_amounts_must_be_euros(grant, bad):
    before = _state(grant)

    errors = _field_errors(
        _ask, grant=grant, kind="amounts", new_amounts=_amounts(grant, bad, "15000", "14887.50")
    )

    assert errors == {"new_amounts": ["Enter amounts in euros, e.g. 12500.00."]}
    assert _state(grant) == before


@pytest.mark.parametrize(
    ("smallest", "allowed"), [("-0.01", False), ("0.00", False), ("0.01", True)]
)
def test_every_milestone_keeps_an_amount_above_zero(grant, smallest, allowed):
    rest = Decimal("44887.50") - Decimal(smallest) - Decimal("15000.00")
    amounts = _amounts(grant, smallest, "15000.00", str(rest))
    before = _state(grant)

    if allowed:
        assert _ask(grant, kind="amounts", new_amounts=amounts).new_amounts == amounts
    else:
        errors = _field_errors(_ask, grant=grant, kind="amounts", new_amounts=amounts)
        assert errors == {"new_amounts": ["Every milestone keeps an amount above zero."]}
        assert _state(grant) == before


@pytest.mark.parametrize("third", ["14887.49", "14887.51"])
def test_the_amounts_must_add_up_to_the_open_amount_to_the_cent(grant, third):
    before = _state(grant)

    errors = _field_errors(
        _ask, grant=grant, kind="amounts", new_amounts=_amounts(grant, "15000", "15000", third)
    )

    total = "€44,887.49" if third == "14887.49" else "€44,887.51"
    assert errors == {
        "new_amounts": [
            f"The new amounts add up to {total}; they must add up to €44,887.50, "
            "so that the award stays the same."
        ]
    }
    assert _state(grant) == before


def test_amounts_of_reported_milestones_do_not_count(grant):
    first, second, third = grant.milestones.all()
    set_state(first, MilestoneState.PAID)

    errors = _field_errors(
        _ask,
        grant=grant,
        kind="amounts",
        new_amounts={str(second.pk): "20000.00", str(third.pk): "24887.50"},
    )

    assert errors == {
        "new_amounts": [
            "The new amounts add up to €44,887.50; they must add up to €29,887.50, "
            "so that the award stays the same."
        ]
    }


# Deciding --------------------------------------------------------------------------------


def _decide(change, staff, *, approve, note="", expected_state="pending"):
    return decide_change_request(
        change_request=change,
        actor=staff,
        approve=approve,
        note=note,
        expected_state=expected_state,
    )


def _requests_of_each_kind():
    return {
        "milestone_date": lambda grant: _ask_date(grant, dt.date(2026, 5, 15)),
        "end_date": lambda grant: _ask(grant, kind="end_date", new_date=dt.date(2026, 9, 30)),
        "amounts": lambda grant: _ask(
            grant, kind="amounts", new_amounts=_amounts(grant, "5000", "25000", "14887.50")
        ),
    }


def test_approving_a_milestone_date_moves_that_milestone_only(
    grant, staff, django_capture_on_commit_callbacks
):
    change = _ask_date(grant, dt.date(2026, 5, 15))

    with django_capture_on_commit_callbacks(execute=True):
        _decide(change, staff, approve=True, note="  Fine.  ")

    assert [m.due_on for m in grant.milestones.all()] == [
        dt.date(2026, 2, 28),
        dt.date(2026, 5, 15),
        END,
    ]
    change = ChangeRequest.objects.get(pk=change.pk)
    assert (change.state, change.decided_by, change.decision_note) == ("approved", staff, "Fine.")
    assert change.decided_at is not None
    entry = TransitionLog.objects.latest("pk")
    assert (entry.object_id, entry.action, entry.actor, entry.from_state, entry.to_state) == (
        change.pk,
        "grants.changerequest.approved",
        staff,
        "pending",
        "approved",
    )
    assert entry.note == "Fine."
    [message] = mail.outbox
    assert message.to == [_owner(grant).email]
    assert message.subject == (
        f"[Civic Tech Fund] Change request approved: {grant.funding_reference}"
    )
    assert "approved your change request" in message.body
    assert "Fine." in message.body


def test_approving_an_end_date_moves_the_end_of_the_period(grant, staff):
    change = _ask(grant, kind="end_date", new_date=dt.date(2026, 9, 30))
    milestones = _state(grant)["milestones"]

    _decide(change, staff, approve=True)

    assert Grant.objects.get(pk=grant.pk).ends_on == dt.date(2026, 9, 30)
    assert _state(grant)["milestones"] == milestones
    assert ChangeRequest.objects.get(pk=change.pk).decision_note == ""


def test_approving_amounts_sets_them_on_the_milestones(grant, staff):
    other = make_grant(starts_on=dt.date(2026, 1, 1))
    change = _ask(grant, kind="amounts", new_amounts=_amounts(grant, "5000", "25000", "14887.50"))

    _decide(change, staff, approve=True)

    assert [m.amount for m in grant.milestones.all()] == [
        Decimal("5000.00"),
        Decimal("25000.00"),
        Decimal("14887.50"),
    ]
    assert [m.amount for m in other.milestones.all()] == [
        Decimal("15000.00"),
        Decimal("15000.00"),
        Decimal("14887.50"),
    ]
    assert Grant.objects.get(pk=grant.pk).ends_on == END


@pytest.mark.parametrize("kind", ["milestone_date", "end_date", "amounts"])
def test_a_refusal_changes_nothing_but_the_request_and_tells_the_grantee_why(
    grant, staff, kind, django_capture_on_commit_callbacks
):
    change = _requests_of_each_kind()[kind](grant)
    before = _state(grant)

    with django_capture_on_commit_callbacks(execute=True):
        _decide(change, staff, approve=False, note="  The city confirmed the old date.  ")

    after = _state(grant)
    assert (after["ends_on"], after["milestones"]) == (before["ends_on"], before["milestones"])
    change = ChangeRequest.objects.get(pk=change.pk)
    assert (change.state, change.decided_by, change.decision_note) == (
        "refused",
        staff,
        "The city confirmed the old date.",
    )
    entry = TransitionLog.objects.latest("pk")
    assert (entry.action, entry.actor, entry.from_state, entry.to_state, entry.note) == (
        "grants.changerequest.refused",
        staff,
        "pending",
        "refused",
        "The city confirmed the old date.",
    )
    assert entry.visible_to_applicant is True
    [message] = mail.outbox
    assert message.to == [_owner(grant).email]
    assert message.subject == f"[Civic Tech Fund] Change request refused: {grant.funding_reference}"
    assert "refused your change request" in message.body
    assert "The city confirmed the old date." in message.body


@pytest.mark.parametrize("note", ["", "   ", None])
def test_a_refusal_needs_a_reason(grant, staff, note, django_capture_on_commit_callbacks):
    change = _ask_date(grant, dt.date(2026, 5, 15))
    before = _state(grant)

    with django_capture_on_commit_callbacks(execute=True):
        errors = _field_errors(_decide, change=change, staff=staff, approve=False, note=note)

    assert errors == {"note": ["Explain the refusal to the grantee."]}
    assert _state(grant) == before
    assert mail.outbox == []


def test_the_decision_note_may_have_5000_characters_not_more(grant, staff):
    change = _ask_date(grant, dt.date(2026, 5, 15))
    before = _state(grant)

    errors = _field_errors(_decide, change=change, staff=staff, approve=True, note="x" * 5001)
    assert errors == {"note": ["At most 5000 characters."]}
    assert _state(grant) == before

    _decide(change, staff, approve=True, note="x" * 5000)
    assert ChangeRequest.objects.get(pk=change.pk).decision_note == "x" * 5000


def test_a_request_no_longer_possible_is_not_approved(grant, staff):
    change = _ask_date(grant, dt.date(2026, 5, 15))
    set_state(grant.milestones.get(position=2), MilestoneState.REPORT_SUBMITTED)
    before = _state(grant)

    errors = _field_errors(_decide, change=change, staff=staff, approve=True)

    assert errors == {"milestone": ["Only a milestone that has not been reported can be moved."]}
    assert _state(grant) == before


def test_amounts_no_longer_possible_are_not_approved(grant, staff):
    change = _ask(grant, kind="amounts", new_amounts=_amounts(grant, "5000", "25000", "14887.50"))
    set_state(grant.milestones.get(position=1), MilestoneState.REPORT_SUBMITTED)
    before = _state(grant)

    errors = _field_errors(_decide, change=change, staff=staff, approve=True)

    assert errors == AMOUNTS_ERROR
    assert _state(grant) == before


def test_a_request_no_longer_possible_may_still_be_refused(grant, staff):
    change = _ask_date(grant, dt.date(2026, 5, 15))
    set_state(grant.milestones.get(position=2), MilestoneState.REPORT_SUBMITTED)

    _decide(change, staff, approve=False, note="Reported meanwhile.")

    assert ChangeRequest.objects.get(pk=change.pk).state == "refused"


@pytest.mark.parametrize("approve", [True, False])
def test_a_decision_on_a_request_decided_meanwhile_is_stale(grant, staff, approve):
    change = _ask_date(grant, dt.date(2026, 5, 15))
    _decide(change, staff, approve=False, note="No.")
    before = _state(grant)

    with pytest.raises(StaleObjectError):
        _decide(change, staff, approve=approve, note="Yes.")
    assert _state(grant) == before
