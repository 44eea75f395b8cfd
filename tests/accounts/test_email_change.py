"""Changing the e-mail address needs the password again (allauth's re-authentication), and
the old address is told, in the person's language: when a new address is added and when it
replaces the old one. The change is kept in the person's log, so that notices about where
money goes reach the old address for some weeks too."""

import datetime as dt
import re

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import timezone

from accounts.events import EMAIL_CHANGED
from accounts.queries import PREVIOUS_ADDRESS_DAYS, previous_email_addresses
from accounts.roles import Role
from tests.accounts.helpers import reauthenticate
from tests.factories import make_user
from workflow.audit import log_event
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db
EMAIL_URL = "/accounts/email/"
REAUTH = "/accounts/reauthenticate/?next=%2Faccounts%2Femail%2F"


@pytest.fixture
def grantee(client):
    person = make_user(Role.APPLICANT, email="ada@example.org", language="de")
    client.force_login(person)
    return person


def addresses(person):
    return sorted(
        EmailAddress.objects.filter(user=person).values_list("email", "primary", "verified")
    )


def test_adding_an_address_needs_the_password_again(client, grantee):
    response = client.post(EMAIL_URL, {"action_add": "", "email": "eve@example.net"})
    assert response.status_code == 302
    assert response["Location"] == REAUTH
    assert addresses(grantee) == [("ada@example.org", True, True)]
    assert mail.outbox == []


@pytest.mark.parametrize("action", ["action_primary", "action_remove"])
def test_making_primary_or_removing_needs_the_password_again(client, grantee, action):
    EmailAddress.objects.create(user=grantee, email="second@example.org", verified=True)
    before = addresses(grantee)
    response = client.post(EMAIL_URL, {action: "", "email": "second@example.org"})
    assert response["Location"] == REAUTH
    assert addresses(grantee) == before


def test_the_old_address_is_told_of_the_new_one_and_of_the_change(client, grantee):
    reauthenticate(client)
    client.post(EMAIL_URL, {"action_add": "", "email": "ada.new@example.org"})

    assert addresses(grantee) == [
        ("ada.new@example.org", False, False),
        ("ada@example.org", True, True),
    ]
    added = [m for m in mail.outbox if m.to == ["ada@example.org"]]
    assert [m.subject for m in added] == [
        "[Civic Tech Fund] Neue E-Mail-Adresse zu Ihrem Konto hinzugefügt"
    ]
    assert (
        "Die E-Mail-Adresse ada.new@example.org wurde zu Ihrem Konto hinzugefügt." in added[0].body
    )
    confirmation = next(m for m in mail.outbox if m.to == ["ada.new@example.org"])
    link = re.search(r"/accounts/confirm-email/[^/\s]+/", confirmation.body).group(0)
    mail.outbox.clear()

    client.post(link)

    assert addresses(grantee) == [("ada.new@example.org", True, True)]
    grantee.refresh_from_db()
    assert grantee.email == "ada.new@example.org"
    changed = [m for m in mail.outbox if m.to == ["ada@example.org"]]
    assert [m.subject for m in changed] == ["[Civic Tech Fund] E-Mail geändert"]
    assert "ada.new@example.org" in changed[0].body
    entry = TransitionLog.objects.get(action="accounts.user.email_changed")
    assert (entry.object_id, entry.data) == (
        grantee.pk,
        {"from": "ada@example.org", "to": "ada.new@example.org"},
    )
    assert previous_email_addresses(grantee) == ["ada@example.org"]


def test_previous_addresses_within_the_weeks_all_of_them_and_none_erased(grantee):
    def changed(old, new, days_ago):
        with time_machine.travel(timezone.now() - dt.timedelta(days=days_ago)):
            return log_event(
                subject=grantee, action=EMAIL_CHANGED, actor=grantee, data={"from": old, "to": new}
            )

    changed("ada.1@example.org", "ada.2@example.org", days_ago=PREVIOUS_ADDRESS_DAYS + 1)
    changed("ada.2@example.org", "ada@example.org", days_ago=PREVIOUS_ADDRESS_DAYS - 1)
    erased = changed("ada.0@example.org", "ada.1@example.org", days_ago=400)
    TransitionLog.objects.filter(pk=erased.pk).redact(
        keys={"from", "to"}, note=False, at=timezone.now()
    )

    assert previous_email_addresses(grantee) == ["ada.2@example.org"]
    assert previous_email_addresses(grantee, days=None) == [
        "ada.1@example.org",
        "ada.2@example.org",
    ]
