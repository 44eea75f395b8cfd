"""The ranking from the database: one query for the scores, then pandas; the figures agree
with the ones worked out by hand in tests/review/maths."""

import pandas as pd
import pytest

from grants.states import ApplicationState as S
from review.line import waitlisted_in_ranking_order
from review.maths.calibration import calibrated_ranking
from review.ranking import build_ranking
from review.states import RankingBasis
from tests.factories import make_user
from tests.review.helpers import assign, budget_call, in_review, make_juror, make_jury, scored

pytestmark = pytest.mark.django_db


# Scores that are exactly quality + bias (the example of tests/review/maths/test_calibration):
# Lena lenient (+2), Hans harsh (−2), Nina neutral; true quality A 6, B 5, C 7, D 4, E 3, F 8.
WORLD = (
    ("Lena Lenient", "A", 8), ("Lena Lenient", "B", 7), ("Lena Lenient", "C", 9),
    ("Lena Lenient", "D", 6),
    ("Hans Harsh", "C", 5), ("Hans Harsh", "D", 2), ("Hans Harsh", "E", 1), ("Hans Harsh", "F", 6),
    ("Nina Neutral", "A", 6), ("Nina Neutral", "C", 7), ("Nina Neutral", "E", 3),
)  # fmt: skip


@pytest.fixture
def world():
    """The jurors and reviews of WORLD (each total is the two 0–10 criteria's common score,
    security not applicable), plus an application without reviews."""
    jury = make_jury()
    jurors = {name: make_juror(jury, full_name=name) for name, _app, _score in WORLD}
    apps = {name: in_review(jury.call, reference=f"CTF-2026-1-000{name}") for name in "ABCDEF"}
    for name, app, score in WORLD:
        scored(assign(jurors[name], apps[app]), [score, score, None])
    in_review(jury.call, reference="CTF-2026-1-000U")
    return jury, apps | jurors


def test_raw_calibrated_and_leniency_from_the_database(world, staff):
    jury, apps = world

    ranking = build_ranking(jury, staff, basis=RankingBasis.CALIBRATED)

    rows = {row["reference"][-1]: row for row in ranking.rows}
    assert {name: row["raw"] for name, row in rows.items()} == pytest.approx(
        {"A": 7.0, "B": 7.0, "C": 7.0, "D": 4.0, "E": 2.0, "F": 6.0}
    )
    # The model's figures for the same totals, computed without the database.
    reviews = pd.DataFrame(
        [
            (index, apps[app].pk, apps[name].pk, float(score))
            for index, (name, app, score) in enumerate(WORLD)
        ],
        columns=["review", "application", "juror", "total"],
    )
    expected = calibrated_ranking(reviews).applications.set_index("application")
    for name, row in rows.items():
        figures = expected.loc[apps[name].pk]
        assert row["calibrated"] == pytest.approx(figures["calibrated"])
        assert row["se"] == pytest.approx(figures["se"])
        assert row["expected_rank"] == pytest.approx(figures["expected_rank"])
        assert (row["low"], row["high"]) == (figures["low"], figures["high"])
    # The true order, although the raw means put F fourth; scores a quality step apart.
    assert [(row["reference"][-1], row["rank"]) for row in ranking.rows] == [
        ("F", 1),
        ("C", 2),
        ("A", 3),
        ("B", 4),
        ("D", 5),
        ("E", 6),
    ]
    assert rows["F"]["calibrated"] - rows["C"]["calibrated"] == pytest.approx(1, abs=0.1)
    assert rows["A"]["calibrated"] - rows["E"]["calibrated"] == pytest.approx(3, abs=0.1)
    assert all(row["low"] <= row["rank"] <= row["high"] for row in ranking.rows)
    assert [row["reference"][-1] for row in ranking.unreviewed] == ["U"]
    # Leniency is the model's offset: Lena two points above Nina, Hans two below.
    assert [(item["juror"], item["count"]) for item in ranking.leniency] == [
        ("Lena Lenient", 4),
        ("Nina Neutral", 3),
        ("Hans Harsh", 4),
    ]
    lena, nina, hans = ranking.leniency
    assert [lena["mean"], nina["mean"], hans["mean"]] == pytest.approx([7.5, 16 / 3, 3.5])
    assert lena["offset"] - nina["offset"] == pytest.approx(2, abs=0.1)
    assert nina["offset"] - hans["offset"] == pytest.approx(2, abs=0.1)
    assert all(item["offset_se"] > 0 for item in ranking.leniency)
    assert ranking.review_count == 11
    # C's totals lie 4 apart (9 and 5), but not once the offsets are taken out.
    assert (rows["C"]["lowest"], rows["C"]["highest"]) == (5.0, 9.0)
    assert rows["C"]["spread"] < 0.1
    assert ranking.residual_sd < 0.5 and ranking.juror_sd > 1.5


