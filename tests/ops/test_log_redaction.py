"""The secret calendar address (/calendar/<token>.ics, the token is the key) is kept out of
the logs and the error mails (issue 15, item 12): the request log, Django's request and
runserver loggers and the mail to the admins show [redacted] instead of the token."""

import logging

import pytest
from django.core import mail
from django.test import Client
from django.urls import path, reverse

from grants.models import CalendarFeed
from ops.logs import redact
from tests.factories import make_grant

pytestmark = pytest.mark.django_db

TOKEN = "Zx9-secret_calendar_token_Q7w3eR5tY8uI0oP2aS4dF6gH1jK3lZ5x"


def broken_feed(request, token):
    raise RuntimeError("the calendar fell over")


urlpatterns = [path("calendar/<str:token>.ics", broken_feed)]


@pytest.fixture
def feed():
    grant = make_grant()
    return CalendarFeed.objects.create(user=grant.application.owner, token=TOKEN)


def test_the_request_log_shows_no_token(client, feed, request_log):
    response = client.get(reverse("calendar_feed", args=[feed.token]))

    assert response.status_code == 200
    line = request_log[-1]
    assert line["message"] == "GET /calendar/[redacted].ics 200"
    assert line["path"] == "/calendar/[redacted].ics"
    assert TOKEN not in str(line)


def test_a_stale_address_is_logged_as_not_found_without_its_token(client, log_lines):
    warnings = log_lines("django.request")

    response = client.get(f"/calendar/{TOKEN}.ics")

    assert response.status_code == 404
    assert [line["message"] for line in warnings] == ["Not Found: /calendar/[redacted].ics"]
    assert warnings[0]["request"] is None  # its repr would name the address
    assert TOKEN not in str(warnings)


def test_runserver_lines_show_no_token(log_lines):
    lines = log_lines("django.server")

    logging.getLogger("django.server").info(
        '"%s" %s %s', f"GET /calendar/{TOKEN}.ics HTTP/1.1", "200", "512"
    )

    assert lines[0]["message"] == '"GET /calendar/[redacted].ics HTTP/1.1" 200 512'


def test_the_error_mail_shows_no_token(settings):
    settings.ROOT_URLCONF = __name__
    settings.ADMINS = [("Ops", "ops@fund.example")]

    response = Client(raise_request_exception=False).get(f"/calendar/{TOKEN}.ics")

    assert response.status_code == 500
    assert len(mail.outbox) == 1
    assert "RuntimeError" in mail.outbox[0].body
    assert "/calendar/[redacted].ics" in mail.outbox[0].subject
    assert TOKEN not in mail.outbox[0].subject + mail.outbox[0].body


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/calendar/abc.ics", "/calendar/[redacted].ics"),
        ("GET /calendar/abc.ics?x=1 HTTP/1.1", "GET /calendar/[redacted].ics?x=1 HTTP/1.1"),
        ("/grantee/calendar/", "/grantee/calendar/"),  # the page that manages it has none
        ("/applications/12/", "/applications/12/"),
    ],
)
def test_what_is_redacted(text, expected):
    assert redact(text) == expected
