"""reporting.figures on frames built by hand (plain pandas, no database)."""

import datetime as dt
import math

import pandas as pd
import pytest

from reporting import figures
from reporting.figures import Frames, Window

TODAY = dt.date(2026, 6, 15)


def ts(text):
    return pd.Timestamp(text) if text else pd.NaT


def frames(**rows):
    return Frames.from_rows(**rows)


def grant(grant_id, *, call=1, topic=1, award=100_000, committed=None, signed="2026-01-10",
          starts="2026-01-01", ends="2026-06-30", reference=None):  # fmt: skip
    """A signed grant; ``committed`` given (what grants.contracts.commitments loads) means terminated."""
    return {
        "grant_id": grant_id, "app_id": grant_id, "call_id": call, "topic_id": topic,
        "state": "funded" if committed is None else "terminated",
        "reference": reference or f"01CTF26{grant_id:03d}", "title": f"Project {grant_id}",
        "recipient": "", "award": award,
        "committed": award if committed is None else committed, "signed_on": ts(signed),
        "starts_on": ts(starts), "ends_on": ts(ends), "code_url": "",
    }  # fmt: skip


def milestone(milestone_id, grant_id, *, due, reported=None, accepted=None, done=False,
              cancelled=False, position=1):  # fmt: skip
    return {
        "milestone_id": milestone_id, "grant_id": grant_id, "position": position,
        "title": f"M{milestone_id}", "due_on": ts(due), "reported_on": ts(reported),
        "accepted_on": ts(accepted), "done": done, "cancelled": cancelled, "amount": 1000,
    }  # fmt: skip


def report(milestone_id, grant_id, **indicators):
    values = dict.fromkeys(figures.INDICATORS, 0)
    values.update(indicators)
    return {"milestone_id": milestone_id, "grant_id": grant_id, "problems": "", **values}


def one(events, window=None):
    return figures.figures(events, window=window or Window()).loc[figures.ALL]


def test_nothing_at_all_gives_zeros_and_no_rate():
    values = one(figures.prepare(Frames(), today=TODAY))

    assert all(values[name] == 0 for name in figures.FIGURES if name != "acceptance_rate")
    assert math.isnan(values["acceptance_rate"])


def test_applications_count_by_submission_day_with_both_ends_included():
    events = figures.prepare(
        frames(
            applications=[
                (1, 1, 1, 100, ts("2026-01-01"), True, True),
                (2, 1, 1, 200, ts("2026-03-31"), True, False),
                (3, 1, 2, 400, ts("2026-04-01"), False, False),
            ]
        ),
        today=TODAY,
    )

    q1 = one(events, Window(dt.date(2026, 1, 1), dt.date(2026, 3, 31)))

    assert (q1["received"], q1["eligible"], q1["funded"], q1["requested"]) == (2, 2, 1, 300)
    assert q1["acceptance_rate"] == 0.5
    assert one(events, Window(dt.date(2026, 4, 1), None))["received"] == 1
    assert one(events, Window(None, dt.date(2025, 12, 31)))["received"] == 0


def test_committed_sums_what_each_grant_commits_not_its_award():
    """The definition itself (a terminated grant commits what was released) is written once,
    in grants.contracts.commitments, and tested on the database (tests/grants/test_commitments.py)."""
    events = figures.prepare(
        frames(
            grants=[grant(1, award=90_000, committed=30_000), grant(2, award=50_000)],
            payments=[
                (1, False, 30_000, ts("2026-02-01")),
                (1, True, 30_000, ts("2026-02-05")),
                (2, False, 10_000, ts("2026-03-01")),
            ],
        ),
        today=TODAY,
    )

    values = one(events)

    assert (values["committed"], values["disbursed"], values["gap"]) == (80_000, 30_000, 50_000)
    assert values["grants_signed"] == 2


def test_milestones_on_time_late_pending_and_accepted_as_of_today():
    events = figures.prepare(
        frames(
            grants=[grant(1)],
            milestones=[
                milestone(
                    1, 1, due="2026-03-31", reported="2026-03-31", accepted="2026-04-02", done=True
                ),
                milestone(2, 1, due="2026-04-30", reported="2026-05-01"),
                milestone(3, 1, due="2026-06-14"),  # not reported, due yesterday: late
                milestone(4, 1, due="2026-06-15"),  # due today: not late yet
                milestone(5, 1, due="2026-05-01", cancelled=True),
            ],
        ),
        today=TODAY,
    )

    values = one(events)

    assert (values["milestones_due"], values["on_time"], values["late"]) == (4, 1, 2)
    assert (values["pending"], values["accepted"]) == (1, 1)


