"""The navigation's inbox count reuses its compiled statement (grants/inbox/summary.py) and is
still never stale: the person's own action shows on the next page, as do a setting, the
clock, a new day and other roles; a rule that reads something the reuse does not know about
is caught by the tests' check."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from grants.inbox.registry import Kind, Line, kinds_for
from grants.inbox.summary import navigation_counts, reuse_info
from grants.models import Application, Call
from tests.accounts.helpers import sign_in
from tests.factories import ApplicationFactory, CallFactory, make_grant, make_user
from tests.grants.inbox.test_money_items import released
from tests.grants.inbox.world import _submitted, question

pytestmark = pytest.mark.django_db

# Noon in Berlin, far from midnight: moving a few minutes keeps the day.
NOON = dt.datetime(2026, 6, 10, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def staff():
    return make_user(Role.STAFF, full_name="Sam Staff")


def shown_total(response) -> int:
    """The count the navigation shows (0 when it shows none)."""
    total = response.context["inbox"].total
    html = response.content.decode()
    assert (f'<span class="nav-count">{total}<' in html) is bool(total)
    return total


def test_staff_screen_an_application_and_the_next_page_counts_one_less(client, staff):
    call = CallFactory(state="closed")
    first, second = _submitted(call), _submitted(call)
    sign_in(client, staff)
    before = client.get(reverse("staff_application_detail", args=[second.pk]))
    reused = reuse_info()

    after = client.post(
        reverse("staff_application_screen", kwargs={"pk": first.pk}),
        {"decision": "eligible", "expected_state": "submitted"},
        follow=True,
    )

    first.refresh_from_db()
    assert first.state == "eligible"
    assert after.redirect_chain == [(reverse("staff_application_detail", args=[first.pk]), 302)]
    assert (shown_total(before), shown_total(after)) == (2, 1)
    # The next page ran the kept statement: nothing compiled again.
    assert reuse_info()["misses"] == reused["misses"]
    assert reuse_info()["hits"] == reused["hits"] + 1


def test_an_applicant_submits_a_draft_and_the_next_page_counts_one_less(client):
    draft = ApplicationFactory()
    sign_in(client, draft.owner)
    before = client.get(reverse("applicant_dashboard"))

    after = client.post(
        reverse("application_submit", args=[draft.pk]), {"version": draft.version}, follow=True
    )

    draft.refresh_from_db()
    assert draft.state == "submitted"
    assert before.context["inbox"].counts["drafts_to_submit"] == 1
    assert (shown_total(before), shown_total(after)) == (1, 0)


def test_a_draft_stops_waiting_the_minute_its_call_closes(client):
    with time_machine.travel(NOON, tick=False) as traveller:
        draft = ApplicationFactory()
        Call.objects.filter(pk=draft.call_id).update(closes_at=NOON + dt.timedelta(minutes=30))
        sign_in(client, draft.owner)
        open_call = shown_total(client.get(reverse("applicant_dashboard")))
        reused = reuse_info()
        traveller.shift(dt.timedelta(minutes=29))
        last_minute = shown_total(client.get(reverse("applicant_dashboard")))
        traveller.shift(dt.timedelta(minutes=1))
        closed = shown_total(client.get(reverse("applicant_dashboard")))

    assert (open_call, last_minute, closed) == (1, 1, 0)
    assert reuse_info()["misses"] == reused["misses"]  # the same day: the statement kept


@pytest.mark.parametrize("four_eyes", [True, False])
def test_the_count_follows_the_four_eyes_setting_at_once(client, settings, staff, four_eyes):
    settings.PAYMENTS_FOUR_EYES = not four_eyes
    released(make_grant(), staff)
    sign_in(client, staff)
    before = client.get(reverse("inbox")).context["inbox"].counts["payments_to_transfer"]

    settings.PAYMENTS_FOUR_EYES = four_eyes
    after = client.get(reverse("inbox")).context["inbox"].counts["payments_to_transfer"]

    # With four eyes, the staff member who released the payment may not export it.
    assert (before, after) == ((1, 0) if four_eyes else (0, 1))


@pytest.mark.parametrize(("days", "overdue"), [(0, 0), (1, 1), (2, 1)])
def test_a_question_counts_as_overdue_from_the_next_day(client, staff, days, overdue):
    with time_machine.travel(NOON, tick=False) as traveller:
        question(_submitted(CallFactory(state="closed")), staff, due_in=0)
        sign_in(client, staff)
        on_the_day = client.get(reverse("inbox")).context["inbox"].counts["questions_overdue"]
        traveller.shift(dt.timedelta(days=days))
        sign_in(client, staff)  # the session of two days ago has expired
        later = client.get(reverse("inbox")).context["inbox"].counts["questions_overdue"]

    assert (on_the_day, later) == (0, overdue)


def test_a_new_role_brings_its_kinds_into_the_count(client, staff):
    _submitted(CallFactory(state="closed"))
    ApplicationFactory(owner=staff)
    sign_in(client, staff)
    as_staff = client.get(reverse("inbox")).context["inbox"].counts

    staff.groups.add(Group.objects.get(name=Role.APPLICANT))
    as_both = client.get(reverse("inbox")).context["inbox"].counts

    assert (as_staff["applications_to_screen"], as_staff.get("drafts_to_submit")) == (1, None)
    assert (as_both["applications_to_screen"], as_both["drafts_to_submit"]) == (1, 1)


def test_two_people_never_share_a_statement(staff):
    other = make_user(Role.APPLICANT)
    mine = make_user(Role.APPLICANT)
    ApplicationFactory(owner=mine)
    today = timezone.localdate()

    counted = [
        navigation_counts(person, kinds_for(person), today)["drafts_to_submit"]
        for person in (mine, other, mine, other)
    ]

    assert counted == [1, 0, 1, 0]


# The tests' check of the reuse (INBOX_COUNT_CHECK_REUSE).

wanted = {"state": "submitted"}


def kind(*, reads_clock=False):
    return Kind(
        key="by_state",
        audience=Role.STAFF,
        heading="Applications in a state",
        rows=lambda user, today: Application.objects.filter(state=wanted["state"]),
        line=lambda application, today: Line(title=application.reference, url="/"),
        reads_clock=reads_clock,
    )


def test_a_rule_reading_what_the_reuse_does_not_know_is_caught(staff):
    _submitted(CallFactory(state="closed"))
    kinds = [kind()]
    today = timezone.localdate()
    first = navigation_counts(staff, kinds, today)
    wanted["state"] = "eligible"
    try:
        with pytest.raises(ImproperlyConfigured, match=r"\['by_state'\]"):
            navigation_counts(staff, kinds, today)
    finally:
        wanted["state"] = "submitted"

    assert first == {"by_state": 1}


def test_a_rule_marked_as_reading_the_clock_is_compiled_each_time(staff):
    _submitted(CallFactory(state="closed"))
    kinds = [kind(reads_clock=True)]
    today = timezone.localdate()
    first = navigation_counts(staff, kinds, today)
    wanted["state"] = "eligible"
    try:
        second = navigation_counts(staff, kinds, today)
    finally:
        wanted["state"] = "submitted"

    assert (first, second) == ({"by_state": 1}, {"by_state": 0})