def test_the_raw_basis_ranks_by_raw_means(world, staff):
    jury, _apps = world

    ranking = build_ranking(jury, staff, basis=RankingBasis.RAW)

    # A, B and C share rank 1 with 7; F 6, D 4, E 2.
    assert [(row["reference"][-1], row["rank"]) for row in ranking.rows] == [
        ("A", 1),
        ("B", 1),
        ("C", 1),
        ("F", 4),
        ("D", 5),
        ("E", 6),
    ]
    assert all(row["low"] <= row["rank"] <= row["high"] for row in ranking.rows)


def test_sorting_and_the_disagreement_queue(staff):
    """Xaver is lenient (+2), Yvonne harsh (−2), Zoe neutral, on six applications alike. On
    PAIR the lenient and the harsh juror lie 4 apart as usual; on TORN they swap (Xaver 3,
    Yvonne 7): the same raw spread, but only TORN's disagreement is left after the offsets."""
    jury = make_jury()
    jurors = [make_juror(jury, full_name=name) for name in ("Xaver", "Yvonne", "Zoe")]
    plan = {f"CTF-2026-1-000{q}": (q + 2, q - 2, q) for q in (3, 4, 5, 6)}
    plan |= {"CTF-2026-1-PAIR": (8, 4, 6), "CTF-2026-1-TORN": (3, 7, 5)}
    for reference, totals in plan.items():
        application = in_review(jury.call, reference=reference)
        for juror, total in zip(jurors, totals, strict=True):
            scored(assign(juror, application), [total, total, None])

    ranking = build_ranking(jury, staff)

    rows = {row["reference"]: row for row in ranking.rows}
    assert {
        reference: row["highest"] - row["lowest"] for reference, row in rows.items()
    } == dict.fromkeys(plan, 4.0)
    # TORN pulls the offsets toward 0 (±4/3 by least squares), and with three jurors the
    # model shrinks them further: the others' spread drops from 4 to about 2, TORN's grows.
    assert ranking.disagreements[0]["reference"] == "CTF-2026-1-TORN"
    assert 5 < ranking.disagreements[0]["spread"] < 8
    others = {row["spread"] for row in ranking.disagreements[1:]}
    assert len({round(spread, 9) for spread in others}) == 1 and max(others) < 2.5
    assert len(ranking.disagreements) == 6
    assert [row["reference"] for row in ranking.sorted_rows("-spread")][0] != "CTF-2026-1-TORN"
    assert [row["reference"] for row in ranking.sorted_rows("spread")][0] == "CTF-2026-1-TORN"
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
def test_the_ranking_costs_eight_queries_to_compute_and_five_to_read(
    staff, django_assert_num_queries, size
):
    jury = make_jury()
    jurors = [make_juror(jury) for _ in range(3)]
    for _ in range(size):
        application = in_review(jury.call)
        for juror in jurors:
            scored(assign(juror, application), [5, 6, 3])

    assert staff.role_names  # read once per request, before any view runs
    # Criteria, the input's version, no stored figures; the scores, storing, keeping four.
    with django_assert_num_queries(6 + 2):
        computed = build_ranking(jury, staff)
    # Criteria, the input's version, the stored figures; the applications, the names.
    with django_assert_num_queries(5):
        ranking = build_ranking(jury, staff)

    assert len(ranking.rows) == size
    assert ranking.rows == computed.rows
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
    conflict(staff_juror, apps["A"])

    ranking = build_ranking(jury, staff_juror)

    assert "CTF-2026-1-000A" not in [row["reference"] for row in ranking.rows]
