"""One definition of each waiting rule: the inbox, the reminders and the pages agree, on
the day before, on and after each date (today in Berlin)."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from accounts.roles import Role
from grants.contracts import queries as contract_queries
from grants.inbox.registry import count, kinds_for
from grants.models import Grant, InformationRequest
from grants.queries import overdue_questions
from grants.services.reminders import overdue_items
from review.queries import overdue_reviews
from tests.factories import ApplicationFactory, CallFactory, make_grant, make_user, set_state
from tests.grants.inbox.world import _submitted, juror_world, question

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


@pytest.fixture
def staff():
    return make_user(Role.STAFF, full_name="Sam Staff")


def counts(user):
    return count(user, kinds_for(user), timezone.localdate())


@pytest.mark.parametrize(("due_in", "overdue"), [(-1, True), (0, False), (1, False)])
def test_a_question_is_overdue_the_day_after_its_due_date(staff, due_in, overdue):
    application = _submitted(CallFactory())
    request = question(application, staff, due_in=due_in)
    today = timezone.localdate()

    reminded = [item.subject for item in overdue_items(today, viewer=staff)]
    listed = list(overdue_questions(viewer=staff, today=today))

    assert (request in reminded) is overdue
    assert (request in listed) is overdue
    assert counts(staff).get("questions_overdue", 0) == int(overdue)


def test_a_question_of_a_withdrawn_application_waits_for_nobody(staff):
    application = _submitted(CallFactory())
    question(application, staff, due_in=-3)
    type(application).objects.filter(pk=application.pk).update(state="withdrawn")

    assert overdue_items(viewer=staff) == []
    assert counts(staff)["questions_overdue"] == 0
    assert counts(application.owner)["questions_to_answer"] == 0


@pytest.mark.parametrize(("days_ago", "listed"), [(13, False), (14, True), (15, True)])
def test_an_unsigned_agreement_is_listed_after_the_setting(staff, settings, days_ago, listed):
    settings.AGREEMENT_UNSIGNED_AFTER_DAYS = 14
    grant = make_grant(ApplicationFactory(), state="approved")
    Grant.objects.filter(pk=grant.pk).update(
        offered_at=timezone.now() - dt.timedelta(days=days_ago, minutes=1)
    )
    grant.refresh_from_db()

    unsigned = list(contract_queries.agreements_unsigned(viewer=staff, days=14))

    assert (grant in unsigned) is listed
    assert counts(staff)["agreements_unsigned"] == int(listed)


def test_a_signed_or_declined_agreement_is_not_unsigned(staff):
    signed = make_grant(ApplicationFactory())
    declined = make_grant(ApplicationFactory(), state="approved")
    Grant.objects.filter(pk__in=[signed.pk, declined.pk]).update(
        offered_at=timezone.now() - 30 * DAY
    )
    Grant.objects.filter(pk=declined.pk).update(declined_at=timezone.now())

    assert list(contract_queries.agreements_unsigned(viewer=staff, days=14)) == []


@pytest.mark.parametrize(("due_in", "overdue"), [(-1, True), (0, False), (1, False)])
def test_a_milestone_report_is_overdue_the_day_after(staff, due_in, overdue):
    grant = make_grant(ApplicationFactory())
    milestone = grant.milestones.first()
    type(milestone).objects.filter(pk=milestone.pk).update(
        due_on=timezone.localdate() + dt.timedelta(days=due_in)
    )

    reminded = [item.subject.pk for item in overdue_items(viewer=staff) if item.what == "milestone"]
    listed = [m.pk for m in contract_queries.milestone_reports_overdue(viewer=staff)]

    assert (milestone.pk in reminded) is overdue
    assert (milestone.pk in listed) is overdue
    assert counts(staff).get("milestone_reports_overdue", 0) == int(overdue)
    milestone.refresh_from_db()
    assert milestone.is_overdue() is overdue  # the pages' badge follows the same rule


@pytest.mark.parametrize("state", ["changes_requested", "report_submitted", "accepted", "paid"])
def test_only_a_milestone_awaiting_its_report_is_overdue(state):
    milestone = make_grant(ApplicationFactory()).milestones.first()
    set_state(milestone, state)
    milestone.refresh_from_db()
    day_after = milestone.due_on + dt.timedelta(days=1)

    assert milestone.is_overdue(today=day_after) is (state == "changes_requested")
    assert milestone.is_overdue(today=milestone.due_on) is False


def test_the_staff_overdue_page_and_the_inbox_list_the_same_reports(staff):
    late = make_grant(ApplicationFactory(), starts_on=timezone.localdate() - 100 * DAY)
    make_grant(ApplicationFactory())  # nothing late

    reminded = sorted(item.subject.pk for item in overdue_items(viewer=staff))
    listed = sorted(m.pk for m in contract_queries.milestone_reports_overdue(viewer=staff))

    assert listed == reminded
    assert listed == sorted(m.pk for m in late.milestones.filter(due_on__lt=timezone.localdate()))


def test_a_grantee_owes_a_report_within_the_reminders_lead_time(staff):
    owner = make_user(Role.APPLICANT)
    grant = make_grant(ApplicationFactory(owner=owner))
    first, second, third = grant.milestones.order_by("position")
    today = timezone.localdate()
    type(first).objects.filter(pk=first.pk).update(due_on=today + 7 * DAY)
    type(second).objects.filter(pk=second.pk).update(due_on=today + 8 * DAY)
    type(third).objects.filter(pk=third.pk).update(
        due_on=today + 60 * DAY, state="changes_requested"
    )

    owed = [m.pk for m in contract_queries.milestone_reports_due(owner)]

    # Due in 7 days (the reminder goes out) and changes requested; not due in 8 days.
    assert owed == [first.pk, third.pk]


def test_the_juror_inbox_and_the_review_reminders_agree_on_overdue_reviews():
    world = juror_world()
    review = world.reviews[0]
    jury = review.assignment.application.call.jury
    type(jury).objects.filter(pk=jury.pk).update(due_on=timezone.localdate() - DAY)

    assert list(overdue_reviews(timezone.localdate())) == [review]
    assert counts(world.juror)["reviews_to_write"] == 1


def test_today_is_the_date_in_berlin(staff):
    application = _submitted(CallFactory())
    request = question(application, staff, due_in=0)
    InformationRequest.objects.filter(pk=request.pk).update(due_on=dt.date(2026, 3, 10))

    # 23:30 UTC on 10 March is 00:30 on 11 March in Berlin: the question is overdue there.
    with time_machine.travel(dt.datetime(2026, 3, 10, 23, 30, tzinfo=dt.UTC), tick=False):
        assert counts(staff)["questions_overdue"] == 1
    with time_machine.travel(dt.datetime(2026, 3, 10, 22, 30, tzinfo=dt.UTC), tick=False):
        assert counts(staff)["questions_overdue"] == 0
