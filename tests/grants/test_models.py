"""Small model rules: states change only through transitions; names shown in the admin."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from grants.models import (
    Application,
    Call,
    CallTrack,
    FaqEntry,
    Fund,
    InformationRequest,
    InternalComment,
    PlannedMilestone,
    TeamMember,
    Topic,
    TransitionLog,
)
from grants.models.applications import Attachment
from grants.models.calls import validate_call_closing, validate_call_date
from grants.states import ApplicationState, CallState


@pytest.mark.parametrize(
    ("model", "state"), [(Application, ApplicationState.APPROVED), (Call, CallState.ARCHIVED)]
)
def test_state_is_set_only_by_transitions(model, state):
    instance = model()
    with pytest.raises(AttributeError, match="Direct state modification is not allowed"):
        instance.state = state


def test_names_shown_in_lists_and_the_admin():
    call = Call(
        title_de="Runde 2026/1",
        title_en="Round 2026/1",
        description_de="Prototypen.",
        description_en="Prototypes.",
    )
    topic = Topic(name_de="Offene Daten", name_en="Open Data")
    with translation.override("en"):
        names = [str(call), call.description, str(topic), topic.name]
    with translation.override("de"):
        names += [str(call), call.description, str(topic)]
    assert names == [
        "Round 2026/1",
        "Prototypes.",
        "Open Data",
        "Open Data",
        "Runde 2026/1",
        "Prototypen.",
        "Offene Daten",
    ]
    assert str(Fund(name="Civic Tech Fund")) == "Civic Tech Fund"
    assert str(Application(reference="CTF-2026-1-0001", title="Toolkit")) == (
        "CTF-2026-1-0001 Toolkit"
    )
    assert str(Application(reference="CTF-2026-1-0002")) == "CTF-2026-1-0002"
    assert str(TeamMember(name="Ada", email="ada@example.org")) == "Ada <ada@example.org>"
    assert str(PlannedMilestone(title="Beta release")) == "Beta release"
    assert str(Attachment(original_name="plan.pdf")) == "plan.pdf"
    assert str(TransitionLog(from_state="draft", to_state="submitted", action="x")) == (
        "x draft→submitted"
    )


def test_a_faq_entry_reads_in_the_active_language():
    entry = FaqEntry(
        question_de="Wer darf?", question_en="Who may?", answer_de="Vereine.", answer_en="Clubs."
    )
    with translation.override("de"):
        german = (str(entry), entry.question, entry.answer)
    with translation.override("en"):
        english = (str(entry), entry.question, entry.answer)

    assert german == ("Wer darf?", "Wer darf?", "Vereine.")
    assert english == ("Who may?", "Who may?", "Clubs.")


@pytest.mark.parametrize(
    ("days_after_due", "answered", "is_open", "overdue"),
    [
        (-1, False, True, False),
        (0, False, True, False),
        (1, False, True, True),
        (1, True, False, False),
    ],
)
def test_a_question_is_overdue_from_the_day_after_its_due_date_until_answered(
    days_after_due, answered, is_open, overdue
):
    today = timezone.localdate()
    request = InformationRequest(
        due_on=today - dt.timedelta(days=days_after_due),
        answered_at=timezone.now() if answered else None,
    )

    assert (request.is_open, request.is_overdue) == (is_open, overdue)


def test_long_questions_and_comments_are_cut_to_60_characters():
    text = "".join(str(index % 10) for index in range(80))
    assert str(InformationRequest(question=text)) == text[:60]
    assert str(InternalComment(body=text)) == text[:60]
    assert str(InformationRequest(question=text[:59])) == text[:59]


@pytest.mark.parametrize(("language", "name"), [("en-gb", "Open Data"), ("de-at", "Offene Daten")])
def test_a_regional_variant_reads_its_language(language, name):
    with translation.override(language):
        assert Topic(name_de="Offene Daten", name_en="Open Data").name == name


def test_a_topic_falls_back_to_the_other_language():
    with translation.override("en"):
        assert Topic(name_de="Offene Daten", name_en="").name == "Offene Daten"
    with translation.override("de"):
        assert Topic(name_de="", name_en="Open Data").name == "Open Data"


@pytest.mark.parametrize(("kind", "team"), [("individual", False), ("team", True), (None, False)])
def test_is_team(kind, team):
    track = CallTrack(kind=kind) if kind else None
    assert Application(track=track).is_team is team


def test_budget_of_900_hours_in_a_standard_call():
    call = Call(
        hourly_rate=Decimal("50.00"),
        overhead_percent=Decimal("5.00"),
        funding_rate_percent=Decimal("95.00"),
    )
    track = CallTrack(cap=Decimal("47500.00"))
    assert Application(call=call, track=track).budget(hours=900) == {
        "hours": 900,
        "rate": Decimal("50.00"),
        "personnel": Decimal("45000.00"),
        "overhead": Decimal("2250.00"),
        "total": Decimal("47250.00"),
        "requested": Decimal("44887.50"),
        "own_share": Decimal("2362.50"),
        "cap": Decimal("47500.00"),
        "within_cap": True,
    }


def test_a_track_with_its_own_hourly_rate_budgets_at_that_rate():
    call = Call(
        hourly_rate=Decimal("50.00"),
        overhead_percent=Decimal("5.00"),
        funding_rate_percent=Decimal("95.00"),
    )
    track = CallTrack(cap=Decimal("47500.00"), hourly_rate=Decimal("60.00"))
    budget = Application(call=call, track=track).budget(hours=900)
    assert (budget["rate"], budget["personnel"], budget["requested"]) == (
        Decimal("60.00"),
        Decimal("54000.00"),
        Decimal("53865.00"),
    )
    assert budget["within_cap"] is False


BERLIN = ZoneInfo("Europe/Berlin")
OPENS = dt.datetime(2026, 11, 1, 10, 0, tzinfo=BERLIN)
CLOSES = dt.datetime(2026, 12, 1, 0, 0, tzinfo=BERLIN)


@pytest.mark.parametrize(
    ("at", "accepted"),
    [
        (OPENS - dt.timedelta(microseconds=1), False),
        (OPENS, True),
        (CLOSES - dt.timedelta(microseconds=1), True),
        (CLOSES, False),
    ],
)
def test_an_open_call_accepts_from_its_opening_until_just_before_its_close(at, accepted):
    call = Call(state=CallState.OPEN, opens_at=OPENS, closes_at=CLOSES)
    assert call.accepts_submissions(at=at) is accepted


MICROSECOND = dt.timedelta(microseconds=1)


@pytest.mark.parametrize(
    ("state", "at", "opens_later", "deadline_passed"),
    [
        (CallState.OPEN, OPENS - MICROSECOND, True, False),
        (CallState.OPEN, OPENS, False, False),
        (CallState.OPEN, CLOSES - MICROSECOND, False, False),
        (CallState.OPEN, CLOSES, False, True),
        # Closed by staff: neither announced nor overdue, whatever the clock says.
        (CallState.CLOSED, OPENS - MICROSECOND, False, False),
        (CallState.CLOSED, CLOSES, False, False),
    ],
)
def test_an_open_call_is_announced_before_its_opening_and_overdue_from_its_close(
    state, at, opens_later, deadline_passed
):
    """What the staff list and the call page say ("Open from …", "Open, deadline passed")."""
    call = Call(state=state, opens_at=OPENS, closes_at=CLOSES)
    assert (call.opens_later(at=at), call.deadline_passed(at=at)) == (
        opens_later,
        deadline_passed,
    )


def test_an_open_call_without_dates_is_neither_announced_nor_overdue():
    call = Call(state=CallState.OPEN, opens_at=None, closes_at=None)
    assert (call.opens_later(at=CLOSES), call.deadline_passed(at=CLOSES)) == (False, False)


@pytest.mark.parametrize(
    ("validator", "value", "valid"),
    [
        (validate_call_date, dt.date(1999, 12, 31), False),
        (validate_call_date, dt.date(2000, 1, 1), True),
        (validate_call_date, dt.date(2099, 12, 31), True),
        (validate_call_date, dt.date(2100, 1, 1), False),
        (validate_call_date, dt.datetime(2000, 1, 1, 0, 0, tzinfo=BERLIN), True),
        (validate_call_date, dt.datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=BERLIN), False),
        # A call closes at the midnight after its closing day: the day before is what counts.
        (validate_call_closing, dt.datetime(2000, 1, 1, 0, 0, tzinfo=BERLIN), False),
        (validate_call_closing, dt.datetime(2000, 1, 1, 0, 0, 0, 1, tzinfo=BERLIN), True),
        (validate_call_closing, dt.datetime(2100, 1, 1, 0, 0, tzinfo=BERLIN), True),
        (validate_call_closing, dt.datetime(2100, 1, 1, 0, 0, 0, 1, tzinfo=BERLIN), False),
    ],
)
def test_a_call_date_and_closing_day_lie_between_2000_and_2099(validator, value, valid):
    if valid:
        assert validator(value) is None
    else:
        with pytest.raises(
            ValidationError, match="Enter a date between 2000-01-01 and 2099-12-31."
        ):
            validator(value)


@pytest.mark.parametrize(
    ("closes_at", "closing_day"),
    [
        (CLOSES, dt.date(2026, 11, 30)),  # midnight ends the day before
        (CLOSES + dt.timedelta(microseconds=1), dt.date(2026, 12, 1)),
        (CLOSES + dt.timedelta(hours=12), dt.date(2026, 12, 1)),
        (None, None),
    ],
)
def test_the_closing_day_is_the_day_of_the_last_accepted_moment(closes_at, closing_day):
    assert Call(closes_at=closes_at).closing_day == closing_day
