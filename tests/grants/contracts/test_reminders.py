"""send_reminders: 7 days before and once overdue, for milestone reports, final reports and
open questions; once per reminder however often it runs; "today" is Berlin's date, also
around midnight and month ends (frozen clock with time-machine)."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from accounts.roles import Role
from grants.models import FinalReport, InformationRequest, SentReminder
from grants.services.reminders import DueItem, overdue_items, seen_by, send_reminders
from grants.states import ApplicationState as A
from tests.factories import ApplicationFactory, make_grant, make_user, set_state
from tests.review.helpers import conflict

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture(autouse=True)
def _send_at_once(monkeypatch):
    """E-mails go out when the transaction commits; here each test's work counts as committed."""
    monkeypatch.setattr("django.db.transaction.on_commit", lambda callback, *a, **k: callback())


def grant_with_one_milestone(due_on):
    grant = make_grant(amounts=("1000.00",), starts_on=dt.date(2026, 1, 1))
    grant.milestones.update(due_on=due_on)
    return grant


def subjects():
    return sorted(message.subject.removeprefix("[Civic Tech Fund] ") for message in mail.outbox)


def run_command():
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    return out.getvalue().splitlines()


@pytest.mark.parametrize(
    ("utc_now", "sent"),
    [
        # 31 January, 22:59 UTC = 23:59 in Berlin: due on 7 February, exactly 7 days ahead.
        ("2026-01-31T22:59:00", ["Due in 7 days: milestone report {ref} – 1. Milestone 1"]),
        # 30 January, 23:30 UTC = 31 January, 00:30 in Berlin (still 7 days ahead).
        ("2026-01-30T23:30:00", ["Due in 7 days: milestone report {ref} – 1. Milestone 1"]),
        # 30 January 22:59 UTC = 23:59 in Berlin on the 30th: 8 days ahead, nothing yet.
        ("2026-01-30T22:59:00", []),
    ],
)
def test_due_soon_counts_days_in_berlin(utc_now, sent):
    grant = grant_with_one_milestone(dt.date(2026, 2, 7))
    with time_machine.travel(dt.datetime.fromisoformat(utc_now).replace(tzinfo=dt.UTC), tick=False):
        count = send_reminders()
    reference = grant.funding_reference
    assert subjects() == [line.format(ref=reference) for line in sent]
    assert count == len(sent)


def test_overdue_from_midnight_berlin_after_a_month_end(staff):
    grant = grant_with_one_milestone(dt.date(2026, 2, 28))
    # 28 February 22:59 UTC is 23:59 in Berlin: due today, not overdue.
    with time_machine.travel(dt.datetime(2026, 2, 28, 22, 59, tzinfo=dt.UTC), tick=False):
        assert send_reminders() == 1  # the 7-day reminder, sent late (never before)
        assert overdue_items() == []
    mail.outbox.clear()
    # 28 February 23:00 UTC is 1 March 00:00 in Berlin: overdue; staff get the list.
    with time_machine.travel(dt.datetime(2026, 2, 28, 23, 0, tzinfo=dt.UTC), tick=False):
        assert timezone.localdate() == dt.date(2026, 3, 1)
        assert send_reminders() == 2
    reference = grant.funding_reference
    assert subjects() == [
        "Overdue items: 1",
        f"Overdue: milestone report {reference} – 1. Milestone 1",
    ]
    staff_mail = next(m for m in mail.outbox if m.to == [staff.email])
    assert "28 February 2026 (1 day late): Milestone report – " in staff_mail.body


def test_a_second_run_on_the_same_day_sends_nothing_and_the_next_day_neither(staff):
    grant_with_one_milestone(dt.date(2026, 3, 31))
    with time_machine.travel(dt.datetime(2026, 4, 1, 5, 0, tzinfo=BERLIN), tick=False):
        assert run_command()[-1] == "reminders sent: 2"
        assert run_command()[-1] == "reminders sent: 0"
    with time_machine.travel(dt.datetime(2026, 4, 2, 5, 0, tzinfo=BERLIN), tick=False):
        assert run_command()[-1] == "reminders sent: 0"
    assert SentReminder.objects.count() == 2
    assert len(mail.outbox) == 2


