"""Reminders to jurors whose reviews are overdue. Run once a day (``manage.py
send_review_reminders``, or ``send_review_reminders()`` from another daily command):
a juror is reminded at most once a day per call, however often it runs."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from review.models import Jury, ReviewReminder
from review.queries import overdue_reviews
from workflow.notifications import notify


def send_review_reminders(*, today: dt.date | None = None) -> int:
    """E-mail every juror with overdue reviews once today; returns how many were sent."""
    today = today or timezone.localdate()
    counts = (
        overdue_reviews(today)
        .values("assignment__juror_id", "assignment__application__call__jury")
        .annotate(open=Count("pk"))
        .order_by("assignment__application__call__jury", "assignment__juror_id")
    )
    sent = 0
    juries = {}
    for row in counts:
        jury_id, juror_id = row["assignment__application__call__jury"], row["assignment__juror_id"]
        if jury_id not in juries:
            juries[jury_id] = Jury.objects.select_related("call").get(pk=jury_id)
        jury = juries[jury_id]
        try:
            with transaction.atomic():
                reminder = ReviewReminder.objects.create(
                    juror_id=juror_id, jury=jury, sent_on=today, open_reviews=row["open"]
                )
                notify(
                    to=reminder.juror,
                    template="jury_reminder",
                    context={
                        "call": jury.call,
                        "count": row["open"],
                        "due_on": jury.due_on,
                    },
                )
        except IntegrityError:
            continue  # reminded today already
        sent += 1
    return sent
