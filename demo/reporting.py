"""The reporting part of the demo: the ministry viewer subscribed to the quarterly report
long ago and received the report on the last quarter when it ended (one PDF: rendering is
the slow part of seeding). Told through the services on the shared timeline
(demo/timeline.py), so the report shows what was known then."""

import datetime as dt

from django.utils import timezone

from demo.accounts import DEMO_DOMAIN
from demo.grants.plans import DAY, HOUR, MINUTE
from reporting.periods import last_finished_quarter
from reporting.services.subscriptions import send_quarterly_reports, subscribe


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def plan_reports(timeline, *, stories, users) -> None:
    """Nothing when the calls existed already (a second seed changes nothing)."""
    past = next((story for story in stories if story.plan.kind == "past"), None)
    if past is None:
        return
    ministry = users[f"ministry@{DEMO_DOMAIN}"]
    latest = timezone.now() - MINUTE
    today = timezone.localdate()
    quarter = last_finished_quarter(today)
    timeline.at(past.plan.decided_at + 30 * DAY + 2 * HOUR, subscribe, user=ministry, language="de")
    # The daily job on the first day after the quarter ended.
    sent_at = min(_at(quarter.end + DAY, 6, 30), latest)
    timeline.at(sent_at, send_quarterly_reports, today=timezone.localdate(sent_at))