def test_a_moved_due_date_is_reminded_again():
    grant = grant_with_one_milestone(dt.date(2026, 5, 10))
    with time_machine.travel(dt.datetime(2026, 5, 3, 8, 0, tzinfo=BERLIN), tick=False):
        assert send_reminders() == 1
    grant.milestones.update(due_on=dt.date(2026, 5, 20))
    with time_machine.travel(dt.datetime(2026, 5, 13, 8, 0, tzinfo=BERLIN), tick=False):
        assert send_reminders() == 1


def test_reported_and_finished_milestones_are_not_reminded():
    grant = grant_with_one_milestone(dt.date(2026, 6, 1))
    set_state(grant.milestones.first(), "report_submitted")
    terminated = grant_with_one_milestone(dt.date(2026, 6, 1))
    set_state(terminated.application, A.TERMINATED)
    with time_machine.travel(dt.datetime(2026, 6, 5, 8, 0, tzinfo=BERLIN), tick=False):
        assert send_reminders() == 0


def test_final_reports_and_open_questions_are_reminded(staff):
    grant = make_grant(state=A.FINAL_REPORT_DUE, starts_on=dt.date(2025, 9, 1))
    grant.milestones.all().update(state="paid")
    FinalReport.objects.create(grant=grant)
    assert grant.final_report_due_on == dt.date(2026, 3, 28)
    application = set_state(ApplicationFactory(), A.SUBMITTED)
    InformationRequest.objects.create(
        application=application,
        question="Which cities?",
        due_on=dt.date(2026, 3, 20),
        asked_by=staff,
    )
    with time_machine.travel(dt.datetime(2026, 3, 21, 9, 0, tzinfo=BERLIN), tick=False):
        send_reminders()
    assert subjects() == [
        f"Due in 7 days: final report {grant.funding_reference} – {grant.application.title}",
        "Overdue items: 1",
        f"Overdue: your answer about {application.reference}",
    ]


def test_the_command_first_requests_final_reports_of_ended_grants():
    grant = make_grant(starts_on=dt.date(2025, 1, 1))
    with time_machine.travel(dt.datetime(2025, 7, 1, 6, 0, tzinfo=BERLIN), tick=False):
        lines = run_command()
    assert lines[0] == "final reports requested: 1"
    grant.application.refresh_from_db()
    assert grant.application.state == A.FINAL_REPORT_DUE
    assert FinalReport.objects.get(grant=grant).state == "draft"


def test_reminders_are_written_in_the_recipients_language():
    german = make_user(Role.APPLICANT, language="de")
    grant = make_grant(amounts=("1000.00",), starts_on=dt.date(2026, 1, 1), owner=german)
    grant.milestones.update(due_on=dt.date(2026, 1, 20))
    with time_machine.travel(dt.datetime(2026, 1, 13, 8, 0, tzinfo=BERLIN), tick=False):
        send_reminders()
    assert mail.outbox[0].subject.startswith("[Civic Tech Fund] Fällig in 7 Tagen")
    assert "20. Januar 2026" in mail.outbox[0].body


def test_the_staff_list_keeps_what_concerns_no_application_and_drops_what_is_withheld():
    staff_juror = make_user(Role.STAFF, Role.JUROR)
    withheld, seen = (set_state(ApplicationFactory(), A.SUBMITTED) for _ in range(2))
    conflict(staff_juror, withheld)
    yesterday = timezone.localdate() - dt.timedelta(days=1)

    def item(title, application_id):
        return DueItem(
            subject=staff_juror,
            what="other",
            due_on=yesterday,
            recipient=staff_juror,
            title=title,
            path="/",
            application_id=application_id,
        )

    items = [item("Ledger", None), item("Withheld", withheld.pk), item("Seen", seen.pk)]

    assert [i.title for i in seen_by(staff_juror, items)] == ["Ledger", "Seen"]
