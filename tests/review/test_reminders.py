"""Reminders of overdue reviews: once a day per juror and call, only about their own open
reviews, however often the daily job runs."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from review.models import ReviewReminder
from review.services.reminders import send_review_reminders
from review.states import JuryPhase
from tests.review.helpers import assign, in_review, make_juror, make_jury, scored

pytestmark = pytest.mark.django_db


@pytest.fixture
def overdue():
    today = timezone.localdate()
    jury = make_jury(due_on=today - dt.timedelta(days=1))
    late, done, free = make_juror(jury), make_juror(jury), make_juror(jury)
    applications = [in_review(jury.call) for _ in range(3)]
    for application in applications[:2]:
        assign(late, application)
    scored(assign(done, applications[0]), [5, 5, 3])
    assign(free, applications[2], released=True)  # taken off: not reminded
    return jury, late, today


def test_jurors_with_overdue_reviews_are_reminded_once_a_day(
    overdue, mailoutbox, django_capture_on_commit_callbacks
):
    jury, late, today = overdue

    with django_capture_on_commit_callbacks(execute=True):
        first = send_review_reminders(today=today)
        again = send_review_reminders(today=today)

    assert (first, again) == (1, 0)
    assert [m.to for m in mailoutbox] == [[late.email]]
    assert (
        mailoutbox[0].subject == f"[Civic Tech Fund] Reminder: reviews overdue in {jury.call.title}"
    )
    assert f"Your reviews in {jury.call.title} still open: 2." in mailoutbox[0].body
    assert "because you are, or are invited to be, a juror of the" in mailoutbox[0].body
    assert list(ReviewReminder.objects.values_list("juror_id", "sent_on", "open_reviews")) == [
        (late.pk, today, 2)
    ]

    with django_capture_on_commit_callbacks(execute=True):
        assert send_review_reminders(today=today + dt.timedelta(days=1)) == 1
    assert len(mailoutbox) == 2


def test_a_juror_reminded_today_already_does_not_stop_the_others(overdue, mailoutbox):
    jury, late, today = overdue
    later = make_juror(jury)  # reminded after ``late``: the rows go by juror
    assign(later, in_review(jury.call))
    ReviewReminder.objects.create(juror=late, jury=jury, sent_on=today, open_reviews=2)

    assert send_review_reminders(today=today) == 1

    assert list(
        ReviewReminder.objects.order_by("juror_id").values_list("juror_id", "open_reviews")
    ) == [
        (late.pk, 2),
        (later.pk, 1),
    ]


@pytest.mark.parametrize("case", ["not_due", "closed", "preparation"])
def test_no_reminder_before_the_due_date_or_outside_scoring(overdue, case):
    jury, _late, today = overdue
    if case == "not_due":
        type(jury).objects.filter(pk=jury.pk).update(due_on=today)
    else:
        type(jury).objects.filter(pk=jury.pk).update(
            phase=JuryPhase.CLOSED if case == "closed" else JuryPhase.PREPARATION
        )

    assert send_review_reminders(today=today) == 0


def test_the_daily_command(overdue):
    out = io.StringIO()

    call_command("send_review_reminders", stdout=out)
    call_command("send_review_reminders", stdout=out)

    assert out.getvalue() == "Review reminders sent: 1.\nReview reminders sent: 0.\n"
