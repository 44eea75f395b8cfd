"""The quarterly report by e-mail: subscribe on the archive page; the daily command sends
each subscriber the report of the quarter that has just ended, once."""

import datetime as dt
import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from accounts.roles import Role
from core.errors import WorkflowError
from reporting.models import ArchivedReport, QuarterlyDelivery, ReportSubscription
from reporting.services.subscriptions import subscribe, unsubscribe
from tests.accounts.helpers import sign_in
from tests.factories import make_user
from tests.reporting.helpers import ministry_client
from tests.reporting.world import BERLIN


def send(day, django_capture_on_commit_callbacks):
    with (
        time_machine.travel(dt.datetime.combine(day, dt.time(6, 30), tzinfo=BERLIN), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        out = io.StringIO()
        call_command("send_quarterly_reports", stdout=out)
    return out.getvalue()


def test_subscribing_and_unsubscribing_on_the_archive_page(world, client):
    _client, user = ministry_client(client)

    response = client.post("/ministry/subscription/", {"action": "subscribe", "language": "en"})
    page = client.get(response["Location"]).content.decode()

    subscription = ReportSubscription.objects.get(user=user)
    assert (subscription.active, subscription.language) == (True, "en")
    assert "You will receive the report of each quarter by e-mail when it has ended." in page
    assert "Unsubscribe" in page

    client.post("/ministry/subscription/", {"action": "unsubscribe"})

    subscription.refresh_from_db()
    assert subscription.active is False and subscription.ended_at is not None
    assert ReportSubscription.objects.count() == 1  # kept, not deleted


@pytest.mark.parametrize("data", [{}, {"action": "delete"}, {"action": "subscribe" * 1000}])
def test_a_bad_subscription_form_changes_nothing(world, client, data):
    ministry_client(client)

    response = client.post("/ministry/subscription/", data)

    assert response["Location"] == "/ministry/reports/"
    assert ReportSubscription.objects.count() == 0


def test_staff_cannot_subscribe(world):
    with pytest.raises(WorkflowError):
        subscribe(user=make_user(Role.STAFF), language="de")
    with pytest.raises(WorkflowError):
        unsubscribe(user=make_user(Role.APPLICANT))


def test_the_daily_job_sends_each_subscriber_the_last_quarter_once(
    world, django_capture_on_commit_callbacks
):
    german = make_user(Role.MINISTRY, full_name="Dr. Katrin Vogel", language="de")
    english = make_user(Role.MINISTRY, full_name="Sam Hill", language="en")
    subscribe(user=german, language="de")
    subscribe(user=english, language="en")
    late = make_user(Role.MINISTRY, language="en")

    assert (
        send(dt.date(2026, 6, 30), django_capture_on_commit_callbacks)
        == "quarterly reports sent: 0\n"
    )
    with time_machine.travel(dt.datetime(2026, 7, 1, 0, 5, tzinfo=BERLIN), tick=False):
        subscribe(user=late, language="en")  # after the quarter ended: the next one

    first = send(dt.date(2026, 7, 1), django_capture_on_commit_callbacks)
    again = send(dt.date(2026, 7, 2), django_capture_on_commit_callbacks)

    assert (first, again) == ("quarterly reports sent: 2\n", "quarterly reports sent: 0\n")
    reports = ArchivedReport.objects.filter(origin="quarterly").order_by("language")
    assert [(r.quarter, r.language, r.status) for r in reports] == [
        ("2026-Q2", "de", "done"),
        ("2026-Q2", "en", "done"),
    ]
    assert reports[0].parameters == {
        "call": "", "topic": "", "date_from": "2026-04-01", "date_to": "2026-06-30",
    }  # fmt: skip
    assert sorted(m.to[0] for m in mail.outbox) == sorted([german.email, english.email])
    message = next(m for m in mail.outbox if m.to == [english.email])
    assert message.subject == "[Civic Tech Fund] Progress report 2026-Q2"
    assert f"/ministry/reports/{reports[1].pk}/" in message.body
    assert reports[1].sha256 in message.body
    assert QuarterlyDelivery.objects.count() == 2


def test_an_ended_subscription_receives_nothing(world, django_capture_on_commit_callbacks):
    user = make_user(Role.MINISTRY)
    subscribe(user=user, language="de")
    unsubscribe(user=user)

    assert (
        send(dt.date(2026, 7, 1), django_capture_on_commit_callbacks)
        == "quarterly reports sent: 0\n"
    )
    assert mail.outbox == []


def test_a_failed_report_is_tried_again_the_next_day(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    from reporting.services import reports

    user = make_user(Role.MINISTRY)
    subscribe(user=user, language="de")
    original = reports.render_pdf
    monkeypatch.setattr(reports, "render_pdf", lambda html, progress=None: 1 / 0)

    assert (
        send(dt.date(2026, 7, 1), django_capture_on_commit_callbacks)
        == "quarterly reports sent: 0\n"
    )
    monkeypatch.setattr(reports, "render_pdf", original)
    assert (
        send(dt.date(2026, 7, 2), django_capture_on_commit_callbacks)
        == "quarterly reports sent: 1\n"
    )
    assert ArchivedReport.objects.get().status == "done"


def test_only_ministry_viewers_may_post_the_subscription(world, client):
    sign_in(client, make_user(Role.STAFF))

    response = client.post("/ministry/subscription/", {"action": "subscribe"})

    assert response.status_code == 404
    assert ReportSubscription.objects.count() == 0


def test_subscribing_again_while_subscribed_keeps_the_date_and_changes_the_language(world):
    viewer = make_user(Role.MINISTRY)
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=BERLIN), tick=False):
        first = subscribe(user=viewer, language="de")
    with time_machine.travel(dt.datetime(2026, 5, 4, 9, 0, tzinfo=BERLIN), tick=False):
        again = subscribe(user=viewer, language="en")

    assert again.pk == first.pk
    assert ReportSubscription.objects.filter(user=viewer).count() == 1
    again.refresh_from_db()
    assert (again.active, again.language, again.ended_at) == (True, "en", None)
    assert again.subscribed_at == dt.datetime(2026, 3, 2, 9, 0, tzinfo=BERLIN)


def test_subscribing_again_after_ending_starts_a_new_subscription_date(world):
    viewer = make_user(Role.MINISTRY)
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=BERLIN), tick=False):
        subscribe(user=viewer, language="de")
    with time_machine.travel(dt.datetime(2026, 4, 1, 9, 0, tzinfo=BERLIN), tick=False):
        ended = unsubscribe(user=viewer)
    assert ended.ended_at == dt.datetime(2026, 4, 1, 9, 0, tzinfo=BERLIN)
    with time_machine.travel(dt.datetime(2026, 5, 4, 9, 0, tzinfo=BERLIN), tick=False):
        renewed = subscribe(user=viewer, language="de")

    renewed.refresh_from_db()
    assert (renewed.active, renewed.ended_at) == (True, None)
    assert renewed.subscribed_at == dt.datetime(2026, 5, 4, 9, 0, tzinfo=BERLIN)


def test_unsubscribing_twice_keeps_the_first_end_and_without_a_subscription_does_nothing(
    world,
):
    viewer = make_user(Role.MINISTRY)
    assert unsubscribe(user=viewer) is None
    assert ReportSubscription.objects.count() == 0
    subscribe(user=viewer, language="de")
    with time_machine.travel(dt.datetime(2026, 4, 1, 9, 0, tzinfo=BERLIN), tick=False):
        unsubscribe(user=viewer)
    with time_machine.travel(dt.datetime(2026, 4, 9, 9, 0, tzinfo=BERLIN), tick=False):
        unsubscribe(user=viewer)

    subscription = ReportSubscription.objects.get(user=viewer)
    assert (subscription.active, subscription.ended_at) == (
        False,
        dt.datetime(2026, 4, 1, 9, 0, tzinfo=BERLIN),
    )
