"""Every jury page makes the same number of SQL queries with 1 and with 3 rows (applications,
jurors, reviews), and the ranking with 10 and with 1,000 reviews."""

import pytest
from django.urls import reverse

from grants.states import ApplicationState as S
from review.models import ConflictOfInterest, Jury
from review.services.funding import draw_funding_line
from review.states import ConflictStatus, JuryPhase, RankingBasis
from tests.accounts.helpers import INBOX_COUNT, sign_in
from tests.factories import make_user
from tests.review.helpers import assign, budget_call, in_review, make_juror, make_jury, scored

pytestmark = pytest.mark.django_db


def build(rows, staff):
    """A call whose jury has ``rows`` jurors, each on ``rows`` applications (3 reviews per
    application where there are 3 jurors), half of them scored."""
    call = budget_call("1000000.00")
    jury = make_jury(call)
    jurors = [make_juror(jury, full_name=f"Juror Number{n}") for n in range(rows)]
    applications = []
    for index in range(rows):
        application = in_review(
            call,
            state=S.REVIEWED,
            owner=make_user(full_name=f"Owner Person{index}"),
            members=[f"m{index}@team.example"],
        )
        applications.append(application)
        for juror in jurors:
            review = assign(juror, application)
            if index % 2 == 0:
                scored(review, [5 + index % 3, 6, 3], for_applicant="Thanks")
        ConflictOfInterest.objects.create(
            juror=jurors[0], application=in_review(call), status=ConflictStatus.SUGGESTED
        )
    return jury, jurors, applications


PAGES = [
    # (name, who, url kwargs from the world, queries). Every page of these MFA roles starts
    # with 4: the session, the user, the roles, and the gate's check that the session's
    # authenticator still exists; the navigation's inbox count adds INBOX_COUNT. The line,
    # waiting list and decision pages read the money committed in the call, where
    # terminated grants count what was released (one query).
    # The ranking's figures are read stored (the input's version, then the figures); the
    # line page counts the applications still awaiting reviews and reads the states of the
    # line's applications; the jury page reads the topics and their minimum shares.
    ("jury_dashboard", "juror", None, 8),
    ("jury_conflicts", "juror", "slug", 8),
    ("jury_queue", "juror", "slug", 6),
    # The review pages: + the application's answers and its call's questions.
    ("jury_review", "juror", "review", 15),
    ("jury_review_discussion", "juror", "review", 14),
    ("staff_jury", "staff", "slug", 12),
    ("staff_jury_criteria", "staff", "slug", 6),
    ("staff_jury_members", "staff", "slug", 8),
    ("staff_assignment", "staff", "slug", 9),
    ("staff_ranking", "staff", "slug", 11),
    ("staff_line", "staff", "slug", 13),
    ("staff_waitlist", "staff", "slug", 14),
    # The page of one application's reviews also shows its discussion: the comments, the
    # rapporteur and summary, the jurors who may be named rapporteur, and the check that
    # staff see the application as staff. The jury is read once (the discussion's rules find
    # it on the call), the scores without their criteria (the page has read them).
    ("staff_application_jury", "staff", "application", 17),
]


def page_url(name, key, jury, jurors, applications):
    if key is None:
        return reverse(name)
    if key == "slug":
        return reverse(name, kwargs={"slug": jury.call.slug})
    if key == "review":
        return reverse(
            name, kwargs={"pk": jurors[0].review_assignments.order_by("pk").first().review.pk}
        )
    return reverse(name, kwargs={"pk": applications[0].pk})


@pytest.mark.parametrize("rows", [1, 3])
@pytest.mark.parametrize(("name", "who", "key", "queries"), PAGES, ids=[page[0] for page in PAGES])
def test_jury_pages_make_a_fixed_number_of_queries(
    client, staff, django_assert_num_queries, rows, name, who, key, queries
):
    jury, jurors, applications = build(rows, staff)
    if name == "staff_line":
        Jury.objects.filter(pk=jury.pk).update(phase=JuryPhase.CLOSED)
        draw_funding_line(call=jury.call, actor=staff, basis=RankingBasis.CALIBRATED)
    user = jurors[0] if who == "juror" else staff
    sign_in(client, user)
    url = page_url(name, key, jury, jurors, applications)
    client.get(url)  # the ranking's figures are computed once per input (below: cold pages)

    with django_assert_num_queries(queries + INBOX_COUNT):
        response = client.get(url)

    assert response.status_code == 200


@pytest.mark.parametrize("rows", [1, 3])
def test_searching_the_conflict_list_makes_no_more_queries(
    client, staff, django_assert_num_queries, rows
):
    jury, jurors, applications = build(rows, staff)
    sign_in(client, jurors[0])
    url = reverse("jury_conflicts", kwargs={"slug": jury.call.slug})

    with django_assert_num_queries(8 + INBOX_COUNT):
        response = client.get(url, {"q": applications[0].reference})

    assert f"1 of {rows + rows} applications matches" in response.content.decode()


