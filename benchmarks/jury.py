"""Benchmark: the jury's two computations at the scale DESIGN.md names.

Run from the project root:  .venv/bin/python benchmarks/jury.py

1. Assignment: 1,000 applications in review × 30 jurors, k = 3, about 300 conflicts of
   interest and preferred topics, solved as a min-cost flow (review.maths.assignment, with
   OR-Tools) — ``assignment_seconds``; also the whole service (``propose_assignment``: loading
   the inputs, suggesting conflicts, solving, writing 3,000 proposals).
2. Ranking: 3,000 submitted reviews (1,000 applications × 3, three criteria each) with
   the additive model (juror offsets), 2,000 joint draws for the rank intervals and
   Krippendorff's alpha
   (review.ranking.compute) — ``ranking_seconds``; also the whole ``build_ranking``.

3. The jury pages at that scale, through django.test.Client as a signed-in staff member
   (median of several requests after warm-up; wall-clock server time, and its SQL queries):
   the ranking page (``ranking_page_ms``, its figures stored; ``ranking_page_cold_ms`` the
   first request after a change, which computes and stores them) and one application's
   reviews (``application_reviews_ms``); and a juror submitting a review
   (``review_post_queries``: SQL statements, not counting BEGIN and COMMIT;
   ``review_post_last_queries`` for an application's last review, which also moves it to
   "reviewed"). Targets (issue 17): ≤ 100 ms, ≤ 30 ms, ≤ 12 queries.

``load_seconds`` is the time to load the ranking's rows (9,000 scores) from the database,
``assignment_load_seconds`` that of the assignment's inputs; each computation is also given
as a ratio to its load time. Median of several runs, wall-clock and CPU time. Fresh temporary
SQLite database (or BENCHMARK_DATABASE_URL). Targets (DESIGN.md): each computation ≤ 1 s.
Prints JSON.
"""

import json
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import application_list, support  # noqa: E402

APPLICATIONS = 1000
JURORS = 30
K = 3
CONFLICTS = 300
RUNS = 5
TARGET_SECONDS = 1.0


def timed(function, runs=RUNS):
    """Median wall-clock and CPU seconds of ``runs`` calls, and the last result."""
    walls, cpus, result = [], [], None
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        result = function()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return round(statistics.median(walls), 4), round(statistics.median(cpus), 4), result


def set_up():
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from accounts.models import User
    from accounts.roles import Role
    from grants.models import Application, Call, Fund, Topic
    from grants.services.tracks import add_default_tracks
    from review.models import ConflictOfInterest, Criterion, Jury, JuryMember
    from review.states import ConflictKind, ConflictStatus

    rng = random.Random(2026)
    fund = Fund.objects.create(name="Civic Tech Fund", reference_prefix="CTF")
    topics = [
        Topic.objects.create(fund=fund, slug=slug, name_de=slug, name_en=slug)
        for slug in ("open-data", "civic-tech", "data-security")
    ]
    now = timezone.now()
    call = Call.objects.create(
        fund=fund,
        slug="2026-1",
        year=2026,
        round_number=1,
        title_de="Runde 1",
        title_en="Round 1",
        opens_at=now - timezone.timedelta(days=90),
        closes_at=now - timezone.timedelta(days=30),
        budget=Decimal("1500000"),
        state="in_review",
    )
    track = add_default_tracks(call)[0]
    jury = Jury.objects.create(call=call, due_on=now.date())
    for position, (name, weight) in enumerate(
        (("Relevance", 40), ("Feasibility", 30), ("Innovation", 30)), start=1
    ):
        Criterion.objects.create(
            jury=jury, position=position, name_de=name, name_en=name, weight=weight
        )
    staff = User.objects.create_user("staff@fund.example", full_name="Sam Staff")
    staff.groups.add(Group.objects.get(name=Role.STAFF))
    jurors = User.objects.bulk_create(
        User(email=f"juror{n}@jury.example", full_name=f"Juror Number{n}", password="!")
        for n in range(JURORS)
    )
    Group.objects.get(name=Role.JUROR).user_set.add(*jurors)
    members = JuryMember.objects.bulk_create(
        JuryMember(jury=jury, user=juror, email=juror.email, joined_at=now) for juror in jurors
    )
    for index, member in enumerate(members):
        member.topics.set([topics[index % 3]])
    owners = User.objects.bulk_create(
        User(email=f"applicant{n}@example.org", full_name=f"Applicant Person{n}", password="!")
        for n in range(APPLICATIONS)
    )
    applications = Application.objects.bulk_create(
        Application(
            call=call,
            owner=owner,
            reference=f"CTF-2026-1-{n:04d}",
            title=f"Prototype {n}",
            topic=topics[rng.randrange(3)],
            track=track,
            state="in_review",
            requested_amount=Decimal(30000 + (n * 7919) % 60000),
            submitted_at=now - timezone.timedelta(days=40),
        )
        for n, owner in enumerate(owners)
    )
    pairs = {(rng.choice(applications).pk, rng.choice(jurors).pk) for _ in range(CONFLICTS)}
    ConflictOfInterest.objects.bulk_create(
        ConflictOfInterest(
            juror_id=juror,
            application_id=application,
            status=ConflictStatus.DECLARED,
            kind=ConflictKind.COLLEAGUE,
        )
        for application, juror in pairs
    )
    return jury, staff, applications, jurors


