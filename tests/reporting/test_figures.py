"""reporting.figures on frames built by hand (plain pandas, no database)."""

import datetime as dt
import math

import pandas as pd
import pytest

from reporting import figures
from reporting.figures import Frames
from reporting.periods import Window

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


def application(app_id, *, call=1, topic=1, requested=100, submitted="2026-01-01",
                eligible=True, approved=False, funded=False):  # fmt: skip
    return {
        "app_id": app_id, "call_id": call, "topic_id": topic, "requested": requested,
        "submitted_on": ts(submitted), "eligible": eligible, "approved": approved or funded,
        "funded": funded,
    }  # fmt: skip


def call(call_id, *, decided=True, year=2026, budget=0):
    return {"call_id": call_id, "year": year, "decided": decided, "budget": budget}


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
                application(1, requested=100, submitted="2026-01-01", funded=True),
                application(2, requested=200, submitted="2026-03-31", approved=True),
                application(3, requested=400, submitted="2026-04-01", eligible=False),
            ],
            calls=[call(1)],
        ),
        today=TODAY,
    )

    q1 = one(events, Window(dt.date(2026, 1, 1), dt.date(2026, 3, 31)))

    assert (q1["received"], q1["eligible"], q1["funded"], q1["requested"]) == (2, 2, 1, 300)
    assert (q1["approved"], q1["decided_received"], q1["decided_approved"]) == (2, 2, 2)
    assert q1["acceptance_rate"] == 1.0
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
                milestone(4, 1, due="2026-06-15"),  # due today: due, not late yet
                milestone(5, 1, due="2026-05-01", cancelled=True),
            ],
        ),
        today=TODAY,
    )

    values = one(events)

    # Due by today: the first four (the one due today included, neither on time nor late).
    assert (values["milestones_due"], values["on_time"], values["late"]) == (4, 1, 2)
    assert (values["pending"], values["accepted"]) == (0, 1)


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
                (1, "Stadt Ulm", "municipal", "adopts", ""),
                (2, "  STADT   Ulm", "municipal", "adopts", ""),
                (3, "Stadt Ulm", "municipal", "reuses", ""),
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
            grants=[grant(1), grant(2), grant(3), grant(4)],
            final_reports=[
                (1, True, ts("2026-05-01"), 60_000, "Land NRW", pd.NaT, 0),
                (2, True, ts("2026-05-02"), 0, "", pd.NaT, 0),
                (3, False, ts("2026-05-03"), 99_000, "Not yet accepted", pd.NaT, 0),
                (4, True, ts("2026-05-04"), 1, "One cent is follow-up funding too", pd.NaT, 0),
            ],
        ),
        today=TODAY,
    )

    values = one(events)

    assert (values["follow_up_projects"], values["follow_up_funding"]) == (2, 60_001)


@pytest.mark.parametrize(
    ("window", "spent"),
    [
        (Window(), 4_200_000 + 1_000_000),
        (Window(start=dt.date(2026, 5, 11)), 1_000_000),  # the day after the first proof
        (Window(start=dt.date(2026, 5, 10), end=dt.date(2026, 5, 10)), 4_200_000),  # on it
        (Window(end=dt.date(2026, 5, 9)), 0),  # the day before
    ],
)
def test_spent_according_to_proof_of_use_by_the_day_the_proof_was_accepted(window, spent):
    events = figures.prepare(
        frames(
            grants=[grant(1), grant(2), grant(3)],
            final_reports=[
                (1, True, ts("2026-05-01"), 0, "", ts("2026-05-10"), 4_200_000),
                (2, True, ts("2026-05-02"), 0, "", ts("2026-06-01"), 1_000_000),
                # Handed in, not accepted: its proof is not counted.
                (3, False, ts("2026-05-03"), 0, "", pd.NaT, 0),
            ],
        ),
        today=TODAY,
    )

    assert one(events, window)["spent"] == spent
    by_call = figures.figures(events, by=figures.BY_CALL)
    assert by_call.loc[1, "spent"] == 5_200_000


