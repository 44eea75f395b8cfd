"""The admins' error e-mails never carry a clear IBAN: not in the POST data, not in the
local variables of any frame (ours are marked sensitive; ops.errors hides IBAN-shaped
values in the libraries' frames too)."""

import sys

import pytest
from django.core import mail
from django.core.signals import got_request_exception
from django.test import RequestFactory
from django.urls import reverse
from django.views.debug import ExceptionReporter

from accounts.roles import Role
from ops.errors import BankDetailsReporterFilter
from tests.accounts.helpers import reauthenticate
from tests.factories import make_user
from tests.grants.contracts.helpers import signed_grant

pytestmark = pytest.mark.django_db
NEW_IBAN = "DE13430609671234567890"
SPACED = "DE13 4306 0967 1234 5678 90"


def clear_iban_in(text):
    return NEW_IBAN in text or SPACED in text or NEW_IBAN.lower() in text


@pytest.fixture
def reports():
    """Each server error with its request, as the admin e-mail handler gets it."""
    captured = []

    def capture(sender, request, **kwargs):
        captured.append((request, sys.exc_info()))

    got_request_exception.connect(capture, dispatch_uid="test_error_reports")
    yield captured
    got_request_exception.disconnect(dispatch_uid="test_error_reports")


def test_an_error_while_changing_bank_details_reports_no_iban(client, settings, reports):
    settings.ADMINS = [("Ops", "ops@fund.example")]
    grant = signed_grant(make_user(Role.STAFF))
    client.force_login(grant.application.owner)
    reauthenticate(client)
    mail.outbox.clear()
    client.raise_request_exception = False
    settings.FIELD_ENCRYPTION_KEYS = ["not-a-fernet-key"]  # encrypting the IBAN fails

    response = client.post(
        reverse("grantee_bank_details", args=[grant.pk]),
        {"account_holder": "Ada Lovelace", "iban": SPACED, "bic": ""},
    )

    assert response.status_code == 500
    (report,) = [m for m in mail.outbox if m.to == ["ops@fund.example"]]
    assert "ImproperlyConfigured" in report.body
    assert "iban = '********************'" in report.body
    assert not clear_iban_in(report.subject + report.body)
    ((request, exc_info),) = reports
    html = ExceptionReporter(request, *exc_info, is_email=True).get_traceback_html()
    assert "change_bank_details" in html and "Local Vars" in html
    assert not clear_iban_in(html)


def raise_in_a_frame_nobody_marked(account):
    note = f"for {account}"  # noqa: F841 (a local variable, shown in the report)
    raise ValueError("boom")


def test_iban_shaped_values_are_hidden_in_any_frame_and_post_field():
    request = RequestFactory().post("/somewhere/", {"comment": f"my account is {SPACED}"})
    try:
        raise_in_a_frame_nobody_marked(NEW_IBAN.encode())
    except ValueError:
        exc_info = sys.exc_info()
    reporter = ExceptionReporter(request, *exc_info, is_email=True)
    assert isinstance(reporter.filter, BankDetailsReporterFilter)
    html = reporter.get_traceback_html()
    text = reporter.get_traceback_text()
    assert "raise_in_a_frame_nobody_marked" in html
    assert "boom" in text
    assert not clear_iban_in(html)
    assert not clear_iban_in(text)
    assert "comment" in text