def assignment_problem(jury, staff):
    """The solver's inputs, as propose_assignment loads them."""
    from review.maths.assignment import Problem
    from review.models import ConflictOfInterest
    from review.services.assignment import assignable_applications, jurors_of
    from review.states import BLOCKING_CONFLICTS

    members = list(jurors_of(jury))
    applications = list(assignable_applications(jury, staff))
    conflicts = frozenset(
        ConflictOfInterest.objects.filter(
            application__call=jury.call, status__in=BLOCKING_CONFLICTS
        ).values_list("application_id", "juror_id")
    )
    topics = {member.user_id: {topic.pk for topic in member.topics.all()} for member in members}
    juror_ids = [member.user_id for member in members]
    preferred = frozenset(
        (application.pk, juror)
        for application in applications
        for juror in juror_ids
        if application.topic_id in topics[juror]
    )
    return Problem(
        applications=[application.pk for application in applications],
        jurors=juror_ids,
        per_application=K,
        excluded=conflicts,
        preferred=preferred,
        seed=1,
    )


def add_reviews(jury, applications, jurors):
    """3,000 submitted reviews with three scores each; every juror has their own leniency."""
    from review.models import Assignment, Review, Score

    rng = random.Random(7)
    criteria = list(jury.criteria.order_by("position"))
    bias = {juror.pk: rng.gauss(0, 1) for juror in jurors}
    assignments = Assignment.objects.bulk_create(
        Assignment(application=application, juror=juror, confirmed_at=application.submitted_at)
        for index, application in enumerate(applications)
        for juror in (jurors[(index + step * 7) % len(jurors)] for step in range(K))
    )
    reviews = Review.objects.bulk_create(
        Review(assignment=assignment, state="submitted") for assignment in assignments
    )
    quality = {application.pk: rng.uniform(2, 9) for application in applications}
    Score.objects.bulk_create(
        Score(
            review=review,
            criterion=criterion,
            value=min(
                10,
                max(
                    0,
                    round(
                        quality[assignment.application_id]
                        + bias[assignment.juror_id]
                        + rng.gauss(0, 1)
                    ),
                ),
            ),
        )
        for review, assignment in zip(reviews, assignments, strict=True)
        for criterion in criteria
    )
    return len(reviews)


def jury_pages(jury, staff, applications):
    """The ranking page (cold and stored) and one application's reviews, as staff."""
    from django.urls import reverse

    from review.models import StoredRanking

    client = application_list.staff_client(staff)
    StoredRanking.objects.all().delete()  # the first request after a change computes
    ranking_url = reverse("staff_ranking", kwargs={"slug": jury.call.slug})
    started = time.perf_counter()
    assert client.get(ranking_url).status_code == 200
    cold_ms = round((time.perf_counter() - started) * 1000, 1)
    ranking = application_list.measure(client, ranking_url)
    reviews = application_list.measure(
        client, reverse("staff_application_jury", kwargs={"pk": applications[500].pk})
    )
    return cold_ms, ranking, reviews


TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def statements(captured) -> list[str]:
    """The SQL statements that read or write data (Django also logs BEGIN and COMMIT)."""
    return [query["sql"] for query in captured if not query["sql"].startswith(TRANSACTION_CONTROL)]