@pytest.mark.parametrize("rows", [1, 3])
@pytest.mark.parametrize(
    ("name", "key", "queries"),
    [("staff_ranking", "slug", 11 + 3), ("staff_application_jury", "application", 17 + 3)],
)
def test_computing_the_ranking_takes_three_more_queries(
    client, staff, django_assert_num_queries, rows, name, key, queries
):
    """The first page after a change loads the scores, stores the figures and keeps the
    last four versions; the next one reads them (above)."""
    jury, jurors, applications = build(rows, staff)
    sign_in(client, staff)
    url = page_url(name, key, jury, jurors, applications)

    with django_assert_num_queries(queries + INBOX_COUNT):
        response = client.get(url)

    assert response.status_code == 200


def test_the_juror_dashboard_with_several_juries(client, django_assert_num_queries):
    juror = make_juror()
    for _ in range(3):
        jury = make_jury()
        jury.members.create(user=juror, email=juror.email)
    sign_in(client, juror)

    with django_assert_num_queries(8 + INBOX_COUNT):
        response = client.get(reverse("jury_dashboard"))

    assert response.content.decode().count('class="card"') == 3


def analyze_tables(*tables):
    """PostgreSQL plans from its statistics, which still say "empty" right after a bulk
    insert in a test (a server's autovacuum would have analysed them): with them, the
    ranking's score query took six minutes here instead of milliseconds."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE " + ", ".join(tables))


@pytest.mark.parametrize("reviews", [10, 1000])
def test_the_ranking_page_with_10_and_1000_reviews(
    client, staff, django_assert_num_queries, reviews
):
    from review.models import Assignment, Review, Score

    call = budget_call("1000000.00")
    jury = make_jury(call)
    jurors = [make_juror(jury) for _ in range(10)]
    criteria = list(jury.criteria.order_by("position"))
    applications = [in_review(call) for _ in range(reviews // 10)]
    assignments = Assignment.objects.bulk_create(
        Assignment(juror=juror, application=application, confirmed_at=application.created_at)
        for application in applications
        for juror in jurors
    )
    created = Review.objects.bulk_create(
        Review(assignment=a, state="submitted") for a in assignments
    )
    Score.objects.bulk_create(
        Score(review=review, criterion=criterion, value=(review.pk * 7 + criterion.pk) % 5 + 1)
        for review in created
        for criterion in criteria
    )
    analyze_tables("review_score", "review_review", "review_assignment", "grants_application")
    sign_in(client, staff)
    url = reverse("staff_ranking", kwargs={"slug": call.slug})

    with django_assert_num_queries(14 + INBOX_COUNT):
        client.get(url)
    with django_assert_num_queries(11 + INBOX_COUNT):
        response = client.get(url)

    assert response.content.decode().count('/jury/">CTF-') >= reviews // 10


def statements(captured) -> list[str]:
    """The SQL a request sends, without the savepoints of the test's own transaction (in
    production a request's transaction has none)."""
    return [
        query["sql"]
        for query in captured
        if not query["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]


@pytest.mark.parametrize("rows", [1, 3])
@pytest.mark.parametrize(
    ("action", "others_in", "queries"),
    [("save", False, 10), ("submit", False, 12), ("submit", True, 14)],
    ids=["save-draft", "submit", "submit-last-review"],
)
def test_a_review_post_makes_a_fixed_number_of_queries(client, rows, action, others_in, queries):
    """Four for the session, the user, the roles and the second factor; the review as its
    author sees it (with the next one to write) and the criteria; then the review in its
    context (the application's row locked when submitting), the permission, the scores in
    one statement, the review's row and the log; a submission asks the rule whether it was
    the application's last review, and the last one moves it to "reviewed" (its row, its
    log)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from grants.models import Application
    from review.models import Review

    jury = make_jury()
    juror = make_juror(jury)
    colleagues = [make_juror(jury) for _ in range(2)]
    reviews = []
    for _ in range(rows):
        application = in_review(jury.call)
        reviews.append(assign(juror, application))
        for colleague in colleagues:
            review = assign(colleague, application)
            if others_in:
                scored(review, [5, 6, 3])
    criteria = list(jury.criteria.order_by("position"))
    ContentType.objects.get_for_models(Review, Application)  # cached in a running server
    sign_in(client, juror)
    data = {
        "version": 1,
        f"score_{criteria[0].pk}": "7",
        f"score_{criteria[1].pk}": "6",
        f"score_{criteria[2].pk}": "na",
        "comment_for_staff": "Solid.",
        "comment_for_applicant": "",
        action: "1",
    }

    with CaptureQueriesContext(connection) as captured:
        response = client.post(reverse("jury_review", kwargs={"pk": reviews[0].pk}), data)

    assert response.status_code == 302
    assert len(statements(captured)) == queries
    reviews[0].refresh_from_db()
    assert reviews[0].state == ("submitted" if action == "submit" else "draft")
    expected = "reviewed" if others_in and action == "submit" else "in_review"
    assert reviews[0].assignment.application.state == expected
    if action == "submit":  # on to the next review still to write, or back to the queue
        assert response["Location"] == (
            reverse("jury_review", kwargs={"pk": reviews[1].pk})
            if rows > 1
            else reverse("jury_queue", kwargs={"slug": jury.call.slug})
        )
