"""Second factor: required for jurors, staff, ministry viewers and admins, not for applicants.
Everything goes through allauth's real login, 2FA and reauthentication views."""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.test import Client

from accounts.roles import Role
from tests.accounts.helpers import make_role_user, session_methods, signed_in_user_id
from tests.factories import PASSWORD, TOTP_SECRET, current_totp_code, make_user

pytestmark = pytest.mark.django_db

# (role, the role's start page). Admins are superusers and work on the staff pages.
MFA_ROLES = [
    pytest.param("juror", "/inbox/", id="juror"),
    pytest.param("staff", "/inbox/", id="staff"),
    pytest.param("ministry", "/ministry/", id="ministry"),
    pytest.param("admin", "/inbox/", id="admin"),
]


def password_login(client, user, next_url=None):
    url = "/accounts/login/" + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"login": user.email, "password": PASSWORD})


def full_login(client, user, code=None):
    """Password, then the TOTP code, through allauth's views."""
    first = password_login(client, user)
    assert first["Location"] == "/accounts/2fa/authenticate/"
    return client.post("/accounts/2fa/authenticate/", {"code": code or current_totp_code()})


# Without an authenticator -----------------------------------------------------------------


@pytest.mark.parametrize(("role", "role_page"), MFA_ROLES)
def test_without_authenticator_role_page_sends_to_security_required(client, role, role_page):
    user = make_role_user(role, mfa=False)

    login = password_login(client, user)
    response = client.get(role_page)

    # No authenticator: allauth lets the password alone sign in …
    assert login["Location"] == "/dashboard/"
    assert signed_in_user_id(client) == str(user.pk)
    # … but the role page is closed until a second factor is set up.
    assert response.status_code == 302
    assert (
        response["Location"] == f"/account/security-required/?next={role_page.replace('/', '%2F')}"
    )


@pytest.mark.parametrize(("role", "role_page"), MFA_ROLES)
def test_dashboard_redirect_of_mfa_role_without_authenticator_ends_at_security_required(
    client, role, role_page
):
    password_login(client, make_role_user(role, mfa=False))

    response = client.get("/dashboard/", follow=True)

    # The second-factor gate answers before any role page: every page but the account
    # pages and public texts is closed until the second factor is set up.
    assert response.redirect_chain == [("/account/security-required/?next=%2Fdashboard%2F", 302)]
    assert response.status_code == 200


def test_security_required_page_explains_in_english(client):
    password_login(client, make_role_user("juror", mfa=False))

    response = client.get("/account/security-required/?next=/jury/", HTTP_ACCEPT_LANGUAGE="en")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en"' in html
    assert "<h1>Two-factor authentication required</h1>" in html
    assert "Install an authenticator app on your phone." in html
    assert 'href="/accounts/2fa/totp/activate/"' in html


def test_security_required_page_is_served_in_german(client, settings):
    settings.LANGUAGE_CODE = "de"
    password_login(client, make_role_user("juror", mfa=False))

    by_header = client.get("/account/security-required/?next=/jury/", HTTP_ACCEPT_LANGUAGE="de")
    client.cookies["ctf_language"] = "de"
    by_cookie = client.get("/account/security-required/?next=/jury/", HTTP_ACCEPT_LANGUAGE="en")

    pages = [(r.status_code, r.content.decode()) for r in (by_header, by_cookie)]
    assert [status for status, _html in pages] == [200, 200]
    assert all('<html lang="de"' in html for _status, html in pages)
    assert all('href="/accounts/2fa/totp/activate/"' in html for _status, html in pages)


def test_security_required_page_explains_in_german_words(client, settings):
    settings.LANGUAGE_CODE = "de"
    password_login(client, make_role_user("juror", mfa=False))

    html = client.get(
        "/account/security-required/?next=/jury/", HTTP_ACCEPT_LANGUAGE="de"
    ).content.decode()

    assert "Two-factor authentication required" not in html
    assert "Install an authenticator app" not in html
    assert re.search(r"<h1>[^<]*Zwei-Faktor[^<]*</h1>", html)


def test_security_required_page_needs_login(client):
    response = client.get("/account/security-required/?next=/jury/")

    assert response.status_code == 302
    assert response["Location"] == (
        "/accounts/login/?next=/account/security-required/%3Fnext%3D/jury/"
    )


def test_security_required_page_with_authenticator_offers_to_sign_in_again(client):
    user = make_role_user("staff", mfa=True)
    client.force_login(user)

    html = client.get("/account/security-required/?next=/staff/").content.decode()

    assert '<form method="post" action="/account/sign-in-again/">' in html
    assert '<input type="hidden" name="next" value="/staff/">' in html
    # Neither re-authentication nor enrolment is offered: both wait for the second factor.
    assert "reauthenticate" not in html
    assert "/accounts/2fa/totp/activate/" not in html