def review_posts(jury, jurors):
    """Jurors submit reviews through the review page: queries of a submission that leaves
    reviews of its application open, and of the one that completes it."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from accounts.models import User
    from grants.models import Application, Topic
    from review.models import Assignment, Jury, Review
    from review.states import JuryPhase

    Jury.objects.filter(pk=jury.pk).update(phase=JuryPhase.SCORING)
    criteria = list(jury.criteria.order_by("position"))
    application = Application.objects.create(
        call=jury.call,
        owner=User.objects.create_user("late@example.org", full_name="Late One"),
        reference="CTF-2026-1-9999",
        title="Late prototype",
        topic=Topic.objects.filter(fund=jury.call.fund).first(),
        track=jury.call.tracks.get(key="individual_6"),
        state="in_review",
        requested_amount=Decimal("40000"),
        submitted_at=timezone.now(),
    )
    now = timezone.now()
    posts = []
    for juror in jurors[:K]:
        assignment = Assignment.objects.create(
            juror=juror, application=application, confirmed_at=now
        )
        posts.append((juror, Review.objects.create(assignment=assignment)))
    ContentType.objects.get_for_models(Review, Application)  # cached in a running server
    counts, timings = [], []
    for juror, review in posts:
        client = application_list.staff_client(juror)
        data = {"version": review.version, "comment_for_staff": "", "comment_for_applicant": ""}
        data |= {f"score_{criterion.pk}": "7" for criterion in criteria}
        data["submit"] = "1"
        url = reverse("jury_review", kwargs={"pk": review.pk})
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.post(url, data)
            timings.append(round((time.perf_counter() - started) * 1000, 1))
        assert response.status_code == 302, response.status_code
        counts.append(len(statements(captured)))
    application.refresh_from_db()
    assert application.state == "reviewed"
    return counts, timings


def main():
    path = support.configure("config.settings.test")
    try:
        from django.db import transaction

        from review import queries
        from review.maths.assignment import solve
        from review.models import Assignment
        from review.ranking import build_ranking, compute, score_frame
        from review.services.assignment import propose_assignment

        jury, staff, applications, jurors = set_up()
        staff.role_names  # noqa: B018 (read once, as a request would)

        assignment_load, _cpu, problem = timed(lambda: assignment_problem(jury, staff))
        assignment_seconds, assignment_cpu, solution = timed(lambda: solve(problem))

        def service():
            with transaction.atomic():
                figures = propose_assignment(jury=jury, actor=staff)
                transaction.set_rollback(True)
            return figures

        service_seconds, _cpu, figures = timed(service, runs=3)
        assert Assignment.objects.count() == 0

        reviews = add_reviews(jury, applications, jurors)
        load_seconds, load_cpu, rows = timed(lambda: list(queries.ranking_scores(jury.call, staff)))
        criteria = list(queries.criteria_of(jury))
        ranked = list(queries.ranked_applications(jury.call, staff))
        names = queries.juror_names(jury)
        ranking_seconds, ranking_cpu, ranking = timed(
            lambda: compute(score_frame(rows), criteria, ranked, names, basis="calibrated")
        )
        total_seconds, _cpu, _ranking = timed(lambda: build_ranking(jury, staff))
        cold_ms, ranking_page, reviews_page = jury_pages(jury, staff, applications)
        post_counts, post_timings = review_posts(jury, jurors)

        loads = sorted(solution.loads.values())
        print(
            json.dumps(
                {
                    "applications": APPLICATIONS,
                    "jurors": JURORS,
                    "reviews_per_application": K,
                    "conflicts": len(problem.excluded),
                    "assignment_seconds": assignment_seconds,
                    "assignment_cpu_seconds": assignment_cpu,
                    "assignment_load_seconds": assignment_load,
                    "assignment_to_load_ratio": round(assignment_seconds / assignment_load, 2),
                    "assignment_service_seconds": service_seconds,
                    "assigned": len(solution.pairs),
                    "missing": sum(solution.short.values()),
                    "load_per_juror_min_max": [loads[0], loads[-1]],
                    "juror_groups": len(solution.groups),
                    "service_figures": figures,
                    "reviews": reviews,
                    "score_rows": len(rows),
                    "rank_draws": 2000,
                    "load_seconds": load_seconds,
                    "load_cpu_seconds": load_cpu,
                    "ranking_seconds": ranking_seconds,
                    "ranking_cpu_seconds": ranking_cpu,
                    "ranking_to_load_ratio": round(ranking_seconds / load_seconds, 2),
                    "ranking_page_data_seconds": total_seconds,
                    "ranked": len(ranking.rows),
                    "ranking_page_ms": ranking_page["median_ms"],
                    "ranking_page_cpu_ms": ranking_page["median_cpu_ms"],
                    "ranking_page_queries": ranking_page["queries"],
                    "ranking_page_cold_ms": cold_ms,
                    "application_reviews_ms": reviews_page["median_ms"],
                    "application_reviews_cpu_ms": reviews_page["median_cpu_ms"],
                    "application_reviews_queries": reviews_page["queries"],
                    "review_post_queries": post_counts[0],
                    "review_post_last_queries": post_counts[-1],
                    "review_post_ms": post_timings[0],
                    "target_seconds": TARGET_SECONDS,
                    "database": "postgresql"
                    if os.environ.get("BENCHMARK_DATABASE_URL", "").startswith("postgres")
                    else "sqlite",
                },
                indent=2,
            )
        )
    finally:
        if not os.environ.get("BENCHMARK_DATABASE_URL"):
            Path(path).unlink(missing_ok=True)


if __name__ == "__main__":
    main()
