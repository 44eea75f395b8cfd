"""The ranking is computed once per version of its input and read from the database after
that; any change of the input (a review submitted, reopened or released, a withdrawal, the
criteria) gives another version, so a stale ranking is never shown."""

import re
import threading

import pytest
from django.db import close_old_connections, connection
from django.urls import reverse

from accounts.roles import Role
from grants.models import Application
from grants.states import ApplicationState as S
from review import queries
from review.models import Criterion, StoredRanking
from review.ranking import build_ranking, input_version
from review.services import rankings
from review.services.conflicts import declare_conflict
from review.services.reviews import reopen_review, submit_review
from review.states import ConflictKind, RankingBasis
from tests.accounts.helpers import sign_in
from tests.factories import make_user
from tests.review.helpers import assign, conflict, in_review, make_juror, make_jury, scored

pytestmark = pytest.mark.django_db


@pytest.fixture
def jury_world():
    """Two applications scored by two jurors: A (8, 8) above B (6, 6)."""
    jury = make_jury()
    jurors = [make_juror(jury, full_name=f"Juror {n}") for n in (1, 2)]
    apps = {name: in_review(jury.call, reference=f"CTF-2026-1-000{name}") for name in "AB"}
    reviews = {}
    for name, score in (("A", 8), ("B", 6)):
        for juror in jurors:
            reviews[name, juror.pk] = scored(assign(juror, apps[name]), [score, score, None])
    return jury, jurors, apps, reviews


def raws(ranking):
    return {row["reference"][-1]: row["raw"] for row in ranking.rows}


def test_the_figures_are_computed_once_and_then_read(jury_world, staff):
    jury, *_ = jury_world

    first = build_ranking(jury, staff)
    stored = StoredRanking.objects.get()
    second = build_ranking(jury, staff)

    assert StoredRanking.objects.get().pk == stored.pk  # not computed again
    assert second.rows == first.rows
    assert raws(second) == {"A": 8.0, "B": 6.0}
    assert stored.input_version == input_version(
        RankingBasis.CALIBRATED,
        list(queries.criteria_of(jury)),
        queries.ranking_input(jury.call, staff),
    )
    assert set(stored.figures["applications"]) == {f"a{row['id']}" for row in first.rows}


def test_a_changed_review_shows_on_the_ranking_page_at_once(client, jury_world, staff):
    jury, jurors, apps, reviews = jury_world
    sign_in(client, staff)
    url = reverse("staff_ranking", kwargs={"slug": jury.call.slug})
    before = client.get(url).content.decode()
    review = reviews["B", jurors[0].pk]
    reopened = reopen_review(review=review, actor=jurors[0])

    while_reopened = client.get(url).content.decode()
    criteria = list(jury.criteria.order_by("position"))
    submit_review(
        review=reopened,
        actor=jurors[0],
        expected_version=reopened.version,
        entries={
            criteria[0].pk: {"value": 10},
            criteria[1].pk: {"value": 10},
            criteria[2].pk: {"value": None, "not_applicable": True},
        },
        comment_for_staff="",
        comment_for_applicant="",
    )
    after = client.get(url).content.decode()

    def first_row(page):
        return re.search(r'/jury/">(CTF-2026-1-000\w)</a>', page).group(1)

    assert first_row(before) == "CTF-2026-1-000A"
    assert "4 submitted reviews of 2 applications" in before
    assert "3 submitted reviews of 2 applications" in while_reopened
    # B is now scored 10 and 6: a raw mean of 8 like A's; its row shows the new mean.
    assert raws(build_ranking(jury, staff)) == {"A": 8.0, "B": 8.0}
    assert "4 submitted reviews of 2 applications" in after
    assert StoredRanking.objects.count() == 3  # before, while reopened, after


def test_a_withdrawal_changes_the_input(jury_world, staff):
    jury, _jurors, apps, _reviews = jury_world
    build_ranking(jury, staff)

    Application.objects.filter(pk=apps["A"].pk).update(state=S.WITHDRAWN)

    assert raws(build_ranking(jury, staff)) == {"B": 6.0}


def test_a_released_review_changes_the_input(jury_world, staff):
    jury, jurors, apps, _reviews = jury_world
    build_ranking(jury, staff)

    declare_conflict(application_id=apps["A"].pk, actor=jurors[0], kind=ConflictKind.COLLEAGUE)

    assert [row["count"] for row in build_ranking(jury, staff).rows] == [1, 2]


