"""A grantee's due dates as an iCalendar feed (RFC 5545, written with ``icalendar``):
milestone reports, final reports and open questions from staff, as all-day events."""

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from core.identity import file_stem, fund_name
from grants.models import Grant, InformationRequest, Milestone
from grants.states import (
    ApplicationState,
    ApplicationStateGroup,
    FinalReportState,
    MilestoneStateGroup,
)


def _event(*, uid: str, day: dt.date, summary: str, path: str, stamp: dt.datetime) -> Event:
    event = Event()
    event.add("uid", f"{uid}@{file_stem()}")
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("summary", summary)
    event.add("url", settings.SITE_URL + path)
    event.add("transp", "TRANSPARENT")
    return event


def due_dates(user) -> list[dict]:
    """What ``user`` owes and by when: three queries, however many grants they have."""
    rows = []
    for milestone in Milestone.objects.filter(
        grant__application__owner=user,
        grant__application__state__in=(ApplicationState.FUNDED, ApplicationState.FINAL_REPORT_DUE),
        state__in=MilestoneStateGroup.AWAITING_REPORT,
    ).select_related("grant"):
        rows.append(
            {
                "uid": f"milestone-{milestone.pk}",
                "day": milestone.due_on,
                "summary": _("Report due: %(reference)s, milestone %(milestone)s")
                % {"reference": milestone.grant.funding_reference, "milestone": milestone},
                "path": reverse("grantee_milestone_report", args=[milestone.pk]),
            }
        )
    for grant in Grant.objects.filter(
        application__owner=user,
        application__state=ApplicationState.FINAL_REPORT_DUE,
        final_report__state__in=(FinalReportState.DRAFT, FinalReportState.CHANGES_REQUESTED),
    ):
        rows.append(
            {
                "uid": f"final-report-{grant.pk}",
                "day": grant.final_report_due_on,
                "summary": _("Final report due: %(reference)s")
                % {"reference": grant.funding_reference},
                "path": reverse("grantee_final_report", args=[grant.pk]),
            }
        )
    for question in InformationRequest.objects.filter(
        application__owner=user,
        answered_at__isnull=True,
        application__state__in=ApplicationStateGroup.INFORMATION_REQUESTABLE,
    ).select_related("application"):
        rows.append(
            {
                "uid": f"question-{question.pk}",
                "day": question.due_on,
                "summary": _("Answer due: question about %(reference)s")
                % {"reference": question.application.reference},
                "path": reverse("application_answer", args=[question.application_id]),
            }
        )
    return sorted(rows, key=lambda row: (row["day"], row["uid"]))


def grantee_calendar(user) -> bytes:
    with translation.override(user.language):
        calendar = Calendar()
        calendar.add("prodid", f"-//{fund_name()}//Due dates//EN")
        calendar.add("version", "2.0")
        calendar.add("x-wr-calname", _("%(fund)s: due dates") % {"fund": fund_name()})
        stamp = timezone.now().replace(microsecond=0)
        for row in due_dates(user):
            calendar.add_component(_event(stamp=stamp, **row))
        return calendar.to_ical()