def test_security_required_page_drops_an_offsite_next_url(client):
    user = make_role_user("staff", mfa=True)
    client.force_login(user)

    html = client.get("/account/security-required/?next=https://evil.example/").content.decode()

    assert '<input type="hidden" name="next" value="">' in html
    assert 'value="https://evil.example/"' not in html


def test_sign_in_again_ignores_an_offsite_next_url(client):
    client.force_login(make_role_user("staff", mfa=True))

    response = client.post("/account/sign-in-again/", {"next": "https://evil.example/"})

    assert response["Location"] == "/accounts/login/"
    assert signed_in_user_id(client) is None


# Transactional: allauth records the new authenticator when its transaction commits, inside
# the request, as in production.
@pytest.mark.django_db(transaction=True)
def test_setting_up_totp_through_allauth_then_reaching_the_role_page(client):
    """The path a new juror takes: password login → security-required page → confirm the
    password → scan the secret and enter a code → recovery codes → the jury page. Enrolment
    checks a code of the new app, so the session counts as signed in with it from then on."""
    user = make_role_user("juror", mfa=False)
    password_login(client, user)
    assert client.get("/jury/")["Location"] == "/account/security-required/?next=%2Fjury%2F"

    # Adding an authenticator is a sensitive operation: allauth asks for the password again.
    activate = client.get("/accounts/2fa/totp/activate/")
    assert activate.status_code == 302
    assert activate["Location"] == (
        "/accounts/reauthenticate/?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F"
    )
    confirmed_password = client.post(activate["Location"], {"password": PASSWORD})
    assert confirmed_password["Location"] == "/accounts/2fa/totp/activate/"
    form = client.get("/accounts/2fa/totp/activate/")
    assert form.status_code == 200
    secret = client.session["mfa.totp.secret"]
    assert secret in form.content.decode()

    done = client.post("/accounts/2fa/totp/activate/", {"code": current_totp_code(secret)})

    assert done.status_code == 302
    assert done["Location"] == "/accounts/2fa/recovery-codes/"
    totp = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    # allauth hands out recovery codes together with the first authenticator.
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists()
    assert session_methods(client, user) == ["password", "password", "mfa"]
    codes = client.get("/accounts/2fa/recovery-codes/")
    assert codes.status_code == 200
    assert (
        codes.context["unused_codes"]
        == totp.user.authenticator_set.get(type=Authenticator.Type.RECOVERY_CODES)
        .wrap()
        .get_unused_codes()
    )
    assert "Your second factor is set up and this session is confirmed with it." in (
        codes.content.decode()
    )
    assert client.get("/jury/").status_code == 200

    # The next sign-in asks for a code of the new app.
    client.post("/accounts/logout/")
    assert password_login(client, user)["Location"] == "/accounts/2fa/authenticate/"
    assert signed_in_user_id(client) is None


# Authenticator, but a session without the second factor -----------------------------------


@pytest.mark.parametrize(("role", "role_page"), MFA_ROLES)
def test_password_only_session_is_sent_to_the_security_page(client, role, role_page):
    user = make_role_user(role, mfa=False)
    password_login(client, user)
    # The authenticator is added after the password-only login of this session.
    TOTP.activate(user, TOTP_SECRET)

    response = client.get(role_page)

    assert session_methods(client, user) == ["password"]
    assert response.status_code == 302
    assert response["Location"] == (
        f"/account/security-required/?next={role_page.replace('/', '%2F')}"
    )


@pytest.mark.parametrize(("role", "role_page"), MFA_ROLES)
def test_session_without_any_authentication_record_is_sent_to_the_security_page(
    client, role, role_page
):
    client.force_login(make_role_user(role, mfa=True))

    response = client.get(role_page)

    assert response.status_code == 302
    assert response["Location"] == (
        f"/account/security-required/?next={role_page.replace('/', '%2F')}"
    )


@pytest.mark.parametrize(("role", "role_page"), MFA_ROLES)
def test_signing_in_again_with_totp_opens_the_role_page(client, role, role_page):
    user = make_role_user(role, mfa=False)
    password_login(client, user)
    TOTP.activate(user, TOTP_SECRET)
    gate = client.get(role_page)["Location"]

    page = client.get(gate)
    signed_out = client.post("/account/sign-in-again/", {"next": role_page})
    password = client.post(signed_out["Location"], {"login": user.email, "password": PASSWORD})
    confirmed = client.post(password["Location"], {"code": current_totp_code()})

    assert "Sign in again" in page.content.decode()
    assert signed_out["Location"] == f"/accounts/login/?next={role_page.replace('/', '%2F')}"
    assert password["Location"] == "/accounts/2fa/authenticate/"
    assert confirmed["Location"] == role_page
    assert session_methods(client, user) == ["password", "mfa"]
    assert client.get(role_page).status_code == 200


