"""The staff inbox: every kind of work with its line, age and link; the filters by call and
"mine"; a staff member who is a conflicted juror never sees the items of that application;
one page with 1 and with 3 items of every kind costs the same queries."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from grants.inbox.services import take_over
from review.states import ConflictStatus
from tests.accounts.helpers import INBOX_COUNT, sign_in
from tests.factories import CallFactory, make_user
from tests.grants.inbox.helpers import get_inbox, inbox_counts, inbox_lines
from tests.grants.inbox.world import staff_world
from tests.review.helpers import conflict

pytestmark = pytest.mark.django_db

STAFF_KINDS = [
    "staff_unread_messages",
    "applications_to_screen",
    "answers_received",
    "questions_overdue",
    "reviews_missing",
    "agreements_to_prepare",
    "agreements_to_send",
    "agreements_unsigned",
    "milestone_reports_to_check",
    "change_requests",
    "accounts_to_confirm",
    "payments_to_transfer",
    "batches_to_mark_paid",
    "final_reports_to_check",
    "final_reports_due",
    "milestone_reports_overdue",
]


@pytest.fixture
def staff():
    return make_user(Role.STAFF, full_name="Sam Staff")


def title(application):
    return f"{application.reference} {application.title}"


def test_every_kind_of_staff_work_is_listed_in_order(client, staff):
    staff_world(staff)
    sign_in(client, staff)

    response = get_inbox(client)

    assert response.status_code == 200
    counts = inbox_counts(response)
    assert list(counts) == STAFF_KINDS
    # The application with a message from its applicant is also still to be screened.
    assert counts == {key: 2 if key == "applications_to_screen" else 1 for key in STAFF_KINDS}
    assert response.context["total"] == 17


def test_each_line_links_to_where_the_work_is_done(client, staff):
    world = staff_world(staff)
    items = world.items
    sign_in(client, staff)

    lines = inbox_lines(get_inbox(client))

    screened = items["applications_to_screen"][0]
    assert (
        title(screened),
        reverse("staff_application_detail", args=[screened.pk]) + "#screening",
        "waiting for 3 days",
    ) in lines["applications_to_screen"]
    answered = items["answers_received"][0]
    assert lines["answers_received"] == [
        (
            title(answered),
            reverse("staff_application_detail", args=[answered.pk]) + "#questions",
            "waiting for 1 day",
        )
    ]
    late = items["questions_overdue"][0]
    assert lines["questions_overdue"] == [
        (
            title(late),
            reverse("staff_application_detail", args=[late.pk]) + "#questions",
            "2 days overdue",
        )
    ]
    jury = items["reviews_missing"][0]
    assert lines["reviews_missing"] == [
        (jury.call.title, reverse("staff_assignment", args=[jury.call.slug]), "due in 14 days")
    ]
    unsigned = items["agreements_unsigned"][0]
    assert lines["agreements_unsigned"] == [
        (
            f"{unsigned.funding_reference} {unsigned.application.title}",
            reverse("staff_grant", args=[unsigned.pk]),
            "waiting for 20 days",
        )
    ]
    milestone = items["milestone_reports_to_check"][0]
    assert lines["milestone_reports_to_check"] == [
        (
            f"{milestone.grant.funding_reference} {milestone.grant.application.title} – "
            f"{milestone}",
            reverse("staff_milestone", args=[milestone.pk]),
            "since today",
        )
    ]
    change = items["change_requests"][0]
    assert lines["change_requests"][0][1] == reverse("staff_grant", args=[change.grant_id]) + (
        "#changes"
    )
    assert lines["payments_to_transfer"][0][1] == reverse("staff_finance") + "#transfer-heading"
    batch = items["batches_to_mark_paid"][0]
    assert lines["batches_to_mark_paid"] == [
        (batch.file_name, reverse("staff_sepa_batch", args=[batch.pk]), "since today")
    ]
    checked = items["accounts_to_confirm"][0]
    assert lines["accounts_to_confirm"][0][1] == reverse(
        "staff_bank_details", args=[checked.grant_id]
    )
    checking = items["final_reports_to_check"][0]
    assert lines["final_reports_to_check"][0][1] == reverse(
        "staff_final_report", args=[checking.pk]
    )
    overdue = items["milestone_reports_overdue"][0]
    assert lines["milestone_reports_overdue"][0][1:] == (
        reverse("staff_grant", args=[overdue.grant_id]),
        f"{(timezone.localdate() - overdue.due_on).days} days overdue",
    )
    talking = items["staff_unread_messages"][0]
    assert lines["staff_unread_messages"] == [
        (title(talking), reverse("conversation", args=[talking.pk]), "since today")
    ]


def test_an_agreement_to_prepare_has_its_button_on_the_line(client, staff):
    world = staff_world(staff)
    approved = world.items["agreements_to_prepare"][0]
    sign_in(client, staff)

    html = get_inbox(client).content.decode()

    action = reverse("staff_agreement_prepare", args=[approved.pk])
    assert f'<form method="post" action="{action}" class="inline-form">' in html


def test_the_agreement_unsigned_line_waits_for_the_setting(client, staff, settings):
    world = staff_world(staff)
    unsigned = world.items["agreements_unsigned"][0]
    sign_in(client, staff)

    settings.AGREEMENT_UNSIGNED_AFTER_DAYS = 21
    later = inbox_counts(get_inbox(client))
    settings.AGREEMENT_UNSIGNED_AFTER_DAYS = 20
    on_the_day = inbox_counts(get_inbox(client))

    assert unsigned.offered_at is not None
    assert "agreements_unsigned" not in later
    assert on_the_day["agreements_unsigned"] == 1


def test_the_call_filter_keeps_one_call(client, staff):
    world = staff_world(staff)
    other = staff_world(staff)
    sign_in(client, staff)

    filtered = get_inbox(client, call=other.call.slug)

    lines = inbox_lines(filtered)
    screened = {row[0] for row in lines["applications_to_screen"]}
    assert screened == {title(a) for a in other.items["applications_to_screen"]} | {
        title(other.items["staff_unread_messages"][0])
    }
    assert title(world.items["applications_to_screen"][0]) not in screened
    # The jury's call is a call of its own, and a transfer file belongs to no call.
    assert "reviews_missing" not in lines
    assert "batches_to_mark_paid" not in lines
    assert filtered.context["total"] == 15


def test_an_unknown_call_is_ignored(client, staff):
    staff_world(staff)
    sign_in(client, staff)

    response = get_inbox(client, call="no-such-call")

    assert response.status_code == 200
    assert response.context["total"] == 17


def test_mine_shows_only_what_the_staff_member_took_over(client, staff):
    world = staff_world(staff)
    colleague = make_user(Role.STAFF, full_name="Mara Klein")
    mine = world.items["applications_to_screen"][0]
    milestone = world.items["milestone_reports_to_check"][0]
    take_over(subject=mine, actor=staff)
    take_over(subject=milestone, actor=staff)
    take_over(subject=world.items["change_requests"][0], actor=colleague)
    sign_in(client, staff)

    response = get_inbox(client, mine="on")

    assert inbox_lines(response) == {
        "applications_to_screen": [
            (
                title(mine),
                reverse("staff_application_detail", args=[mine.pk]) + "#screening",
                "waiting for 3 days",
            )
        ],
        "milestone_reports_to_check": [
            (
                f"{milestone.grant.funding_reference} {milestone.grant.application.title} – "
                f"{milestone}",
                reverse("staff_milestone", args=[milestone.pk]),
                "since today",
            )
        ],
    }
    assert response.context["total"] == 2


def test_lines_say_who_took_them_over(client, staff):
    world = staff_world(staff)
    colleague = make_user(Role.STAFF, full_name="Mara Klein")
    take_over(subject=world.items["applications_to_screen"][0], actor=colleague)
    take_over(subject=world.items["answers_received"][0], actor=staff)
    sign_in(client, staff)

    html = get_inbox(client).content.decode()

    assert html.count("taken over by Mara Klein") == 1
    assert html.count("taken over by you") == 1
    assert html.count('name="action" value="release"') == 1


def test_a_conflicted_staff_juror_never_sees_the_items_of_that_application(client):
    reader = make_user(Role.STAFF, Role.JUROR, full_name="Jo Both")
    world = staff_world(reader)
    hidden = world.items["applications_to_screen"][0]
    hidden_grant = world.items["milestone_reports_to_check"][0].grant.application
    talking = world.items["staff_unread_messages"][0]
    conflict(reader, hidden)
    conflict(reader, hidden_grant, status=ConflictStatus.SUGGESTED)
    conflict(reader, talking)
    jury = world.items["reviews_missing"][0]
    conflict(reader, jury.call.applications.get())
    sign_in(client, reader)

    response = get_inbox(client)

    lines = inbox_lines(response)
    shown = {row[0] for rows in lines.values() for row in rows}
    assert title(hidden) not in shown
    assert title(talking) not in shown
    assert not any(hidden_grant.title in row for row in shown)
    assert "milestone_reports_to_check" not in lines
    assert "change_requests" not in lines  # the same grant
    assert "staff_unread_messages" not in lines
    assert "reviews_missing" not in lines
    assert response.context["total"] == 17 - 6


def test_more_lines_than_shown_link_to_the_full_list(client, staff):
    call = CallFactory()
    from tests.grants.inbox.world import _submitted

    for _ in range(21):
        _submitted(call)
    sign_in(client, staff)

    everything = get_inbox(client)
    one_call = get_inbox(client, call=call.slug)

    assert len(inbox_lines(everything)["applications_to_screen"]) == 20
    assert "and 1 more: filter by call to see others" in everything.content.decode()
    all_url = reverse("staff_application_list", args=[call.slug]) + "?state=submitted"
    assert f'<a href="{all_url}">All 21' in one_call.content.decode()


@pytest.mark.parametrize("per_kind", [1, 3])
def test_the_inbox_costs_the_same_with_1_and_3_items_of_every_kind(
    client, staff, django_assert_num_queries, per_kind
):
    staff_world(staff, per_kind=per_kind)
    sign_in(client, staff)

    # Session, user, groups, the second-factor gate; the calls of the filter; the counts of
    # every kind in one statement (shared with the navigation); the lines of each of the
    # 16 kinds that has any.
    with django_assert_num_queries(4 + 1 + INBOX_COUNT + 16):
        response = get_inbox(client)

    # The missing reviews are one line per call.
    assert sum(inbox_counts(response).values()) == 16 * per_kind + 1


@pytest.mark.parametrize("per_kind", [1, 3])
def test_a_filtered_inbox_costs_two_queries_more(
    client, staff, django_assert_num_queries, per_kind
):
    world = staff_world(staff, per_kind=per_kind)
    sign_in(client, staff)

    # … plus the chosen call and the counts with the filter; the lines of 14 kinds (the
    # jury's call is another, the transfer files belong to none).
    with django_assert_num_queries(4 + 1 + INBOX_COUNT + 14 + 2):
        response = get_inbox(client, call=world.call.slug)

    assert sum(inbox_counts(response).values()) == 15 * per_kind


def test_nothing_waiting_is_said_plainly(client, staff):
    sign_in(client, staff)

    response = get_inbox(client)

    assert response.context["total"] == 0
    assert "Nothing waits for you here. Well done!" in response.content.decode()
