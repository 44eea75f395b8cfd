"""What the grants demo tells: the sizes, the three calls and their dates, and the plan of
each application (its final state and whether staff ask a question).

Every date is a fixed offset from an anchor (midnight, Berlin time, on the first day of the
current month), so the story always fits "now": a decided past call, a call that closed a
few weeks ago and is in review, and an open call.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from grants.states import ApplicationState, CallState, Licence

S = ApplicationState
MINUTE = dt.timedelta(minutes=1)
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
ROUNDS_PER_YEAR = 3

TOPICS = {
    "open-data": ("Offene Daten", "Open Data"),
    "civic-tech": ("Civic Tech", "Civic Tech"),
    "data-security": ("Datensicherheit", "Data Security"),
}

CALL_RULES = {
    "budget": Decimal("1500000.00"),
    "hourly_rate": Decimal("50.00"),
    "overhead_percent": Decimal("5.00"),
    "funding_rate_percent": Decimal("95.00"),
    "reviews_per_application": 3,
}


@dataclass(frozen=True)
class SeedSize:
    generated_applicants: int
    # State → number of applications, the demo applicant's own ones included.
    older: dict
    past: dict
    current: dict
    open: dict
    past_answered_requests: int
    current_open_requests: int
    current_answered_requests: int


SIZES = {
    "small": SeedSize(
        generated_applicants=12,
        older={S.APPROVED: 3, S.REJECTED: 2, S.INELIGIBLE: 1},
        past={S.APPROVED: 3, S.WAITLISTED: 1, S.REJECTED: 2, S.INELIGIBLE: 1, S.WITHDRAWN: 1},
        current={S.SUBMITTED: 3, S.ELIGIBLE: 2, S.IN_REVIEW: 2, S.REVIEWED: 2, S.INELIGIBLE: 2,
                 S.WITHDRAWN: 1},
        open={S.DRAFT: 2, S.SUBMITTED: 1},
        past_answered_requests=1,
        current_open_requests=2,
        current_answered_requests=2,
    ),
    "realistic": SeedSize(
        generated_applicants=300,
        older={S.APPROVED: 6, S.WAITLISTED: 1, S.REJECTED: 18, S.INELIGIBLE: 4, S.WITHDRAWN: 1},
        past={S.APPROVED: 30, S.WAITLISTED: 6, S.REJECTED: 60, S.INELIGIBLE: 16, S.WITHDRAWN: 8},
        current={S.SUBMITTED: 35, S.ELIGIBLE: 45, S.IN_REVIEW: 60, S.REVIEWED: 110,
                 S.INELIGIBLE: 35, S.WITHDRAWN: 15},
        open={S.DRAFT: 26, S.SUBMITTED: 13, S.WITHDRAWN: 1},
        past_answered_requests=10,
        current_open_requests=12,
        current_answered_requests=25,
    ),
}  # fmt: skip

# By the keys of the usual tracks (grants.tracks).
TRACK_WEIGHTS = {"individual_6": 35, "team_6": 30, "individual_10": 15, "team_10": 20}
TOPIC_WEIGHTS = {"open-data": 40, "civic-tech": 35, "data-security": 25}
LICENCE_WEIGHTS = {Licence.MIT: 20, Licence.AGPL_3: 18, Licence.GPL_3: 15, Licence.APACHE_2: 15,
                   Licence.EUPL_12: 10, Licence.MPL_2: 8, Licence.BSD_3: 5, Licence.LGPL_3: 4,
                   Licence.BSD_2: 2, Licence.ISC: 2, Licence.GPL_2: 1}  # fmt: skip
CODE_HOSTS = ("codeberg.org", "github.com", "gitlab.com")

DECIDED = (S.APPROVED, S.WAITLISTED, S.REJECTED, S.FUNDED)


def demo_anchor(today: dt.date | None = None) -> dt.datetime:
    """Midnight, Berlin time, on the first day of the current month: every demo date is a
    fixed offset from it, so runs within a month write identical rows."""
    today = today or timezone.localdate()
    return timezone.make_aware(dt.datetime.combine(today.replace(day=1), dt.time.min))


def _midnight(moment: dt.datetime) -> dt.datetime:
    local = timezone.localtime(moment)
    return timezone.make_aware(dt.datetime.combine(local.date(), dt.time.min))


def _round_of(closes_at: dt.datetime) -> tuple[int, int]:
    """Three rounds a year, named by the third of the year of their closing day."""
    closing_day = timezone.localtime(closes_at - dt.timedelta(microseconds=1)).date()
    return closing_day.year, (closing_day.month - 1) // 4 + 1


def _shift_round(year: int, number: int, by: int) -> tuple[int, int]:
    index = year * ROUNDS_PER_YEAR + number - 1 + by
    return index // ROUNDS_PER_YEAR, index % ROUNDS_PER_YEAR + 1


# The past call had a larger budget: about 25 funded projects at every stage for the demo.
PAST_CALL_BUDGET = Decimal("2000000.00")
# Decided calls whose approved applications become grants (demo/grants/contracts.py): an
# older call, archived now that its projects have ended, and the past call.
DECIDED_KINDS = ("older", "past")


@dataclass
class CallPlan:
    kind: str  # past, current, open
    year: int
    round_number: int
    opens_at: dt.datetime
    closes_at: dt.datetime
    state: str
    # Phases after the deadline (staff screening, jury review, decisions).
    screening_until: dt.datetime | None = None
    review_started_at: dt.datetime | None = None
    review_closed_at: dt.datetime | None = None
    decided_at: dt.datetime | None = None
    archived_at: dt.datetime | None = None

    @property
    def created_at(self) -> dt.datetime:
        return self.opens_at - 21 * DAY + 10 * HOUR

    @property
    def opened_at(self) -> dt.datetime:
        """Staff open (publish) the call a week before it accepts applications."""
        return self.opens_at - 7 * DAY + 11 * HOUR


def call_plans(anchor: dt.datetime) -> list[CallPlan]:
    current_closes = _midnight(anchor - 14 * DAY)
    year, number = _round_of(current_closes)
    # Long enough ago for six-month grants to have ended and reported (demo/grants/contracts.py).
    past_closes = _midnight(anchor - 330 * DAY)
    # Long enough ago for all its projects, ten-month ones too, to have ended and reported.
    older_closes = _midnight(anchor - 700 * DAY)
    return [
        CallPlan(
            "older",
            *_round_of(older_closes),
            opens_at=_midnight(older_closes - 60 * DAY),
            closes_at=older_closes,
            state=CallState.ARCHIVED,
            screening_until=older_closes + 15 * DAY,
            review_started_at=older_closes + 18 * DAY + 10 * HOUR,
            review_closed_at=older_closes + 50 * DAY + 16 * HOUR,
            decided_at=older_closes + 70 * DAY + 11 * HOUR,
            archived_at=_midnight(anchor - 45 * DAY) + 10 * HOUR,
        ),
        CallPlan(
            "past",
            *_round_of(past_closes),
            opens_at=_midnight(past_closes - 60 * DAY),
            closes_at=past_closes,
            state=CallState.DECIDED,
            screening_until=past_closes + 15 * DAY,
            review_started_at=past_closes + 18 * DAY + 10 * HOUR,
            review_closed_at=past_closes + 50 * DAY + 16 * HOUR,
            decided_at=past_closes + 70 * DAY + 11 * HOUR,
        ),
        CallPlan(
            "current",
            year,
            number,
            opens_at=_midnight(current_closes - 86 * DAY),
            closes_at=current_closes,
            state=CallState.IN_REVIEW,
            screening_until=current_closes + 9 * DAY,
            review_started_at=current_closes + 10 * DAY + 10 * HOUR,
        ),
        CallPlan(
            "open",
            *_shift_round(year, number, 1),
            opens_at=_midnight(anchor - 10 * DAY),
            closes_at=_midnight(anchor + 95 * DAY),
            state=CallState.OPEN,
        ),
    ]


@dataclass
class AppPlan:
    """One application of the story: its owner, final state and content."""

    state: str
    owner: object
    request: str = ""  # "", "open" or "answered": a question from staff
    question: int | None = None  # index into texts.QUESTIONS; random when None
    request_due: dt.date | None = None
    partial: bool = False  # a draft still being written
    # What the applicant types (update_draft's arguments), and what it will request.
    fields: dict = field(default_factory=dict)
    milestones: list = field(default_factory=list)
    members: list = field(default_factory=list)
    requested: Decimal = Decimal("0")
    # The application, once the story has started it.
    application: object = None

    @property
    def lang(self) -> int:
        return 0 if self.owner.language == "de" else 1
