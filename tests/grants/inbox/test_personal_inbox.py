"""The inboxes of jurors (reviews to write, suggested conflicts) and of applicants and
grantees (questions, drafts, agreements, reports, new messages); team members see the new
messages of the applications they are on, with a verified address only."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts.roles import Role
from grants.models import TeamMember
from review.models import Review
from tests.accounts.helpers import INBOX_COUNT, sign_in
from tests.factories import CallFactory, make_user
from tests.grants.inbox.helpers import get_inbox, inbox_counts, inbox_lines
from tests.grants.inbox.world import (
    _submitted,
    applicant_world,
    juror_world,
    message,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return make_user(Role.STAFF, full_name="Sam Staff")


def test_a_juror_sees_the_reviews_to_write_and_the_conflicts_to_answer(client):
    world = juror_world()
    review = world.reviews[0]
    sign_in(client, world.juror)

    response = get_inbox(client)

    jury = review.assignment.application.call.jury
    assert inbox_lines(response) == {
        "conflicts_to_confirm": [
            (jury.call.title, reverse("jury_conflicts", args=[jury.call.slug]), "since today")
        ],
        "reviews_to_write": [
            (
                review.assignment.application.reference,
                reverse("jury_review", args=[review.pk]),
                "due in 14 days",
            )
        ],
    }
    html = response.content.decode()
    assert "Not started" in html


def test_a_saved_draft_and_an_overdue_review_are_labelled(client):
    world = juror_world()
    review = world.reviews[0]
    Review.objects.filter(pk=review.pk).update(version=2)
    jury = review.assignment.application.call.jury
    type(jury).objects.filter(pk=jury.pk).update(due_on=jury.due_on.replace(year=2025))
    sign_in(client, world.juror)

    response = get_inbox(client)

    [(_title, _url, age)] = inbox_lines(response)["reviews_to_write"]
    assert age.endswith("days overdue")
    assert "Draft saved" in response.content.decode()


def test_a_submitted_review_is_no_longer_listed(client):
    world = juror_world()
    Review.objects.filter(pk=world.reviews[0].pk).update(state="submitted")
    sign_in(client, world.juror)

    assert "reviews_to_write" not in inbox_counts(get_inbox(client))


def test_an_applicant_sees_what_they_owe(client, staff):
    owner = make_user(Role.APPLICANT, full_name="Ada Owner")
    items = applicant_world(owner, staff)
    sign_in(client, owner)

    response = get_inbox(client)

    lines = inbox_lines(response)
    assert list(lines) == [
        "team_unread_messages",
        "questions_to_answer",
        "agreements_to_sign",
        "milestone_reports_due",
        "final_reports_to_write",
        "drafts_to_submit",
    ]
    asked = items["questions_to_answer"][0]
    assert lines["questions_to_answer"] == [
        (
            f"{asked.reference} {asked.title}",
            reverse("application_answer", args=[asked.pk]),
            "due in 14 days",
        )
    ]
    agreement = items["agreements_to_sign"][0]
    assert lines["agreements_to_sign"][0][1] == reverse("grantee_agreement", args=[agreement.pk])
    milestone = items["milestone_reports_due"][0]
    assert lines["milestone_reports_due"][0][1] == reverse(
        "grantee_milestone_report", args=[milestone.pk]
    )
    final = items["final_reports_to_write"][0]
    assert lines["final_reports_to_write"][0][1] == reverse("grantee_final_report", args=[final.pk])
    draft = items["drafts_to_submit"][0]
    assert lines["drafts_to_submit"] == [
        (
            f"{draft.reference} {draft.title}",
            reverse("application_edit", args=[draft.pk]),
            "due in 10 days",
        )
    ]
    talking = items["team_unread_messages"][0]
    assert lines["team_unread_messages"] == [
        (
            f"{talking.reference} {talking.title}",
            reverse("conversation", args=[talking.pk]),
            "since today",
        )
    ]
    assert "staff" not in {part["audience"] for part in response.context["parts"]}


def test_another_applicant_sees_nothing_of_it(client, staff):
    applicant_world(make_user(Role.APPLICANT), staff)
    other = make_user(Role.APPLICANT)
    sign_in(client, other)

    response = get_inbox(client)

    assert response.context["total"] == 0


def test_a_verified_team_member_sees_new_messages_but_owes_nothing(client, staff):
    owner = make_user(Role.APPLICANT)
    applicant_world(owner, staff)
    talking = _submitted(CallFactory(), owner)
    member = make_user(Role.APPLICANT, email="mate@example.org")
    TeamMember.objects.create(application=talking, email="Mate@Example.org", name="Mia Mate")
    message(talking, staff, "Please all read this.", from_staff=True)
    sign_in(client, member)

    response = get_inbox(client)

    assert inbox_lines(response) == {
        "team_unread_messages": [
            (
                f"{talking.reference} {talking.title}",
                reverse("conversation", args=[talking.pk]),
                "since today",
            )
        ]
    }


def test_an_unverified_team_member_sees_nothing(client, staff):
    owner = make_user(Role.APPLICANT)
    talking = _submitted(CallFactory(), owner)
    member = make_user(Role.APPLICANT, email="mate@example.org")
    EmailAddress.objects.filter(user=member).update(verified=False)
    TeamMember.objects.create(application=talking, email="mate@example.org", name="Mia Mate")
    message(talking, staff, "Please all read this.", from_staff=True)
    sign_in(client, member)

    assert get_inbox(client).context["total"] == 0


def test_the_applicants_own_messages_and_read_ones_do_not_count(client, staff):
    owner = make_user(Role.APPLICANT)
    talking = _submitted(CallFactory(), owner)
    message(talking, owner, "We have a question.")
    sign_in(client, owner)

    assert get_inbox(client).context["total"] == 0
    message(talking, staff, "Here is the answer.", from_staff=True)
    assert get_inbox(client).context["total"] == 1
    client.get(reverse("conversation", args=[talking.pk]))
    assert get_inbox(client).context["total"] == 0


@pytest.mark.parametrize("per_kind", [1, 3])
def test_the_applicants_inbox_costs_the_same_with_1_and_3_items(
    client, staff, django_assert_num_queries, per_kind
):
    owner = make_user(Role.APPLICANT)
    applicant_world(owner, staff, per_kind=per_kind)
    sign_in(client, owner)

    # Session, user, groups; the counts (shared with the navigation); the lines of the six
    # kinds; the announcements to the applicant.
    with django_assert_num_queries(3 + INBOX_COUNT + 6 + 1):
        response = get_inbox(client)

    assert response.context["total"] == 6 * per_kind


@pytest.mark.parametrize("per_kind", [1, 3])
def test_the_jurors_inbox_costs_the_same_with_1_and_3_items(
    client, django_assert_num_queries, per_kind
):
    world = juror_world(per_kind=per_kind)
    sign_in(client, world.juror)

    # Session, user, groups, the second-factor gate; the counts; the lines of the two kinds.
    with django_assert_num_queries(4 + INBOX_COUNT + 2):
        response = get_inbox(client)

    assert response.context["total"] == 2 * per_kind


def _navigation(response) -> list[tuple[str, str, bool]]:
    """The main navigation's links: text, address, whether it is the current page."""
    page = response.content.decode()
    nav = page[page.index('<nav class="main-nav"') : page.index("</nav>")]
    return [
        (re.sub(r"<[^>]+>", "", text).strip(), href, bool(current))
        for href, current, text in re.findall(
            r'<a href="([^"]+)"( aria-current="page")?>(.*?)</a>', nav, re.S
        )
    ]


def test_a_grantee_has_my_grants_in_the_navigation(client, staff):
    owner = make_user(Role.APPLICANT)
    applicant_world(owner, staff)
    sign_in(client, owner)

    response = client.get(reverse("grantee_dashboard"))

    links = _navigation(response)
    assert ("My grants", reverse("grantee_dashboard"), True) in links
    names = [text for text, _href, _current in links]
    assert names.index("My grants") == names.index("My applications") + 1


def test_an_applicant_without_a_grant_has_no_my_grants(client, staff):
    applicant_world(make_user(Role.APPLICANT), staff)
    other = make_user(Role.APPLICANT)
    sign_in(client, other)

    response = get_inbox(client)

    assert [text for text, _href, _current in _navigation(response)] == [
        "To do",
        "My applications",
        "Account",
    ]
