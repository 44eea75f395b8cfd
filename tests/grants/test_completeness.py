"""What a proposal needs before it can be submitted (grants.completeness), rule by
rule and at each boundary. The factory's application is complete: 3 milestones of 300
hours in months 2, 4 and 6, individual 6-month track, 44,887.50 € requested."""

from decimal import Decimal

import pytest
from django.utils import translation

from grants.completeness import REQUIRED_FIELDS, completeness_errors, team_member_errors
from grants.models import CallTrack, PlannedMilestone, TeamMember
from grants.states import WORD_LIMITS
from tests.factories import ApplicationFactory, CallFactory, track_of

pytestmark = pytest.mark.django_db


def milestone(position, *, month=1, hours=100, title="Step", deliverable="Release"):
    return PlannedMilestone(
        position=position, month=month, hours=hours, title=title, deliverable=deliverable
    )


def members(count):
    return [TeamMember(email=f"member{n}@example.org", name=f"Member {n}") for n in range(count)]


def test_the_factory_application_is_complete():
    assert completeness_errors(ApplicationFactory()) == {}


EMPTY = [("topic", None), ("track", "")] + [
    (field, empty)
    for field in REQUIRED_FIELDS
    if field not in ("topic", "track")
    for empty in ("", "   \n")
]


@pytest.mark.parametrize(("field", "empty"), EMPTY)
def test_required_fields(field, empty):
    application = ApplicationFactory(**{field: empty})
    errors = completeness_errors(application)
    assert errors[field] == ["This field is required."]


@pytest.mark.parametrize(("field", "limit"), WORD_LIMITS.items())
def test_word_limits(field, limit):
    at_limit = ApplicationFactory(**{field: "word " * limit})
    over = ApplicationFactory(**{field: "word " * (limit + 1)})
    assert field not in completeness_errors(at_limit)
    assert completeness_errors(over)[field] == [f"{limit + 1} words; at most {limit} are allowed."]


@pytest.mark.parametrize(
    ("url", "valid"),
    [
        ("https://codeberg.org/example/toolkit", True),
        ("http://git.example.org/toolkit", True),
        ("", True),  # optional
        ("codeberg.org/example", False),
        ("ftp://example.org/toolkit", False),
        ("javascript:alert(1)", False),
    ],
)
def test_repository_url(url, valid):
    errors = completeness_errors(ApplicationFactory(repository_url=url))
    expected = None if valid else ["Enter a full web address starting with https://."]
    assert errors.get("repository_url") == expected


@pytest.mark.parametrize(("count", "valid"), [(2, False), (3, True), (5, True), (6, False)])
def test_three_to_five_milestones(count, valid):
    application = ApplicationFactory()
    planned = [milestone(n, month=1, hours=100) for n in range(1, count + 1)]
    errors = completeness_errors(application, milestones=planned)
    expected = None if valid else ["Plan between 3 and 5 milestones."]
    assert errors.get("milestones") == expected


@pytest.mark.parametrize(
    ("track", "month", "message"),
    [
        ("individual_6", 0, "Milestone 3: the month must be between 1 and 6."),
        ("individual_6", None, "Milestone 3: the month must be between 1 and 6."),
        ("individual_6", 1, None),
        ("individual_6", 6, None),
        ("individual_6", 7, "Milestone 3: the month must be between 1 and 6."),
        ("individual_10", 10, None),
        ("individual_10", 11, "Milestone 3: the month must be between 1 and 10."),
    ],
)
def test_milestone_months_lie_in_the_funding_period(track, month, message):
    application = ApplicationFactory(track=track)
    planned = [milestone(1), milestone(2), milestone(3, month=month)]
    assert completeness_errors(application, milestones=planned).get("milestones") == (
        [message] if message else None
    )


@pytest.mark.parametrize(
    ("month", "message"), [(10, None), (11, "Milestone 3: the month must be between 1 and 10.")]
)
def test_milestones_without_a_track_may_run_ten_months(month, message):
    application = ApplicationFactory(track="")
    planned = [milestone(1), milestone(2), milestone(3, month=month)]
    assert completeness_errors(application, milestones=planned).get("milestones") == (
        [message] if message else None
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "Milestone 2: give a title and a deliverable."),
        ({"title": "  "}, "Milestone 2: give a title and a deliverable."),
        ({"deliverable": ""}, "Milestone 2: give a title and a deliverable."),
        ({"deliverable": None}, "Milestone 2: give a title and a deliverable."),
        ({"hours": 0}, "Milestone 2: plan at least one hour."),
        ({"hours": None}, "Milestone 2: plan at least one hour."),
        ({"hours": 1}, None),
    ],
)
def test_each_milestone_needs_a_title_a_deliverable_and_hours(changes, message):
    application = ApplicationFactory()
    planned = [milestone(1), milestone(2, **changes), milestone(3)]
    assert completeness_errors(application, milestones=planned).get("milestones") == (
        [message] if message else None
    )


