"""The reporting part of the demo: the ministry viewer subscribed to the quarterly report
long ago and received the report on the last quarter when it ended (one PDF: rendering is
the slow part of seeding). Told through the services on the shared timeline
(demo/timeline.py), so the report shows what was known then."""

import contextlib
import datetime as dt

from django.utils import timezone

from core.errors import WorkflowError
from demo.accounts import DEMO_DOMAIN
from demo.grants.plans import DAY, HOUR, MINUTE
from grants.contracts.services.drawdowns import make_drawdown
from grants.money import add_months
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
    # Staff ask the ministry for the money at the start of last month and of this month.
    staff = users[f"staff@{DEMO_DOMAIN}"]
    this_month = today.replace(day=1)
    for first in (add_months(this_month, -1), this_month):
        last = add_months(first, 1) - DAY
        moment = min(_at(first, 9, 15), latest)
        if moment > past.plan.decided_at:
            timeline.at(moment, _drawdown, staff, first, last)


def _drawdown(staff, first: dt.date, last: dt.date) -> None:
    """Nothing is requested twice: a month whose milestones are all requested is skipped."""
    with contextlib.suppress(WorkflowError):
        make_drawdown(actor=staff, period_start=first, period_end=last, language="de")
