"""The jury's pages after the walk-through of issue 20: after submitting, the juror goes on
to the next review still to do; the conflict form preselects no kind; staff see which
applications still lack jurors, and how to put applications into review. (The conflict
list's search and the count of criteria still to score came with issue 17: see
test_juror_pages.py and tests/e2e/test_jury.py.)"""

import pytest
from django.urls import reverse

from accounts.roles import Role
from grants.states import ApplicationState, CallState
from review.models import ConflictOfInterest
from review.states import ReviewState
from tests.accounts.helpers import sign_in
from tests.factories import CallFactory, make_user
from tests.review.helpers import assign, in_review, make_juror, make_jury, scored

pytestmark = pytest.mark.django_db


@pytest.fixture
def jury():
    return make_jury()


@pytest.fixture
def juror(jury):
    return make_juror(jury, full_name="Jana Juror")


def _full_scores(review, version):
    criteria = list(review.assignment.application.call.jury.criteria.order_by("position"))
    return {
        "version": str(version),
        **{f"score_{criterion.pk}": "4" for criterion in criteria},
        "comment_for_staff": "",
        "comment_for_applicant": "",
        "submit": "",
    }


@pytest.mark.parametrize("wraps", [False, True])
def test_after_submitting_the_juror_goes_on_to_the_next_review_still_to_do(
    client, jury, juror, wraps
):
    applications = [in_review(jury.call) for _ in range(4)]
    reviews = [assign(juror, application) for application in applications]
    scored(reviews[1], [5, 5, 3])  # submitted already: skipped
    if wraps:
        scored(reviews[3], [5, 5, 3])
    sign_in(client, juror)
    current = reviews[2] if wraps else reviews[0]

    response = client.post(
        reverse("jury_review", kwargs={"pk": current.pk}), _full_scores(current, 1)
    )

    expected = reviews[0] if wraps else reviews[2]
    current.refresh_from_db()
    assert current.state == ReviewState.SUBMITTED
    assert response["Location"] == reverse("jury_review", kwargs={"pk": expected.pk})


def test_when_every_review_is_in_the_juror_goes_back_to_the_list(client, jury, juror):
    first, last = (assign(juror, in_review(jury.call)) for _ in range(2))
    scored(first, [5, 5, 3])
    sign_in(client, juror)

    response = client.post(reverse("jury_review", kwargs={"pk": last.pk}), _full_scores(last, 1))

    assert response["Location"] == reverse("jury_queue", kwargs={"slug": jury.call.slug})


def test_the_conflict_form_preselects_no_kind(client, jury, juror):
    application = in_review(jury.call)
    sign_in(client, juror)
    url = reverse("jury_conflicts", kwargs={"slug": jury.call.slug})

    page = client.get(url).content.decode()
    response = client.post(
        reverse("jury_conflict_declare", kwargs={"slug": jury.call.slug}),
        {"application": str(application.pk), "kind": "", "note": ""},
    )

    assert '<option value="" selected>Choose the kind of conflict</option>' in page
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not ConflictOfInterest.objects.exists()


def test_staff_see_which_applications_still_lack_jurors(client, jury, juror):
    staff = make_user(Role.STAFF)
    short = in_review(jury.call)
    full = in_review(jury.call)
    for _ in range(jury.reviews_per_application):
        assign(make_juror(jury), full)
    sign_in(client, staff)

    page = client.get(reverse("staff_assignment", kwargs={"slug": jury.call.slug})).content.decode()

    link = reverse("staff_application_jury", kwargs={"pk": short.pk})
    missing = jury.reviews_per_application
    assert f'<a href="{link}" class="nowrap">{short.reference}</a>' in page
    assert f"({missing} jurors missing)" in page
    assert page.count('class="nowrap">CTF-') == 1


def test_before_the_review_staff_are_sent_to_start_it_on_the_call(client):
    jury = make_jury(CallFactory(state=CallState.CLOSED))
    in_review(jury.call, state=ApplicationState.ELIGIBLE)
    staff = make_user(Role.STAFF)
    sign_in(client, staff)

    page = client.get(reverse("staff_assignment", kwargs={"slug": jury.call.slug})).content.decode()

    assert "No application is in review yet." in page
    assert f'href="{reverse("staff_call_edit", kwargs={"slug": jury.call.slug})}"' in page
    assert "Start the review of the call: it moves its eligible applications into review." in page