def test_outcomes_sum_events_and_take_the_highest_level_per_project():
    events = figures.prepare(
        frames(
            grants=[grant(1), grant(2)],
            milestones=[
                milestone(1, 1, due="2026-02-01", accepted="2026-02-05", done=True),
                milestone(2, 1, due="2026-04-01", accepted="2026-04-05", done=True),
                milestone(3, 2, due="2026-04-01", accepted="2026-04-06", done=True),
                milestone(4, 2, due="2026-05-01", reported="2026-05-01"),  # not accepted yet
            ],
            reports=[
                report(1, 1, releases=2, users_reached=100, contributors=3),
                report(2, 1, releases=1, users_reached=80, contributors=5),
                report(3, 2, releases=4, users_reached=20, security_audits=1),
                report(4, 2, releases=9, users_reached=9000),
            ],
        ),
        today=TODAY,
    )

    values = one(events)

    assert (values["releases"], values["security_audits"]) == (7, 1)
    assert (values["users_reached"], values["contributors"]) == (120, 5)
    # Within the second quarter the first project's level is the one reported then.
    q2 = one(events, Window(dt.date(2026, 4, 1), dt.date(2026, 6, 30)))
    assert (q2["users_reached"], q2["releases"]) == (100, 5)


def test_code_data_and_public_bodies_count_once_when_first_reported():
    events = figures.prepare(
        frames(
            grants=[grant(1), grant(2)],
            milestones=[
                milestone(1, 1, due="2026-02-01", accepted="2026-02-05", done=True),
                milestone(2, 1, due="2026-05-01", accepted="2026-05-05", done=True),
                milestone(3, 2, due="2026-05-01", accepted="2026-05-06", done=True),
            ],
            reports=[report(1, 1), report(2, 1), report(3, 2)],
            links=[
                (1, "repository", "https://code.example/a", True),
                (2, "repository", "https://code.example/a", True),
                (2, "dataset", "https://data.example/x", True),
                (3, "repository", "https://code.example/a", True),  # another project's fork
                (3, "repository", "https://code.example/closed", False),
            ],
            collaborations=[
                (1, "Stadt Ulm", "municipal", "adopts"),
                (2, "  STADT   Ulm", "municipal", "adopts"),
                (3, "Stadt Ulm", "municipal", "reuses"),
            ],
        ),
        today=TODAY,
    )

    values = one(events)
    q2 = one(events, Window(dt.date(2026, 4, 1), dt.date(2026, 6, 30)))

    assert (values["repositories"], values["datasets"]) == (2, 1)
    assert (
        values["collaborations"],
        values["collaborating_projects"],
        values["public_bodies"],
    ) == (2, 2, 1)
    assert (q2["repositories"], q2["datasets"], q2["collaborations"]) == (1, 1, 1)


def test_follow_up_funding_from_accepted_final_reports():
    events = figures.prepare(
        frames(
            grants=[grant(1), grant(2), grant(3)],
            final_reports=[
                (1, True, ts("2026-05-01"), 60_000, "Land NRW"),
                (2, True, ts("2026-05-02"), 0, ""),
                (3, False, ts("2026-05-03"), 99_000, "Not yet accepted"),
            ],
        ),
        today=TODAY,
    )

    values = one(events)

    assert (values["follow_up_projects"], values["follow_up_funding"]) == (1, 60_000)


def test_selecting_a_call_and_topic_keeps_their_rows_only():
    events = figures.prepare(
        frames(
            applications=[
                (1, 1, 1, 100, ts("2026-01-01"), True, True),
                (2, 2, 1, 100, ts("2026-01-01"), True, True),
                (3, 1, 2, 100, ts("2026-01-01"), True, True),
            ],
            grants=[
                grant(1, call=1, topic=1),
                grant(2, call=2, topic=1),
                grant(3, call=1, topic=2),
            ],
            payments=[(1, True, 10, ts("2026-02-01")), (2, True, 20, ts("2026-02-01"))],
        ),
        today=TODAY,
    )

    values = one(events.select(call_ids=[1], topic_ids=[1]))

    assert (values["received"], values["grants_signed"], values["disbursed"]) == (1, 1, 10)
    assert one(events.select(call_ids=[]))["received"] == 0


def test_grouping_by_quarter_labels_each_event_by_its_own_date():
    events = figures.prepare(
        frames(
            applications=[(1, 1, 1, 100, ts("2025-12-31"), True, True)],
            grants=[grant(1, signed="2026-01-02")],
            payments=[(1, True, 500, ts("2026-04-01"))],
        ),
        today=TODAY,
    )

    table = figures.figures(events, by=figures.BY_QUARTER)

    assert list(table.index) == ["2025-Q4", "2026-Q1", "2026-Q2"]
    assert table["received"].tolist() == [1, 0, 0]
    assert table["grants_signed"].tolist() == [0, 1, 0]
    assert table["disbursed"].tolist() == [0, 0, 500]


def test_an_unknown_grouping_is_refused():
    with pytest.raises(ValueError, match="Unknown grouping"):
        figures.figures(figures.prepare(Frames(), today=TODAY), by="month")