# The full login flow ----------------------------------------------------------------------


@pytest.mark.parametrize(("role", "role_page"), MFA_ROLES)
def test_password_alone_does_not_sign_in_a_user_with_authenticator(client, role, role_page):
    user = make_role_user(role, mfa=True)

    response = password_login(client, user)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert signed_in_user_id(client) is None
    assert client.get(role_page)["Location"] == f"/accounts/login/?next={role_page}"
    form = client.get("/accounts/2fa/authenticate/")
    assert form.status_code == 200
    assert 'name="code"' in form.content.decode()


@pytest.mark.parametrize(("role", "role_page"), MFA_ROLES)
def test_full_login_with_totp_opens_the_role_page(client, role, role_page):
    user = make_role_user(role, mfa=True)

    response = full_login(client, user)

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    assert signed_in_user_id(client) == str(user.pk)
    assert session_methods(client, user) == ["password", "mfa"]
    assert client.get("/dashboard/")["Location"] == role_page
    assert client.get(role_page).status_code == 200


@pytest.mark.parametrize(("role", "role_page"), MFA_ROLES)
def test_full_login_returns_to_the_requested_role_page(client, role, role_page):
    user = make_role_user(role, mfa=True)
    to_login = client.get(role_page)["Location"]
    assert to_login == f"/accounts/login/?next={role_page}"

    client.post(to_login, {"login": user.email, "password": PASSWORD})
    response = client.post("/accounts/2fa/authenticate/", {"code": current_totp_code()})

    assert response["Location"] == role_page
    assert client.get(role_page).status_code == 200


def test_wrong_totp_code_is_refused(client):
    user = make_role_user("staff", mfa=True)

    response = full_login(client, user, code=current_totp_code(offset=10))

    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert signed_in_user_id(client) is None
    # The login is still pending: the right code finishes it.
    retry = client.post("/accounts/2fa/authenticate/", {"code": current_totp_code()})
    assert retry["Location"] == "/dashboard/"
    assert signed_in_user_id(client) == str(user.pk)


def test_totp_code_of_the_adjacent_window_is_accepted_with_tolerance_one(client):
    assert settings.MFA_TOTP_TOLERANCE == 1
    user = make_role_user("juror", mfa=True)

    # The next window (a phone clock a little ahead). Should the window change during the
    # test, the code becomes the current one: still accepted, so this cannot flake.
    response = full_login(client, user, code=current_totp_code(offset=1))

    assert response["Location"] == "/dashboard/"
    assert signed_in_user_id(client) == str(user.pk)


def test_totp_code_two_windows_old_is_refused(client):
    user = make_role_user("juror", mfa=True)

    # Two windows back (only ever gets older while the test runs).
    response = full_login(client, user, code=current_totp_code(offset=-2))

    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert signed_in_user_id(client) is None


def test_totp_code_cannot_be_used_twice(client):
    user = make_role_user("juror", mfa=True)
    code = current_totp_code()
    first = full_login(client, user, code=code)
    assert first["Location"] == "/dashboard/"

    other = Client()
    replay = full_login(other, user, code=code)

    assert replay.status_code == 200
    assert "Incorrect code." in replay.content.decode()
    assert signed_in_user_id(other) is None
    # A fresh code (the next window, within the tolerance) is accepted.
    fresh = other.post("/accounts/2fa/authenticate/", {"code": current_totp_code(offset=1)})
    assert fresh["Location"] == "/dashboard/"


def test_recovery_code_signs_in_instead_of_totp(client):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    user = make_role_user("ministry", mfa=True)
    recovery_code = RecoveryCodes.activate(user).get_unused_codes()[0]

    response = full_login(client, user, code=recovery_code)

    assert response["Location"] == "/dashboard/"
    assert session_methods(client, user) == ["password", "mfa"]
    assert client.get("/ministry/").status_code == 200


# Applicants -------------------------------------------------------------------------------


def test_applicant_signs_in_with_password_only(client):
    user = make_user(Role.APPLICANT)

    response = password_login(client, user)

    assert response["Location"] == "/dashboard/"
    assert signed_in_user_id(client) == str(user.pk)
    assert session_methods(client, user) == ["password"]
    assert client.get("/dashboard/")["Location"] == "/applicant/"
    assert not Authenticator.objects.filter(user=user).exists()


def test_applicant_area_answers_200_after_a_password_login(client):
    password_login(client, make_user(Role.APPLICANT))

    response = client.get("/applicant/")

    assert response.status_code == 200


def test_mfa_role_holder_who_also_applies_still_needs_mfa_for_the_role_page(client):
    user = make_user(Role.APPLICANT, Role.JUROR, mfa=False)
    password_login(client, user)

    response = client.get("/jury/")

    assert response["Location"] == "/account/security-required/?next=%2Fjury%2F"
