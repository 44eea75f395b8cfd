"""The ranking from the database: one query for the scores, then pandas; the figures agree
with the ones worked out by hand in tests/review/maths."""

import math

import pytest

from grants.states import ApplicationState as S
from review.ranking import build_ranking, waitlisted_in_ranking_order
from review.states import RankingBasis
from tests.factories import make_user
from tests.review.helpers import assign, budget_call, in_review, make_juror, make_jury, scored

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Juror A lenient (9 and 7), juror B harsh (5 and 1), one review per application (the
    example of test_calibration), plus an application without reviews."""
    jury = make_jury()
    lenient = make_juror(jury, full_name="Lena Lenient")
    harsh = make_juror(jury, full_name="Hans Harsh")
    apps = {name: in_review(jury.call, reference=f"CTF-2026-1-000{name}") for name in "PQRS"}
    for name, juror, score in (
        ("P", lenient, 9),
        ("Q", lenient, 7),
        ("R", harsh, 5),
        ("S", harsh, 1),
    ):
        scored(assign(juror, apps[name]), [score, score, None])
    in_review(jury.call, reference="CTF-2026-1-000U")
    return jury, apps


def test_raw_calibrated_and_leniency_from_the_database(world, staff):
    jury, apps = world

    ranking = build_ranking(jury, staff, basis=RankingBasis.CALIBRATED)

    step = math.sqrt(35 / 3) / math.sqrt(2)
    rows = {row["reference"][-1]: row for row in ranking.rows}
    assert {name: row["raw"] for name, row in rows.items()} == {
        "P": 9.0,
        "Q": 7.0,
        "R": 5.0,
        "S": 1.0,
    }
    assert rows["P"]["calibrated"] == pytest.approx(5.5 + step)
    assert rows["R"]["calibrated"] == pytest.approx(5.5 + step)
    assert rows["S"]["calibrated"] == pytest.approx(5.5 - step)
    # P and R share rank 1 after calibration.
    assert [
        (row["reference"][-1], row["rank"], row["low"], row["high"]) for row in ranking.rows
    ] == [
        ("P", 1, 1, 1),
        ("R", 1, 1, 1),
        ("Q", 3, 3, 3),
        ("S", 3, 3, 3),
    ]
    assert [row["reference"][-1] for row in ranking.unreviewed] == ["U"]
    assert [
        (item["juror"], item["mean"], item["count"], item["offset"]) for item in ranking.leniency
    ] == [
        ("Lena Lenient", 8.0, 2, 2.5),
        ("Hans Harsh", 3.0, 2, -2.5),
    ]
    assert ranking.review_count == 4
    assert ranking.disagreements == []  # one review each: no spread


def test_the_raw_basis_ranks_by_raw_means(world, staff):
    jury, _apps = world

    ranking = build_ranking(jury, staff, basis=RankingBasis.RAW)

    assert [(row["reference"][-1], row["rank"]) for row in ranking.rows] == [
        ("P", 1),
        ("Q", 2),
        ("R", 3),
        ("S", 4),
    ]


def test_sorting_and_the_disagreement_queue(staff):
    jury = make_jury()
    jurors = [make_juror(jury) for _ in range(3)]
    calm, torn = (
        in_review(jury.call, reference="CTF-2026-1-CALM"),
        in_review(jury.call, reference="CTF-2026-1-TORN"),
    )
    for juror, (a, b) in zip(jurors, ((6, 10), (6, 2), (6, 6)), strict=True):
        scored(assign(juror, calm), [a, a, None])
        scored(assign(juror, torn), [b, b, None])

    ranking = build_ranking(jury, staff)

    assert [row["reference"] for row in ranking.disagreements] == ["CTF-2026-1-TORN"]
    assert ranking.disagreements[0]["spread"] == 8.0
    assert [row["reference"] for row in ranking.sorted_rows("-spread")] == [
        "CTF-2026-1-CALM",
        "CTF-2026-1-TORN",
    ]
    assert [row["reference"] for row in ranking.sorted_rows("spread")] == [
        "CTF-2026-1-TORN",
        "CTF-2026-1-CALM",
    ]
    assert [row["reference"] for row in ranking.sorted_rows("nonsense")] == [
        row["reference"] for row in ranking.rows
    ]


def test_reviews_of_released_assignments_and_drafts_do_not_count(staff):
    jury = make_jury()
    application = in_review(jury.call)
    scored(assign(make_juror(jury), application), [8, 8, None])
    released = assign(make_juror(jury), application)
    scored(released, [1, 1, None])
    type(released.assignment).objects.filter(pk=released.assignment_id).update(
        released_at=application.created_at
    )
    scored(assign(make_juror(jury), application), [2, 2, None], submitted=False)

    ranking = build_ranking(jury, staff)

    assert [(row["raw"], row["count"]) for row in ranking.rows] == [(8.0, 1)]


@pytest.mark.parametrize("size", [1, 3])
def test_the_ranking_costs_four_queries(staff, django_assert_num_queries, size):
    jury = make_jury()
    jurors = [make_juror(jury) for _ in range(3)]
    for _ in range(size):
        application = in_review(jury.call)
        for juror in jurors:
            scored(assign(juror, application), [5, 6, 3])

    assert staff.role_names  # read once per request, before any view runs
    with django_assert_num_queries(4):
        ranking = build_ranking(jury, staff)

    assert len(ranking.rows) == size
    assert ranking.alpha[0]["criterion"].name_en == "Relevance"


def test_alpha_per_criterion(staff):
    jury = make_jury()
    x, y = make_juror(jury), make_juror(jury)
    for a, b in ((1, 1), (2, 2), (3, 3)):
        application = in_review(jury.call)
        scored(assign(x, application), [a, 5, None])
        scored(assign(y, application), [b, 6 - a, None])

    ranking = build_ranking(jury, staff)

    by_name = {item["criterion"].name_en: item["alpha"] for item in ranking.alpha}
    assert by_name["Relevance"] == pytest.approx(1.0)
    assert by_name["Security"] is None  # never applicable
    assert by_name["Feasibility"] < 0


def test_the_waiting_list_in_ranking_order(staff):
    call = budget_call("50000.00")
    jury = make_jury(call)
    juror = make_juror(jury)
    amounts = {"A": "30000.00", "B": "30000.00", "C": "20000.00"}
    for name, score in (("A", 9), ("B", 8), ("C", 7)):
        application = in_review(call, state=S.WAITLISTED, reference=f"CTF-2026-1-000{name}")
        type(application).objects.filter(pk=application.pk).update(requested_amount=amounts[name])
        scored(assign(juror, application), [score, score, None])

    plan = waitlisted_in_ranking_order(jury, staff)

    assert [(row["reference"][-1], row["fits"]) for row in plan] == [
        ("A", True),
        ("B", False),
        ("C", True),
    ]


def test_staff_who_are_conflicted_do_not_see_the_row(world):
    from accounts.roles import Role
    from tests.review.helpers import conflict

    jury, apps = world
    staff_juror = make_user(Role.STAFF, Role.JUROR)
    conflict(staff_juror, apps["P"])

    ranking = build_ranking(jury, staff_juror)

    assert "CTF-2026-1-000P" not in [row["reference"] for row in ranking.rows]
