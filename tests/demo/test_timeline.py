"""The demo timeline: events run in time order at their moment, may schedule later ones,
and nothing is scheduled in the future or before the event that schedules it."""

import datetime as dt

import pytest
from django.utils import timezone

from demo.timeline import Timeline


def test_events_run_in_order_at_their_moment_and_may_schedule_more():
    start = timezone.now() - dt.timedelta(days=3)
    seen = []
    timeline = Timeline()

    def note(label):
        seen.append((label, timezone.now()))

    def plan_more():
        note("planner")
        timeline.at(start + dt.timedelta(hours=5), note, "scheduled later")
        timeline.at(start + dt.timedelta(hours=2), note, "scheduled between")

    timeline.at(start + dt.timedelta(hours=3), note, "third")
    timeline.at(start, plan_more)
    timeline.at(start + dt.timedelta(hours=1), note, "second")
    timeline.at(start + dt.timedelta(hours=1), note, "second, same moment")
    timeline.run()

    assert seen == [
        ("planner", start),
        ("second", start + dt.timedelta(hours=1)),
        ("second, same moment", start + dt.timedelta(hours=1)),
        ("scheduled between", start + dt.timedelta(hours=2)),
        ("third", start + dt.timedelta(hours=3)),
        ("scheduled later", start + dt.timedelta(hours=5)),
    ]
    assert len(timeline) == 0


def test_nothing_runs_when_an_event_lies_in_the_future():
    seen = []
    timeline = Timeline()
    timeline.at(timezone.now() - dt.timedelta(days=1), seen.append, "past")
    timeline.at(timezone.now() + dt.timedelta(days=1), seen.append, "future")

    with pytest.raises(ValueError, match="lies in the future"):
        timeline.run()

    assert seen == []


def test_an_event_may_not_schedule_one_before_itself():
    start = timezone.now() - dt.timedelta(days=2)
    timeline = Timeline()
    timeline.at(start, lambda: timeline.at(start - dt.timedelta(hours=1), print))

    with pytest.raises(ValueError, match="cannot go back to"):
        timeline.run()


@pytest.mark.postgresql
@pytest.mark.django_db
def test_a_long_story_refreshes_the_planners_statistics_on_postgresql():
    """The story is written in one transaction; without ANALYZE the planner keeps believing
    the tables empty and a review save of the realistic demo took minutes on PostgreSQL."""
    from django.contrib.auth.models import Group
    from django.db import connection

    from demo.timeline import ANALYZE_EVERY

    def estimated_groups():
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'auth_group'")
            return cursor.fetchone()[0]

    timeline = Timeline()
    moment = timezone.now() - dt.timedelta(days=1)
    for number in range(ANALYZE_EVERY):
        timeline.at(moment, Group.objects.create, name=f"group {number}")
    timeline.run()

    assert estimated_groups() >= ANALYZE_EVERY


def test_the_demo_calls_write_the_deadline_as_their_readers_do():
    import datetime as dt
    from types import SimpleNamespace
    from zoneinfo import ZoneInfo

    from demo.grants.story import _call_texts

    plan = SimpleNamespace(
        year=2027,
        round_number=1,
        closes_at=dt.datetime(2027, 3, 15, 0, 0, tzinfo=ZoneInfo("Europe/Berlin")),
    )

    texts = _call_texts(plan)

    assert texts["description_en"].endswith("The deadline is 14 March 2027, 23:59 Berlin time.")
    assert texts["description_de"].endswith(
        "Einsendeschluss ist der 14. März 2027, 23:59 Uhr (Berliner Zeit)."
    )
