"""allauth's rate limits are on outside the test settings (which switch them off so that
the suite can log in often)."""

import importlib

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from config.settings import base
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def test_production_and_dev_keep_the_limits():
    assert base.ACCOUNT_RATE_LIMITS["login_failed"] == "10/m/ip,5/5m/key"
    for module in ("config.settings.dev",):
        assert importlib.import_module(module).ACCOUNT_RATE_LIMITS is base.ACCOUNT_RATE_LIMITS


def test_repeated_wrong_passwords_are_throttled(client, settings):
    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS
    cache.clear()
    user = make_user()
    for _ in range(5):
        response = client.post(reverse("account_login"), {"login": user.email, "password": "wrong"})
        assert "Too many failed login attempts" not in response.content.decode()
    response = client.post(reverse("account_login"), {"login": user.email, "password": "wrong"})
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    cache.clear()


# Nobody can lock a named person out (issue 15, item 7) -------------------------------------

LOCKED = "Too many failed login attempts. Try again later."


def sign_in_from(client, address, email, password):
    response = client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=address
    )
    return response


def test_wrong_passwords_from_other_addresses_do_not_lock_the_person_out(client, rate_limits):
    """The finding: five wrong passwords for staff@… from five addresses locked the real
    person out for five minutes, even with the right password."""
    staff = make_user(Role.STAFF)
    for number in range(1, 6):
        sign_in_from(Client(), f"203.0.113.{number}", staff.email, "wrong")
    # And one attacker's address at its own limit.
    for _ in range(5):
        sign_in_from(Client(), "198.51.100.9", staff.email, "wrong")
    assert LOCKED in sign_in_from(Client(), "198.51.100.9", staff.email, "wrong").content.decode()

    response = sign_in_from(client, "192.0.2.44", staff.email, PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"  # on to the second factor


def test_the_persons_own_address_is_still_throttled(client, rate_limits):
    user = make_user()
    for _ in range(5):
        sign_in_from(client, "192.0.2.44", user.email, "wrong")

    refused = sign_in_from(client, "192.0.2.44", user.email, PASSWORD)

    assert LOCKED in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_many_addresses_together_meet_a_high_ceiling_per_account(client, rate_limits):
    assert base.ACCOUNT_RATE_LIMITS["login_failed_account"] == "100/h/key"
    rate_limits.ACCOUNT_RATE_LIMITS = {
        **base.ACCOUNT_RATE_LIMITS,
        "login_failed_account": "3/h/key",
    }
    user, other = make_user(), make_user()
    for number in range(1, 4):
        sign_in_from(Client(), f"203.0.113.{number}", user.email, "wrong")

    refused = sign_in_from(client, "203.0.113.4", user.email, "wrong")
    other_account = sign_in_from(Client(), "203.0.113.4", other.email, PASSWORD)

    assert LOCKED in refused.content.decode()
    assert other_account["Location"] == "/dashboard/"


def test_a_successful_sign_in_does_not_count_against_the_ceiling(rate_limits):
    rate_limits.ACCOUNT_RATE_LIMITS = {
        **base.ACCOUNT_RATE_LIMITS,
        "login_failed_account": "2/h/key",
    }
    user = make_user()
    places = [
        sign_in_from(Client(), f"203.0.113.{number}", user.email, PASSWORD)["Location"]
        for number in range(1, 4)
    ]
    assert places == ["/dashboard/"] * 3


def test_a_password_reset_lifts_the_ceiling(client, rate_limits):
    from tests.accounts.test_signup_login import only_link

    rate_limits.ACCOUNT_RATE_LIMITS = {
        **base.ACCOUNT_RATE_LIMITS,
        "login_failed_account": "2/h/key",
    }
    user = make_user()
    for number in range(1, 3):
        sign_in_from(Client(), f"203.0.113.{number}", user.email, "wrong")
    assert LOCKED in sign_in_from(client, "192.0.2.44", user.email, PASSWORD).content.decode()
    client.post("/accounts/password/reset/", {"email": user.email}, REMOTE_ADDR="192.0.2.44")
    form_url = client.get(only_link(mail.outbox[-1]), REMOTE_ADDR="192.0.2.44")["Location"]
    new_password = "a-new-long-password-2026"
    client.post(
        form_url, {"password1": new_password, "password2": new_password}, REMOTE_ADDR="192.0.2.44"
    )

    response = sign_in_from(Client(), "192.0.2.44", user.email, new_password)

    assert response["Location"] == "/dashboard/"
