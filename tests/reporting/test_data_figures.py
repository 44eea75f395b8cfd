"""The figures computed from the database (reporting.data → reporting.figures) against the
hand-built data set, whose every figure was worked out by hand (tests/reporting/world.py)."""

import pandas as pd
import pytest

from reporting import data, figures
from reporting.periods import Window
from tests.reporting.world import EXPECTED, HIDDEN_NAME, TODAY, UNFUNDED_TITLES, d


@pytest.fixture
def events(world):
    return figures.prepare(data.load().frames, today=TODAY)


def row(table, key=figures.ALL):
    values = table.loc[key].to_dict()
    values["acceptance_rate"] = round(values["acceptance_rate"], 6)
    return values


def test_every_figure_since_the_beginning(events):
    assert row(figures.figures(events)) == pytest.approx(EXPECTED["all"])


def test_every_figure_of_one_year(events):
    window = Window(d("2025-01-01"), d("2025-12-31"))

    assert row(figures.figures(events, window=window)) == pytest.approx(EXPECTED["2025"])


def test_figures_per_call(world, events):
    call_a, call_b = world.calls

    table = figures.figures(events, by=figures.BY_CALL)

    assert sorted(table.index) == sorted([call_a.pk, call_b.pk])
    assert row(table, call_a.pk) == pytest.approx(EXPECTED["2025"])
    b = table.loc[call_b.pk]
    assert (b["received"], b["eligible"], b["approved"], b["funded"]) == (3, 3, 2, 1)
    assert b["requested"] == 12_000_000
    # Still in review: no acceptance rate yet.
    assert (b["decided_received"], b["decided_approved"]) == (0, 0)
    assert pd.isna(b["acceptance_rate"])
    assert (b["grants_signed"], b["committed"], b["disbursed"], b["gap"]) == (
        1,
        5_000_000,
        0,
        5_000_000,
    )
    assert (b["milestones_due"], b["on_time"], b["late"], b["pending"], b["accepted"]) == (
        2,
        1,
        1,
        1,
        1,
    )
    assert (b["repositories"], b["datasets"], b["collaborations"], b["public_bodies"]) == (
        1,
        1,
        1,
        1,
    )


def test_figures_per_topic_and_their_shares(world, events):
    table = figures.figures(events, by=figures.BY_TOPIC)
    topics = world.topics

    received = {slug: table.loc[topic.pk, "received"] for slug, topic in topics.items()}
    assert received == {"open-data": 3, "civic-tech": 3, "data-security": 2}
    shares = figures.topic_shares(table)
    assert shares.loc[topics["data-security"].pk] == pytest.approx(0.25)
    assert table.loc[topics["open-data"].pk, "committed"] == 4_000_000
    assert table.loc[topics["civic-tech"].pk, "committed"] == 4_500_000  # terminated: released
    assert table.loc[topics["data-security"].pk, "vulnerabilities_fixed"] == 5


def test_figures_per_quarter(events):
    table = figures.figures(events, by=figures.BY_QUARTER)

    assert table["received"].to_dict() == {
        "2025-Q1": 5, "2025-Q2": 0, "2025-Q3": 0, "2025-Q4": 0, "2026-Q1": 3, "2026-Q2": 0,
        "2026-Q3": 0,
    }  # fmt: skip
    assert table["pending"].to_dict()["2026-Q3"] == 1  # due 31 August 2026
    assert table["disbursed"].to_dict()["2025-Q2"] == 2_000_000
    assert table["disbursed"].to_dict()["2025-Q3"] == 4_500_000
    assert table["late"].to_dict() == {
        "2025-Q1": 0, "2025-Q2": 1, "2025-Q3": 1, "2025-Q4": 0, "2026-Q1": 0, "2026-Q2": 1,
        "2026-Q3": 0,
    }  # fmt: skip


def test_delays_with_their_reasons(world, events):
    late = figures.delays(events)

    assert late[["reference", "position", "days_late"]].values.tolist() == [
        [world.grants[2].funding_reference, 2, 14],
        [world.grants[0].funding_reference, 2, 10],
        [world.grants[1].funding_reference, 1, 15],
    ]
    assert late["reasons"].tolist() == [
        ["A team member was ill."],
        ["The partner city delivered data late."],
        [],
    ]
    assert pd.isna(late.loc[0, "reported_on"])


def test_collaborations_by_level_once_per_project_and_body(events):
    assert figures.collaborations_by(events, column="level").to_dict() == {
        "municipal": 1,
        "state": 1,
        "federal": 1,
    }
    assert figures.collaborations_by(events, column="kind").to_dict() == {
        "partner": 2,
        "adopts": 1,
    }


def test_projects_with_their_figures_to_date(world, events):
    projects = figures.projects(events).set_index("reference")
    g1, g2, g3 = (projects.loc[grant.funding_reference] for grant in world.grants)

    assert (
        g1["disbursed"],
        g1["milestones"],
        g1["milestones_accepted"],
        g1["milestones_late"],
    ) == (4_000_000, 2, 2, 1)
    assert (g1["repositories"], g1["datasets"], g1["collaborations"], g1["users_reached"]) == (
        1,
        1,
        2,
        250,
    )
    assert (g1["follow_up"], g1["funder"], g1["recipient"]) == (
        2_500_000,
        "Land NRW",
        "Anna Beispiel",
    )
    assert (g2["milestones"], g2["repositories"], g2["state"]) == (1, 0, "terminated")
    assert (g3["milestones"], g3["milestones_late"], g3["recipient"]) == (3, 1, "")


def test_projects_running_in_a_window(world, events):
    projects = figures.projects(events, window=Window(d("2026-01-01"), d("2026-06-30")))

    assert projects["reference"].tolist() == [
        world.grants[1].funding_reference,  # ends 31 January 2026
        world.grants[2].funding_reference,
    ]


def test_only_aggregates_of_unfunded_applications_are_loaded(world):
    loaded = data.load()

    frames = loaded.frames
    assert set(frames.grants["app_id"]) == {a.pk for a in world.applications if a.state in (
        "completed", "terminated", "funded")}  # fmt: skip
    assert set(frames.applications.columns) == {
        "app_id", "call_id", "topic_id", "track_id", "requested", "submitted_on", "eligible",
        "approved", "funded",
    }  # fmt: skip
    text = " ".join(
        str(value) for frame in vars(frames).values() for value in frame.to_numpy().ravel()
    )
    for title in UNFUNDED_TITLES:
        assert title not in text
    assert HIDDEN_NAME not in text


def test_figures_per_topic_and_call_equal_those_of_each_selection(world, events):
    """The report's topic sections read one table grouped by topic and call; every row of it
    must be what selecting that topic and call alone gives."""
    table = figures.figures(events, by=(figures.BY_TOPIC, figures.BY_CALL))

    assert table.index.names == ["topic_id", "call_id"]
    assert len(table) == 6  # three topics in each of the two calls
    for topic_id, call_id in table.index:
        alone = figures.figures(events.select(topic_ids=[topic_id], call_ids=[call_id]))
        assert table.loc[(topic_id, call_id)].to_dict() == pytest.approx(
            alone.loc[figures.ALL].to_dict(), nan_ok=True
        )
