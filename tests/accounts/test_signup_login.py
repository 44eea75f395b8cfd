"""Sign-up, e-mail verification, login, logout, password reset and e-mail change, all through
allauth's real views."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from accounts.models import User
from accounts.roles import Role
from tests.accounts.helpers import reauthenticate, signed_in_user_id
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-and-new-passphrase-7"
LINK = re.compile(r"http://testserver(/\S+)")


def only_link(message) -> str:
    links = LINK.findall(message.body)
    assert len(links) == 1, message.body
    return links[0]


def sign_up(client, email="New.Person@Example.org", full_name="Ada Lovelace", **headers):
    return client.post(
        "/accounts/signup/",
        {
            "full_name": full_name,
            "email": email,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
        **headers,
    )


# Sign-up and e-mail verification -----------------------------------------------------------


def test_signup_creates_an_unverified_applicant_with_email_login(client):
    response = sign_up(client, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get()
    assert user.email == "new.person@example.org"
    assert user.full_name == "Ada Lovelace"
    assert user.USERNAME_FIELD == "email"
    assert not hasattr(user, "username")
    assert list(user.groups.values_list("name", flat=True)) == [Role.APPLICANT]
    assert user.language == "en"
    assert user.is_active is True
    assert user.is_staff is False
    assert user.is_superuser is False
    assert user.check_password(NEW_PASSWORD)
    assert list(EmailAddress.objects.values_list("email", "verified", "primary")) == [
        ("new.person@example.org", False, True)
    ]
    # Mandatory verification: the sign-up does not sign the person in.
    assert signed_in_user_id(client) is None


def test_signup_sends_one_verification_email_with_a_confirmation_link(client):
    sign_up(client, HTTP_ACCEPT_LANGUAGE="en")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@example.org"]
    assert message.subject == "[Civic Tech Fund] Please confirm your e-mail address"
    assert re.fullmatch(r"/accounts/confirm-email/[\w:-]+/", only_link(message))


@pytest.mark.parametrize(
    ("headers", "language"),
    [
        ({"HTTP_ACCEPT_LANGUAGE": "en"}, "en"),
        ({"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}, "en"),
        ({"HTTP_ACCEPT_LANGUAGE": "de-DE,de;q=0.9"}, "de"),
        ({"HTTP_ACCEPT_LANGUAGE": "fr-FR"}, "de"),  # no supported language: German fallback
        ({}, "de"),
    ],
)
def test_signup_stores_the_active_language(client, settings, headers, language):
    settings.LANGUAGE_CODE = "de"  # the project's fallback (conftest switches tests to English)
    sign_up(client, **headers)

    assert User.objects.get().language == language


def test_signup_language_follows_the_language_switcher_cookie(client, settings):
    settings.LANGUAGE_CODE = "de"
    client.cookies["ctf_language"] = "en"
    sign_up(client, HTTP_ACCEPT_LANGUAGE="de")

    assert User.objects.get().language == "en"


def test_signup_refuses_a_taken_email_address(client):
    make_user(Role.APPLICANT, email="taken@example.org")

    response = sign_up(client, email="Taken@example.org")

    # allauth does not reveal the account: it answers as for a new one, sends no
    # verification link for a second account and creates no user.
    assert User.objects.filter(email__iexact="taken@example.org").count() == 1
    assert all("/accounts/confirm-email/" not in m.body for m in mail.outbox)
    assert response.status_code == 302


def test_signup_refuses_mismatching_passwords(client):
    response = client.post(
        "/accounts/signup/",
        {"email": "x@example.org", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"},
    )

    assert response.status_code == 200
    assert "You must type the same password each time." in response.content.decode()
    assert User.objects.count() == 0
    assert mail.outbox == []


def test_unverified_user_cannot_log_in(client):
    sign_up(client)
    client.logout()
    mail.outbox.clear()

    response = client.post(
        "/accounts/login/", {"login": "new.person@example.org", "password": NEW_PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert signed_in_user_id(client) is None
    # A fresh verification link is sent on the attempt.
    assert len(mail.outbox) == 1
    assert "/accounts/confirm-email/" in only_link(mail.outbox[0])
    assert client.get("/applicant/")["Location"] == "/accounts/login/?next=/applicant/"


def test_confirmation_link_shows_a_page_and_post_verifies_and_signs_in(client):
    sign_up(client)
    link = only_link(mail.outbox[0])

    page = client.get(link)

    assert page.status_code == 200
    assert "new.person@example.org" in page.content.decode()
    assert EmailAddress.objects.get().verified is False  # a GET never confirms
    assert signed_in_user_id(client) is None

    response = client.post(link)

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    assert EmailAddress.objects.get().verified is True
    user = User.objects.get()
    assert signed_in_user_id(client) == str(user.pk)
    dashboard = client.get("/dashboard/")
    assert dashboard.status_code == 302
    assert dashboard["Location"] == "/applicant/"


def test_confirmation_in_another_browser_verifies_without_signing_in(client, django_user_model):
    from django.test import Client

    sign_up(client)
    link = only_link(mail.outbox[0])
    other = Client()

    response = other.post(link)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert EmailAddress.objects.get().verified is True
    assert signed_in_user_id(other) is None
    login = other.post(
        "/accounts/login/", {"login": "new.person@example.org", "password": NEW_PASSWORD}
    )
    assert login["Location"] == "/dashboard/"
    assert signed_in_user_id(other) == str(django_user_model.objects.get().pk)


def test_invalid_confirmation_key_verifies_nothing(client):
    sign_up(client)

    page = client.get("/accounts/confirm-email/not-a-real-key/")
    client.post("/accounts/confirm-email/not-a-real-key/")

    assert page.status_code == 200
    assert "This e-mail confirmation link expired or is invalid." in page.content.decode()
    assert EmailAddress.objects.get().verified is False
    assert signed_in_user_id(client) is None


# Login and logout -------------------------------------------------------------------------


def test_login_with_email_and_password(client):
    user = make_user(Role.APPLICANT, email="ada@example.org")

    page = client.get("/accounts/login/")
    response = client.post("/accounts/login/", {"login": "ada@example.org", "password": PASSWORD})

    assert page.status_code == 200
    assert 'name="login"' in page.content.decode()
    assert 'type="email"' in page.content.decode()
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    assert signed_in_user_id(client) == str(user.pk)


def test_login_ignores_the_case_of_the_email_address(client):
    user = make_user(Role.APPLICANT, email="ada@example.org")

    response = client.post("/accounts/login/", {"login": "ADA@Example.ORG", "password": PASSWORD})

    assert response["Location"] == "/dashboard/"
    assert signed_in_user_id(client) == str(user.pk)


def test_login_follows_a_safe_next_url_only(client):
    make_user(Role.APPLICANT, email="ada@example.org")

    response = client.post(
        "/accounts/login/?next=https://evil.example/",
        {"login": "ada@example.org", "password": PASSWORD},
    )

    assert response["Location"] == "/dashboard/"


def test_wrong_password_is_refused_with_a_message(client):
    make_user(Role.APPLICANT, email="ada@example.org")

    response = client.post(
        "/accounts/login/", {"login": "ada@example.org", "password": "not-the-password"}
    )

    assert response.status_code == 200
    assert (
        "The e-mail address and/or password you specified are not correct."
        in response.content.decode()
    )
    assert signed_in_user_id(client) is None


def test_unknown_email_is_refused_with_the_same_message(client):
    response = client.post(
        "/accounts/login/", {"login": "nobody@example.org", "password": PASSWORD}
    )

    assert response.status_code == 200
    assert (
        "The e-mail address and/or password you specified are not correct."
        in response.content.decode()
    )
    assert signed_in_user_id(client) is None


def test_inactive_user_cannot_log_in(client):
    make_user(Role.APPLICANT, email="ada@example.org", is_active=False)

    response = client.post("/accounts/login/", {"login": "ada@example.org", "password": PASSWORD})

    assert signed_in_user_id(client) is None
    assert response.status_code == 302
    assert response["Location"] == "/accounts/inactive/"


def test_logout_needs_a_post(client):
    user = make_user(Role.APPLICANT)
    client.force_login(user)

    page = client.get("/accounts/logout/")

    assert page.status_code == 200
    assert signed_in_user_id(client) == str(user.pk)

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_user_id(client) is None
    assert client.get("/applicant/")["Location"] == "/accounts/login/?next=/applicant/"


def test_every_page_offers_logout_as_a_post_form(client):
    client.force_login(make_user(Role.APPLICANT))

    html = client.get("/").content.decode()

    assert re.search(r'<form method="post" action="/accounts/logout/"', html)


# Password reset ---------------------------------------------------------------------------


def test_password_reset_by_email_link(client):
    user = make_user(Role.APPLICANT, email="ada@example.org")

    request = client.post("/accounts/password/reset/", {"email": "ada@example.org"})

    assert request.status_code == 302
    assert request["Location"] == "/accounts/password/reset/done/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ada@example.org"]
    assert mail.outbox[0].subject == "[Civic Tech Fund] Password reset"
    link = only_link(mail.outbox[0])
    assert link.startswith("/accounts/password/reset/key/")

    # allauth moves the key from the URL into the session, then shows the form.
    key_page = client.get(link)
    assert key_page.status_code == 302
    form_url = key_page["Location"]
    assert form_url.endswith("-set-password/")
    form = client.get(form_url)
    assert form.status_code == 200
    assert 'name="password1"' in form.content.decode()

    done = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert done.status_code == 302
    assert done["Location"] == "/accounts/password/reset/key/done/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not user.check_password(PASSWORD)

    client.logout()
    old = client.post("/accounts/login/", {"login": "ada@example.org", "password": PASSWORD})
    assert old.status_code == 200
    assert signed_in_user_id(client) is None
    new = client.post("/accounts/login/", {"login": "ada@example.org", "password": NEW_PASSWORD})
    assert new["Location"] == "/dashboard/"
    assert signed_in_user_id(client) == str(user.pk)


def test_password_reset_link_works_once(client):
    user = make_user(Role.APPLICANT, email="ada@example.org")
    client.post("/accounts/password/reset/", {"email": "ada@example.org"})
    link = only_link(mail.outbox[0])
    form_url = client.get(link)["Location"]
    client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    from django.test import Client

    again = Client().get(link, follow=True)

    assert again.status_code == 200
    assert "Invalid link" in again.content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_password_reset_for_an_unknown_address_sends_no_key(client):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/done/"
    assert all("/password/reset/key/" not in m.body for m in mail.outbox)


# E-mail change ----------------------------------------------------------------------------


def test_email_page_requires_login(client):
    response = client.get("/accounts/email/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/email/"


def test_email_change_page_for_a_logged_in_user(client):
    user = make_user(Role.APPLICANT, email="ada@example.org")
    client.force_login(user)

    page = client.get("/accounts/email/")

    assert page.status_code == 200
    html = page.content.decode()
    assert "ada@example.org" in html
    assert 'name="email"' in html


def test_email_change_is_verified_before_it_takes_effect(client):
    user = make_user(Role.APPLICANT, email="ada@example.org")
    client.force_login(user)
    reauthenticate(client)  # tests/accounts/test_email_change.py: asked for first

    response = client.post(
        "/accounts/email/", {"action_add": "", "email": "ada.lovelace@example.org"}
    )

    assert response.status_code == 302
    confirmations = [m for m in mail.outbox if m.to == ["ada.lovelace@example.org"]]
    assert len(confirmations) == 1
    # The old address is told of the new one (and later of the change).
    assert [m.to for m in mail.outbox if m not in confirmations] == [["ada@example.org"]]
    mail.outbox[:] = confirmations
    user.refresh_from_db()
    assert user.email == "ada@example.org"
    assert set(EmailAddress.objects.values_list("email", "verified", "primary")) == {
        ("ada@example.org", True, True),
        ("ada.lovelace@example.org", False, False),
    }

    client.post(only_link(mail.outbox[0]))

    user.refresh_from_db()
    assert user.email == "ada.lovelace@example.org"
    assert list(EmailAddress.objects.values_list("email", "verified", "primary")) == [
        ("ada.lovelace@example.org", True, True)
    ]


def test_the_verification_page_says_how_to_get_a_new_link(client, settings):
    sign_up(client)

    page = client.get("/accounts/confirm-email/").content.decode()

    assert "<h1>Confirm your e-mail address</h1>" in page
    assert (
        '<a href="/accounts/login/">Sign in</a> with your e-mail address and password: we then '
        "send you a new link (at most one every three minutes). A link is valid for three days."
    ) in page
    # The page's numbers are the settings' numbers (the test settings switch the limits off).
    from config.settings import base

    assert base.ACCOUNT_RATE_LIMITS["confirm_email"] == "1/3m/key"
    assert getattr(settings, "ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS", 3) == 3


def test_the_verification_page_in_german(client):
    sign_up(client)

    page = client.get("/accounts/confirm-email/", HTTP_ACCEPT_LANGUAGE="de").content.decode()

    assert "<h1>Bestätigen Sie Ihre E-Mail-Adresse</h1>" in page
    assert '<a href="/accounts/login/">Melden Sie sich</a> mit Ihrer E-Mail-Adresse' in page


def test_signing_in_again_after_three_minutes_sends_a_new_link(client, settings):
    import time_machine

    from config.settings import base

    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS
    with time_machine.travel("2026-12-01 10:00", tick=False) as traveller:
        sign_up(client)
        credentials = {"login": "new.person@example.org", "password": NEW_PASSWORD}
        client.post("/accounts/login/", credentials)
        mail.outbox.clear()
        client.post("/accounts/login/", credentials)
        assert mail.outbox == []  # within three minutes: no second mail
        traveller.shift(181)
        client.post("/accounts/login/", credentials)

    assert len(mail.outbox) == 1
    assert "/accounts/confirm-email/" in only_link(mail.outbox[0])