def test_selecting_a_call_and_topic_keeps_their_rows_only():
    events = figures.prepare(
        frames(
            applications=[
                application(1, call=1, topic=1),
                application(2, call=2, topic=1),
                application(3, call=1, topic=2),
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
            applications=[application(1, submitted="2025-12-31")],
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


def test_quarters_are_in_order_when_a_later_figure_has_the_earlier_quarter():
    events = figures.prepare(
        frames(
            applications=[application(1, submitted="2026-04-01")],
            grants=[grant(1, signed="2026-03-31")],
        ),
        today=TODAY,
    )

    table = figures.figures(events, by=figures.BY_QUARTER)

    assert list(table.index) == ["2026-Q1", "2026-Q2"]
    assert table["received"].tolist() == [0, 1]


def test_an_unknown_grouping_is_refused():
    with pytest.raises(ValueError, match="Unknown grouping"):
        figures.figures(figures.prepare(Frames(), today=TODAY), by="month")


def test_the_acceptance_rate_counts_decided_calls_only():
    """A call still in review has approved nobody yet: counting it would drag the rate
    down. Approved counts every decision to fund, signed or not; funded counts the signed."""
    events = figures.prepare(
        frames(
            applications=[
                application(1, call=1, funded=True),
                application(2, call=1, approved=True),  # approved, not signed (yet)
                application(3, call=1),
                application(4, call=1, eligible=False),
                application(5, call=2),
                application(6, call=2),
                application(7, call=2, approved=True),  # approved early in a call in review
            ],
            calls=[call(1, decided=True), call(2, decided=False)],
        ),
        today=TODAY,
    )

    values = one(events)

    assert (values["received"], values["approved"], values["funded"]) == (7, 3, 1)
    assert (values["decided_received"], values["decided_approved"]) == (4, 2)
    assert values["acceptance_rate"] == 0.5
    by_call = figures.figures(events, by=figures.BY_CALL)
    assert by_call.loc[1, "acceptance_rate"] == 0.5
    assert math.isnan(by_call.loc[2, "acceptance_rate"])
    assert by_call.loc[2, "approved"] == 1


def test_no_decided_call_gives_no_rate_but_still_counts_approvals():
    events = figures.prepare(
        frames(applications=[application(1, approved=True)], calls=[call(1, decided=False)]),
        today=TODAY,
    )

    values = one(events)

    assert (values["received"], values["approved"], values["decided_received"]) == (1, 1, 0)
    assert math.isnan(values["acceptance_rate"])


def test_an_application_of_an_unknown_call_is_not_in_a_decided_call():
    events = figures.prepare(
        frames(applications=[application(1, call=9, funded=True)], calls=[call(1)]),
        today=TODAY,
    )

    assert one(events)["decided_received"] == 0


@pytest.mark.parametrize(
    ("due", "reported", "counts"),
    [
        # (due, on time, late, pending)
        ("2026-06-14", None, (1, 0, 1, 0)),  # due yesterday, missing: late
        ("2026-06-15", None, (1, 0, 0, 0)),  # due today, missing: due, not late yet
        ("2026-06-16", None, (0, 0, 0, 1)),  # due tomorrow: not due yet
        ("2026-06-16", "2026-06-10", (0, 0, 0, 1)),  # reported early, not due yet
        ("2026-06-14", "2026-06-14", (1, 1, 0, 0)),  # reported on the due day: on time
        ("2026-06-14", "2026-06-15", (1, 0, 1, 0)),  # reported a day after it: late
        ("2026-06-15", "2026-06-15", (1, 1, 0, 0)),  # due and reported today
    ],
)
def test_a_milestone_is_due_when_its_day_has_come(due, reported, counts):
    events = figures.prepare(
        frames(grants=[grant(1)], milestones=[milestone(1, 1, due=due, reported=reported)]),
        today=TODAY,
    )

    values = one(events)

    assert (values["milestones_due"], values["on_time"], values["late"], values["pending"]) == (
        counts
    )


def test_cancelled_milestones_never_count():
    events = figures.prepare(
        frames(
            grants=[grant(1)],
            milestones=[milestone(1, 1, due="2026-01-01", cancelled=True)],
        ),
        today=TODAY,
    )

    values = one(events)

    assert (values["milestones_due"], values["late"], values["pending"]) == (0, 0, 0)
    assert figures.delays(events).empty


def test_milestones_count_by_due_date_within_the_window_and_as_of_today():
    events = figures.prepare(
        frames(
            grants=[grant(1)],
            milestones=[
                milestone(1, 1, due="2026-03-31"),
                milestone(2, 1, due="2026-04-01", reported="2026-04-01"),
                milestone(3, 1, due="2026-07-01"),
            ],
        ),
        today=TODAY,
    )

    q1 = one(events, Window(dt.date(2026, 1, 1), dt.date(2026, 3, 31)))
    rest = one(events, Window(dt.date(2026, 4, 1), dt.date(2026, 12, 31)))

    assert (q1["milestones_due"], q1["late"], q1["on_time"], q1["pending"]) == (1, 1, 0, 0)
    assert (rest["milestones_due"], rest["on_time"], rest["pending"]) == (1, 1, 1)


def test_released_payments_are_not_disbursed_and_payments_count_by_their_day():
    events = figures.prepare(
        frames(
            grants=[grant(1, award=50_000, signed="2025-12-31")],
            payments=[
                (1, False, 20_000, ts("2026-01-05")),
                (1, True, 20_000, ts("2026-01-10")),
                (1, True, 5_000, ts("2026-04-01")),
            ],
        ),
        today=TODAY,
    )

    q1 = one(events, Window(dt.date(2026, 1, 1), dt.date(2026, 3, 31)))
    everything = one(events)

    assert (q1["committed"], q1["disbursed"], q1["gap"], q1["grants_signed"]) == (
        0,
        20_000,
        -20_000,
        0,
    )
    assert (everything["committed"], everything["disbursed"], everything["gap"]) == (
        50_000,
        25_000,
        25_000,
    )


def test_a_terminated_grant_with_nothing_released_commits_nothing():
    events = figures.prepare(frames(grants=[grant(1, award=90_000, committed=0)]), today=TODAY)

    assert (one(events)["committed"], one(events)["grants_signed"]) == (0, 1)


def test_outcomes_count_only_accepted_reports_by_their_acceptance_day():
    events = figures.prepare(
        frames(
            grants=[grant(1)],
            milestones=[
                milestone(1, 1, due="2026-03-01", reported="2026-03-01", accepted="2026-03-31",
                          done=True),
                milestone(2, 1, due="2026-03-01", reported="2026-03-01", accepted="2026-04-01",
                          done=True),
                milestone(3, 1, due="2026-03-01", reported="2026-03-01", accepted="2026-03-02"),
            ],
            reports=[
                report(1, 1, releases=1, security_audits=2, vulnerabilities_fixed=3,
                       organisations_reached=4),
                report(2, 1, releases=10, security_audits=20, vulnerabilities_fixed=30,
                       organisations_reached=40),
                report(3, 1, releases=100),  # accepted_on set, but not done: not counted
            ],
            links=[(2, "dataset", "https://data.example/q2", True)],
        ),
        today=TODAY,
    )  # fmt: skip

    q1 = one(events, Window(dt.date(2026, 1, 1), dt.date(2026, 3, 31)))
    q2 = one(events, Window(dt.date(2026, 4, 1), dt.date(2026, 6, 30)))

    assert (q1["releases"], q1["security_audits"], q1["vulnerabilities_fixed"]) == (1, 2, 3)
    assert (q1["organisations_reached"], q1["datasets"]) == (4, 0)
    assert (q2["releases"], q2["organisations_reached"], q2["datasets"]) == (10, 40, 1)


def test_levels_are_the_highest_per_project_then_summed_over_projects_per_group():
    events = figures.prepare(
        frames(
            grants=[grant(1, call=1), grant(2, call=1), grant(3, call=2)],
            milestones=[
                milestone(1, 1, due="2026-02-01", accepted="2026-02-02", done=True),
                milestone(2, 1, due="2026-03-01", accepted="2026-03-02", done=True),
                milestone(3, 2, due="2026-03-01", accepted="2026-03-02", done=True),
                milestone(4, 3, due="2026-03-01", accepted="2026-03-02", done=True),
            ],
            reports=[
                report(1, 1, users_reached=500, contributors=2),
                report(2, 1, users_reached=300, contributors=7),
                report(3, 2, users_reached=40, contributors=1),
                report(4, 3, users_reached=6, contributors=9),
            ],
        ),
        today=TODAY,
    )

    by_call = figures.figures(events, by=figures.BY_CALL)

    assert by_call.loc[1, "users_reached"] == 540
    assert by_call.loc[1, "contributors"] == 8
    assert by_call.loc[2, "users_reached"] == 6
    assert one(events)["users_reached"] == 546


def test_follow_up_funding_counts_by_the_day_the_final_report_was_handed_in():
    events = figures.prepare(
        frames(
            grants=[grant(1)],
            final_reports=[(1, True, ts("2026-03-31"), 10_000, "EU", pd.NaT, 0)],
        ),
        today=TODAY,
    )

    q1 = one(events, Window(dt.date(2026, 1, 1), dt.date(2026, 3, 31)))
    q2 = one(events, Window(dt.date(2026, 4, 1), dt.date(2026, 6, 30)))

    assert (q1["follow_up_projects"], q1["follow_up_funding"]) == (1, 10_000)
    assert (q2["follow_up_projects"], q2["follow_up_funding"]) == (0, 0)


def test_grouping_by_topic_and_call_gives_a_row_per_combination_with_events():
    events = figures.prepare(
        frames(
            applications=[
                application(1, call=1, topic=1),
                application(2, call=2, topic=1),
                application(3, call=2, topic=1),
            ]
        ),
        today=TODAY,
    )

    table = figures.figures(events, by=(figures.BY_TOPIC, figures.BY_CALL))

    assert table.index.names == ["topic_id", "call_id"]
    assert table["received"].to_dict() == {(1, 1): 1, (1, 2): 2}


def test_figures_per_call_name_their_index_and_list_every_figure_in_order():
    events = figures.prepare(frames(applications=[application(1, call=7)]), today=TODAY)

    table = figures.figures(events, by=figures.BY_CALL)

    assert table.index.name == "key"
    assert list(table.index) == [7]
    assert list(table.columns) == list(figures.FIGURES)
    assert all(str(table[name].dtype) == "int64" for name in figures.FIGURES
               if name != "acceptance_rate")  # fmt: skip


def test_topic_shares_and_no_share_without_applications():
    table = pd.DataFrame({"received": [3, 1, 0]}, index=[1, 2, 3])

    assert figures.topic_shares(table).tolist() == [0.75, 0.25, 0.0]
    assert figures.topic_shares(table.assign(received=0)).isna().all()


def test_quarter_labels_and_missing_dates():
    dates = pd.Series([ts("2026-03-31"), ts("2026-04-01"), pd.NaT, ts("2025-12-01")])

    labels = figures.quarter_labels(dates)

    assert labels.iloc[[0, 1, 3]].tolist() == ["2026-Q1", "2026-Q2", "2025-Q4"]
    assert pd.isna(labels.iloc[2])


def test_public_bodies_are_the_same_whatever_their_spacing_and_case():
    bodies = pd.Series(["Stadt  Ulm", " stadt ulm ", "STADT ULM", "Land Berlin"])

    assert figures.normalised_body(bodies).tolist() == [
        "stadt ulm", "stadt ulm", "stadt ulm", "land berlin",
    ]  # fmt: skip


def test_frames_from_tuples_or_dicts_are_typed_and_empty_frames_keep_their_columns():
    built = Frames.from_rows(payments=[(1, True, 500, ts("2026-01-01"))])

    assert str(built.payments["amount"].dtype) == "int64"
    assert list(built.milestones.columns) == list(figures.COLUMNS["milestones"])
    assert built.milestones.empty
    with pytest.raises(ValueError, match="shorter"):  # a row without its date
        Frames.from_rows(payments=[(1, True, 500)])


def collaboration_world():
    return figures.prepare(
        frames(
            grants=[grant(1, reference="B-2"), grant(2, reference="A-1")],
            milestones=[
                milestone(1, 1, due="2026-02-01", accepted="2026-02-05", done=True),
                milestone(2, 2, due="2026-05-01", accepted="2026-05-05", done=True),
            ],
            reports=[report(1, 1), report(2, 2)],
            collaborations=[
                (1, "Stadt Ulm", "municipal", "adopts", ""),
                (1, "Land Berlin", "state", "partner", ""),
                (2, "Bund", "federal", "partner", ""),
                (2, "Amt X", "municipal", "reuses", ""),
            ],
        ),
        today=TODAY,
    )


def test_collaborations_by_level_and_kind_most_first_within_the_window():
    events = collaboration_world()

    assert figures.collaborations_by(events, column="level").to_dict() == {
        "municipal": 2, "state": 1, "federal": 1,
    }  # fmt: skip
    assert list(figures.collaborations_by(events, column="kind").items()) == [
        ("partner", 2), ("adopts", 1), ("reuses", 1),
    ]  # fmt: skip
    q2 = Window(dt.date(2026, 4, 1), dt.date(2026, 6, 30))
    assert figures.collaborations_by(events, window=q2, column="level").to_dict() == {
        "federal": 1, "municipal": 1,
    }  # fmt: skip


def test_the_collaboration_list_is_ordered_by_reference_and_body():
    events = collaboration_world()

    listed = figures.collaboration_list(events)
    q1 = figures.collaboration_list(events, window=Window(None, dt.date(2026, 3, 31)))

    assert listed[["reference", "body"]].values.tolist() == [
        ["A-1", "Amt X"], ["A-1", "Bund"], ["B-2", "Land Berlin"], ["B-2", "Stadt Ulm"],
    ]  # fmt: skip
    assert listed.loc[0, "accepted_on"] == ts("2026-05-05")
    assert list(listed.columns) == [
        "grant_id", "reference", "title", "body", "level", "kind", "description", "accepted_on",
    ]  # fmt: skip
    assert list(listed.index) == [0, 1, 2, 3]
    assert q1["body"].tolist() == ["Land Berlin", "Stadt Ulm"]


def test_delays_count_days_until_the_report_or_today_with_every_reason_once():
    events = figures.prepare(
        frames(
            grants=[grant(1, reference="A"), grant(2, reference="B")],
            milestones=[
                milestone(1, 1, due="2026-05-01", reported="2026-05-11", position=1),
                milestone(2, 1, due="2026-06-01", position=2),
                milestone(3, 2, due="2026-06-01", position=1),
                milestone(4, 2, due="2026-04-01", reported="2026-04-01", position=2),
            ],
            reports=[
                {**report(1, 1), "problems": "  Data came late.  "},
                {**report(4, 2), "problems": "Never shown: on time."},
            ],
            changes=[
                (1, 2, "milestone_date", True, "Illness.", ts("2026-05-20")),
                (1, 2, "milestone_date", False, "Illness.", ts("2026-05-21")),
                (1, None, "end_date", True, " More time for tests. ", ts("2026-05-22")),
                (2, 4, "milestone_date", True, "Not late: not shown.", ts("2026-03-01")),
            ],
        ),
        today=TODAY,
    )

    late = figures.delays(events)
    may = figures.delays(events, window=Window(dt.date(2026, 5, 1), dt.date(2026, 5, 31)))

    assert late[["reference", "position", "days_late"]].values.tolist() == [
        ["A", 2, 14], ["B", 1, 14], ["A", 1, 10],
    ]  # fmt: skip
    assert late["reasons"].tolist() == [
        ["Illness.", "More time for tests."],
        [],
        ["Data came late.", "More time for tests."],
    ]
    assert late.loc[0, "project"] == "Project 1" and late.loc[0, "milestone"] == "M2"
    assert list(late.columns) == [
        "grant_id", "reference", "project", "position", "milestone", "due_on", "reported_on",
        "days_late", "reasons",
    ]  # fmt: skip
    assert list(late.index) == [0, 1, 2]
    assert may["position"].tolist() == [1]


def test_projects_carry_their_figures_to_date_and_are_ordered_by_reference():
    events = figures.prepare(
        frames(
            grants=[grant(1, reference="Z-9"), grant(2, reference="A-1", starts="2026-07-01",
                                                       ends="2026-12-31")],
            payments=[(1, True, 700, ts("2026-02-01")), (1, False, 300, ts("2026-02-02"))],
            milestones=[
                milestone(1, 1, due="2026-02-01", reported="2026-02-03", accepted="2026-02-04",
                          done=True, position=1),
                milestone(2, 1, due="2026-03-01", position=2),
                milestone(3, 1, due="2026-03-01", cancelled=True, position=3),
            ],
            reports=[report(1, 1, releases=3, users_reached=70, security_audits=1)],
            links=[(1, "repository", "https://code.example/z", True)],
            final_reports=[(1, True, ts("2026-06-01"), 4_000, "Stiftung", pd.NaT, 0)],
        ),
        today=TODAY,
    )  # fmt: skip

    listed = figures.projects(events)
    running_in_q1 = figures.projects(
        events, window=Window(dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    )

    assert listed["reference"].tolist() == ["A-1", "Z-9"]
    assert list(listed.index) == [0, 1] and "index" not in listed.columns
    z9 = listed.set_index("reference").loc["Z-9"]
    assert (z9["disbursed"], z9["milestones"], z9["milestones_accepted"]) == (700, 2, 1)
    assert (z9["milestones_late"], z9["repositories"], z9["releases"]) == (2, 1, 3)
    assert (z9["users_reached"], z9["security_audits"], z9["follow_up"]) == (70, 1, 4_000)
    assert z9["funder"] == "Stiftung"
    a1 = listed.set_index("reference").loc["A-1"]
    assert (a1["disbursed"], a1["milestones"], a1["follow_up"], a1["funder"]) == (0, 0, 0, "")
    assert running_in_q1["reference"].tolist() == ["Z-9"]