def test_changed_criteria_change_the_input(jury_world, staff):
    jury, _jurors, apps, reviews = jury_world
    before = input_version(RankingBasis.CALIBRATED, list(queries.criteria_of(jury)), [(1, 1)])
    Criterion.objects.filter(jury=jury, position=1).update(weight=50)

    after = input_version(RankingBasis.CALIBRATED, list(queries.criteria_of(jury)), [(1, 1)])

    assert before != after
    assert before != input_version(RankingBasis.RAW, list(queries.criteria_of(jury)), [(1, 1)])
    assert input_version("raw", [], [(1, 2)]) != input_version("raw", [], [(1, 3)])
    assert input_version("raw", [], [(1, 2), (3, 4)]) == input_version("raw", [], [(3, 4), (1, 2)])


def test_every_set_of_reviews_has_its_own_version():
    versions = {
        input_version("raw", [], reviews)
        for reviews in (
            [],
            [(1, 23)],
            [(12, 3)],
            [(1, 2), (3, 4)],
            [(1, 2), (3, 5)],
            [(1, 2)],
            [(2, 1)],
            [(2**40, 1)],
        )
    }

    assert len(versions) == 8
    assert input_version("raw", [], {(3, 4), (1, 2)}) == input_version("raw", [], [(1, 2), (3, 4)])


def test_each_basis_is_stored_apart(jury_world, staff):
    jury, *_ = jury_world

    build_ranking(jury, staff, basis=RankingBasis.RAW)
    build_ranking(jury, staff, basis=RankingBasis.CALIBRATED)

    assert sorted(StoredRanking.objects.values_list("basis", flat=True)) == ["calibrated", "raw"]


def test_staff_with_a_conflict_get_their_own_figures(jury_world, staff):
    jury, _jurors, apps, _reviews = jury_world
    staff_juror = make_user(Role.STAFF, Role.JUROR)
    conflict(staff_juror, apps["A"])

    theirs = build_ranking(jury, staff_juror)
    everyone = build_ranking(jury, staff)

    assert raws(theirs) == {"B": 6.0}
    assert [row["rank"] for row in theirs.rows] == [1]  # no gap gives A's place away
    assert raws(everyone) == {"A": 8.0, "B": 6.0}
    assert StoredRanking.objects.count() == 2


def test_only_the_last_four_versions_are_kept(jury_world, staff):
    jury, jurors, apps, _reviews = jury_world
    for index in range(6):
        application = in_review(jury.call)
        scored(assign(jurors[0], application), [index, index, None])
        build_ranking(jury, staff)

    assert StoredRanking.objects.count() == rankings.KEEP == 4
    newest = StoredRanking.objects.order_by("-computed_at", "-pk").first()
    assert len(newest.figures["applications"]) == 8


def test_one_applications_row_is_read_alone(jury_world, staff, django_assert_num_queries):
    from review.ranking import ranking_row

    jury, _jurors, apps, _reviews = jury_world
    build_ranking(jury, staff)
    unscored = in_review(jury.call)

    with django_assert_num_queries(3):  # criteria, the input's version, the row
        row = ranking_row(jury, staff, apps["B"])
    assert ranking_row(jury, staff, unscored) is None

    assert (row["reference"], row["raw"], row["rank"], row["count"]) == (
        "CTF-2026-1-000B",
        6.0,
        2,
        2,
    )


def test_a_version_stored_meanwhile_is_not_stored_twice(jury_world, staff):
    # What a second process does after the first stored the same version between its
    # look-up and its computation (the race itself: the PostgreSQL test below).
    jury, *_ = jury_world
    criteria = list(queries.criteria_of(jury))
    kwargs = {"basis": RankingBasis.CALIBRATED, "criteria": criteria}

    first = rankings.compute_figures(jury.call, staff, **kwargs)
    second = rankings.compute_figures(jury.call, staff, **kwargs)

    assert second == first
    assert StoredRanking.objects.get().figures == first


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_processes_computing_the_same_version_at_once_store_it_once(jury_world, staff):
    jury, *_ = jury_world
    barrier = threading.Barrier(3)
    results, errors = [], []

    def compute():
        try:
            barrier.wait(timeout=10)
            results.append(build_ranking(jury, staff).rows)
        except Exception as error:  # reported below
            errors.append(repr(error))
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=compute) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert len(results) == 3 and results[0] == results[1] == results[2]
    assert StoredRanking.objects.count() == 1
