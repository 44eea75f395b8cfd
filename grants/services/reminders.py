"""Daily reminders (``manage.py send_reminders``): grantees are e-mailed 7 days before a
milestone report or the final report is due and again once it is overdue; applicants the
same for open questions from staff; staff get the list of everything overdue when
something has newly become overdue. Each reminder is sent once (grants.SentReminder), so a
second run on the same day sends nothing.

"Today" is the date in the fund's time zone (Europe/Berlin), whatever the server's clock
zone: a milestone due on the 31st is overdue from 00:00 Berlin time on the 1st.

Other apps add what they remind about with ``register_source`` (the review app can add
overdue reviews for jurors): a source is ``f(today) -> iterable of DueItem``.

The staff list (page and e-mail) shows each staff member what they see as staff: nothing
about an application withheld from them (grants.visibility: a conflict of interest of
someone who is also a juror)."""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.queries import staff_users
from grants.contracts.queries import final_reports_awaited, milestones_awaiting_report
from grants.models import SentReminder
from grants.queries import applications_visible_to, open_questions
from grants.states import REMINDER_LEAD_DAYS, ReminderKind
from workflow.notifications import notify


@dataclass(frozen=True)
class DueItem:
    """Something a person owes by a date: the object, what it is ("milestone",
    "final_report", "question", or another app's word), who owes it, and the link."""

    subject: object
    what: str
    due_on: dt.date
    recipient: object
    title: str
    path: str
    # The application it concerns, if any: the staff list leaves out what a reader may not see.
    application_id: int | None = None

    def days_late(self, today: dt.date) -> int:
        return (today - self.due_on).days


_sources: list[Callable[[dt.date], Iterable[DueItem]]] = []


def register_source(source: Callable[[dt.date], Iterable[DueItem]]) -> None:
    if source not in _sources:
        _sources.append(source)


def milestones_due(today: dt.date) -> Iterable[DueItem]:
    milestones = (
        milestones_awaiting_report()
        .filter(due_on__lte=today + dt.timedelta(days=REMINDER_LEAD_DAYS))
        .select_related("grant__application__owner")
    )
    for milestone in milestones:
        grant = milestone.grant
        yield DueItem(
            subject=milestone,
            what="milestone",
            due_on=milestone.due_on,
            recipient=grant.application.owner,
            title=f"{grant.funding_reference} – {milestone}",
            path=reverse("grantee_milestone_report", args=[milestone.pk]),
            application_id=grant.application_id,
        )


def final_reports_due(today: dt.date) -> Iterable[DueItem]:
    grants = final_reports_awaited().select_related("application__owner")
    for grant in grants:
        due_on = grant.final_report_due_on
        if due_on <= today + dt.timedelta(days=REMINDER_LEAD_DAYS):
            yield DueItem(
                subject=grant,
                what="final_report",
                due_on=due_on,
                recipient=grant.application.owner,
                title=f"{grant.funding_reference} – {grant.application.title}",
                path=reverse("grantee_final_report", args=[grant.pk]),
                application_id=grant.application_id,
            )


def questions_due(today: dt.date) -> Iterable[DueItem]:
    questions = (
        open_questions()
        .filter(due_on__lte=today + dt.timedelta(days=REMINDER_LEAD_DAYS))
        .select_related("application__owner")
    )
    for question in questions:
        yield DueItem(
            subject=question,
            what="question",
            due_on=question.due_on,
            recipient=question.application.owner,
            title=question.application.reference,
            path=reverse("application_answer", args=[question.application_id]),
            application_id=question.application_id,
        )


register_source(milestones_due)
register_source(final_reports_due)
register_source(questions_due)


def due_items(today: dt.date) -> list[DueItem]:
    return [item for source in _sources for item in source(today)]


def overdue_items(today: dt.date | None = None, *, viewer=None) -> list[DueItem]:
    """Everything overdue today, most overdue first (the staff list); for a ``viewer``, only
    what they see as staff."""
    today = today or timezone.localdate()
    late = [item for item in due_items(today) if item.due_on < today]
    if viewer is not None:
        late = seen_by(viewer, late)
    return sorted(late, key=lambda item: (item.due_on, item.what, item.title))


def seen_by(viewer, items: list[DueItem]) -> list[DueItem]:
    """The items about no application, or about one ``viewer`` sees as staff (one query)."""
    named = {item.application_id for item in items if item.application_id is not None}
    visible = set(
        applications_visible_to(viewer, only="staff")
        .filter(pk__in=named)
        .values_list("pk", flat=True)
    )
    return [item for item in items if item.application_id is None or item.application_id in visible]


def _record(*, subject, kind, due_on, recipient, today) -> bool:
    """Note the reminder as sent; False if it was sent before (by an earlier run)."""
    try:
        with transaction.atomic():
            SentReminder.objects.create(
                content_type=ContentType.objects.get_for_model(type(subject)),
                object_id=subject.pk,
                kind=kind,
                due_on=due_on,
                recipient=recipient,
                sent_on=today,
            )
    except IntegrityError:
        return False
    return True


def send_reminders(*, today: dt.date | None = None) -> int:
    """Send what is due today and not sent yet; returns the number of e-mails."""
    today = today or timezone.localdate()
    sent = 0
    newly_overdue = False
    for item in due_items(today):
        if item.due_on < today:
            kind = ReminderKind.OVERDUE
        elif (item.due_on - today).days <= REMINDER_LEAD_DAYS:
            kind = ReminderKind.DUE_SOON
        else:
            continue
        if not _record(
            subject=item.subject,
            kind=kind,
            due_on=item.due_on,
            recipient=item.recipient,
            today=today,
        ):
            continue
        newly_overdue = newly_overdue or kind == ReminderKind.OVERDUE
        notify(
            to=item.recipient,
            template="reminder",
            context={
                "kind": str(kind),
                "what": item.what,
                "title": item.title,
                "due_on": item.due_on,
                "path": item.path,
                "days_late": item.days_late(today),
            },
        )
        sent += 1
    if newly_overdue:
        late = overdue_items(today)
        for person in staff_users():
            rows = [
                {
                    "what": item.what,
                    "title": item.title,
                    "due_on": item.due_on,
                    "days_late": item.days_late(today),
                }
                for item in seen_by(person, late)
            ]
            if rows and _record(
                subject=person,
                kind=ReminderKind.STAFF_OVERDUE_LIST,
                due_on=today,
                recipient=person,
                today=today,
            ):
                notify(
                    to=person, template="staff_overdue_list", context={"rows": rows, "today": today}
                )
                sent += 1
    return sent
