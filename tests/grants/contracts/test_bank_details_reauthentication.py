"""Changing the bank account needs the password again (allauth's re-authentication), and a
change that arrives too late is not kept anywhere: the IBAN never waits in the session."""

from urllib.parse import quote

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from grants.contracts.bank import decrypt
from grants.models import BankDetailsCheck, Grant
from tests.accounts.helpers import reauthenticate
from tests.factories import IBAN, make_grant
from tests.grants.contracts.helpers import signed_grant

pytestmark = pytest.mark.django_db
NEW_IBAN = "DE13430609671234567890"


def stored_iban(grant):
    return decrypt(Grant.objects.get(pk=grant.pk).iban_encrypted)


def reauth_url(grant):
    target = reverse("grantee_bank_details", args=[grant.pk])
    return f"/accounts/reauthenticate/?next={quote(target, safe='')}"


def test_the_form_opens_only_after_the_password_was_given_again(client, staff):
    grant = signed_grant(staff)
    client.force_login(grant.application.owner)
    url = reverse("grantee_bank_details", args=[grant.pk])

    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reauth_url(grant)

    reauthenticate(client)
    response = client.get(url)
    assert response.status_code == 200
    assert "Save the new account" in response.content.decode()


def test_a_change_without_reauthentication_is_refused_and_not_kept(client, staff):
    grant = signed_grant(staff)
    client.force_login(grant.application.owner)
    url = reverse("grantee_bank_details", args=[grant.pk])

    response = client.post(url, {"account_holder": "Mallory", "iban": NEW_IBAN, "bic": ""})

    assert response.status_code == 302
    assert response["Location"] == url
    assert stored_iban(grant) == IBAN
    assert BankDetailsCheck.objects.filter(grant=grant).count() == 1
    for session in Session.objects.all():
        assert NEW_IBAN not in str(session.get_decoded())
    assert client.get(url)["Location"] == reauth_url(grant)


def test_after_reauthentication_the_change_is_saved_and_held(client, staff):
    grant = signed_grant(staff)
    client.force_login(grant.application.owner)
    reauthenticate(client)

    response = client.post(
        reverse("grantee_bank_details", args=[grant.pk]),
        {"account_holder": "Ada Lovelace", "iban": NEW_IBAN.lower(), "bic": ""},
    )

    assert response["Location"] == reverse("grantee_grant", args=[grant.pk])
    assert stored_iban(grant) == NEW_IBAN
    assert BankDetailsCheck.objects.filter(grant=grant, state="pending").get().reason == "change"


def test_a_wrong_password_changes_nothing(client, staff):
    grant = signed_grant(staff)
    client.force_login(grant.application.owner)
    response = client.post(reverse("account_reauthenticate"), {"password": "wrong"})
    assert response.status_code == 200
    assert client.get(reverse("grantee_bank_details", args=[grant.pk])).status_code == 302


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("iban", "javascript:alert(1)", "This is not a valid IBAN"),
        ("iban", "X" * 5000, "Ensure this value has at most 42 characters"),
        ("iban", "US64SVBKUS6S3300958879", "This is not a valid IBAN"),
        ("account_holder", "A" * 500, "Ensure this value has at most 70 characters"),
        ("bic", "²²²²²²²²", "This is not a valid BIC"),
    ],
)
def test_bad_bank_details_get_a_message(client, staff, field, value, message):
    grant = signed_grant(staff)
    client.force_login(grant.application.owner)
    reauthenticate(client)
    data = {"account_holder": "Ada", "iban": NEW_IBAN, "bic": "", field: value}
    response = client.post(reverse("grantee_bank_details", args=[grant.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert stored_iban(grant) == IBAN


def test_another_grantee_gets_404_before_any_reauthentication(client, staff):
    grant = signed_grant(staff)
    other = make_grant()
    client.force_login(other.application.owner)
    assert client.get(reverse("grantee_bank_details", args=[grant.pk])).status_code == 404