@pytest.mark.parametrize(
    ("track", "count", "message"),
    [
        ("team_6", 0, "A team application names at least one further team member."),
        ("team_6", 1, None),
        ("team_10", 3, None),  # four people with the owner
        ("team_6", 4, "A team has at most 4 people."),
        (
            "individual_6",
            1,
            "An individual application has no further team members; choose a team track or "
            "remove them.",
        ),
        ("individual_6", 0, None),
    ],
)
def test_team_size_fits_the_track(track, count, message):
    application = ApplicationFactory(track=track)
    errors = completeness_errors(application, team_members=members(count))
    assert errors.get("team") == ([message] if message else None)


def test_team_members_are_read_from_the_application_unless_given():
    application = ApplicationFactory(track="individual_6", members=["mate@example.org"])
    assert completeness_errors(application)["team"][0].startswith("An individual application")
    assert "team" not in completeness_errors(application, team_members=[])


def call_with_cap(cap):
    """A call whose individual 6-month track has the cap ``cap``."""
    call = CallFactory()
    call.tracks.filter(key="individual_6").update(cap=cap)
    return call


@pytest.mark.parametrize(
    ("cap", "message"),
    [
        (Decimal("44887.50"), None),  # exactly the cap is allowed
        (
            Decimal("44887.49"),
            "The requested funding of €44,887.50 exceeds the cap of €44,887.49 for this track.",
        ),
    ],
)
def test_requested_funding_within_the_cap_of_the_track(cap, message):
    application = ApplicationFactory(call=call_with_cap(cap))
    assert completeness_errors(application).get("budget") == ([message] if message else None)


@pytest.mark.parametrize(("hours", "over_cap"), [(300, False), (301, True)])
def test_a_milestone_without_hours_adds_nothing_to_the_budget(hours, over_cap):
    """900 hours are exactly the cap: an empty milestone neither tips them over nor pulls
    901 hours back under it."""
    application = ApplicationFactory(call=call_with_cap(Decimal("44887.50")))
    planned = [milestone(1, hours=300), milestone(2, hours=300), milestone(3, hours=hours)]
    errors = completeness_errors(application, milestones=[*planned, milestone(4, hours=None)])
    assert ("budget" in errors) is over_cap
    assert errors["milestones"] == ["Milestone 4: plan at least one hour."]


def test_a_track_removed_from_the_call_must_be_chosen_again():
    application = ApplicationFactory()
    application.track.removed_at = application.created_at
    assert completeness_errors(application)["track"] == [
        "This track is no longer offered in the call; choose another."
    ]


def test_a_track_of_another_call_is_refused():
    application = ApplicationFactory()
    application.track = track_of(CallFactory(), "individual_6")
    assert completeness_errors(application)["track"] == [
        "This track is no longer offered in the call; choose another."
    ]


def test_the_months_and_team_rule_come_from_the_track_itself():
    """A track of 3 months for teams: month 4 is beyond it, a team member is required."""
    application = ApplicationFactory()
    application.track = CallTrack.objects.create(
        call=application.call, key="sprint", name_de="Sprint", name_en="Sprint",
        kind="team", months=3, cap=Decimal("50000.00"), position=5,
    )  # fmt: skip
    planned = [milestone(1), milestone(2), milestone(3, month=4)]
    errors = completeness_errors(application, milestones=planned, team_members=[])
    assert errors["milestones"] == ["Milestone 3: the month must be between 1 and 3."]
    assert errors["team"] == ["A team application names at least one further team member."]


def test_budget_is_not_checked_without_a_track():
    application = ApplicationFactory(track="", milestones=[2000, 2000, 2000])
    assert "budget" not in completeness_errors(application)


def test_each_team_member_is_checked_after_one_without_an_address():
    team = [
        TeamMember(name="Ana", email=""),
        TeamMember(name=" ", email="  "),
        TeamMember(name="Ben", email="ben@example.org"),
        TeamMember(name="Cem", email="BEN@example.org"),
    ]

    with translation.override("en"):
        messages = team_member_errors(team)

    assert messages == [
        "Team member 1: give the e-mail address.",
        "Team member 2: give the name.",
        "Team member 2: give the e-mail address.",
        "Team member 4: the address BEN@example.org is given twice.",
    ]
