"""The migration that makes a call's four tracks rows of the call (grants.CallTrack): every
application reads the same track name (in both languages), months, kind and cap before and
after, and back again when it is reversed; a call whose caps were not filled in yet keeps
them empty, an application without a track keeps none. Runs on SQLite and, with
DATABASE_URL, on PostgreSQL."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import F

MIGRATION = ("grants", "0014_tracks_per_call")
# The labels of the old choices (grants.states.Track), in both languages.
NAMES = {
    "individual_6": ("Einzelperson, 6 Monate", "Individual, 6 months", 6, "individual"),
    "individual_10": ("Einzelperson, 10 Monate", "Individual, 10 months", 10, "individual"),
    "team_6": ("Team, 6 Monate", "Team, 6 months", 6, "team"),
    "team_10": ("Team, 10 Monate", "Team, 10 months", 10, "team"),
}
CAPS = (
    {
        "cap_individual_6": Decimal("47500.00"),
        "cap_individual_10": Decimal("79167.00"),
        "cap_team_6": Decimal("95000.00"),
        "cap_team_10": Decimal("158000.00"),
    },
    {
        "cap_individual_6": Decimal("50000.01"),
        "cap_individual_10": Decimal("80000.00"),
        "cap_team_6": Decimal("99999.99"),
        "cap_team_10": Decimal("160000.00"),
    },
    # A draft call whose caps were not filled in yet.
    {"cap_individual_6": None, "cap_individual_10": Decimal("1.00")},
)
TRACK_KEYS = ("individual_6", "individual_10", "team_6", "team_10", "")


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


def _before():
    executor = MigrationExecutor(connection)
    return executor.loader.get_migration(*MIGRATION).dependencies[0]


def _read_old(application, call):
    """What an application's track meant before: its label, months, kind and the cap."""
    if not application.track:
        return None
    name_de, name_en, months, kind = NAMES[application.track]
    return (name_de, name_en, months, kind, getattr(call, f"cap_{application.track}"))


@pytest.mark.django_db(transaction=True)
def test_every_application_reads_the_same_track_before_and_after_and_back():
    old = _migrate(_before())
    Fund = old.get_model("grants", "Fund")
    Call = old.get_model("grants", "Call")
    Application = old.get_model("grants", "Application")
    User = old.get_model("accounts", "User")
    fund = Fund.objects.create(name="Fund", reference_prefix="CTF")
    owner = User.objects.create(email="owner@example.org")
    calls = [
        Call.objects.create(
            fund=fund,
            slug=f"round-{n}",
            year=2026,
            round_number=n,
            title_de="R",
            title_en="R",
            **caps,
        )
        for n, caps in enumerate(CAPS, start=1)
    ]
    before = {}
    for number in range(12):
        call = calls[number % len(calls)]
        application = Application.objects.create(
            call=call,
            owner=owner,
            reference=f"CTF-{number}",
            track=TRACK_KEYS[number % len(TRACK_KEYS)],
        )
        before[application.pk] = _read_old(application, call)
    assert len({value for value in before.values() if value}) >= 8  # a real mix

    new = _migrate(MIGRATION)
    Application = new.get_model("grants", "Application")
    CallTrack = new.get_model("grants", "CallTrack")
    after = {
        application.pk: (
            (
                application.track.name_de,
                application.track.name_en,
                application.track.months,
                application.track.kind,
                application.track.cap,
            )
            if application.track_id
            else None
        )
        for application in Application.objects.select_related("track")
    }
    assert after == before
    # Each application's track is one of its own call's.
    assert not Application.objects.exclude(track=None).exclude(track__call=F("call")).exists()
    assert sorted(CallTrack.objects.values_list("call__slug", "position", "key")) == sorted(
        (call.slug, position, key) for call in calls for position, key in enumerate(NAMES, start=1)
    )

    reverted = _migrate(_before())
    Application = reverted.get_model("grants", "Application")
    Call = reverted.get_model("grants", "Call")
    assert {
        application.pk: _read_old(application, application.call)
        for application in Application.objects.select_related("call")
    } == before
    assert [
        {name: getattr(call, name) for name in CAPS[0]} for call in Call.objects.order_by("pk")
    ] == [{name: caps.get(name) for name in CAPS[0]} for caps in CAPS]
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes("grants")[0])
