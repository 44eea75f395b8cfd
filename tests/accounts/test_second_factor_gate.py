"""Regression tests of the security review (issue 6, findings 1 and 2): one login for
everyone, the admin site included, and a session without its second factor reaches nothing
but signing in and out, the login's second-factor step, enrolment and public pages. The last
second factor of a role that requires one cannot be removed, only replaced; if it
disappears anyway, the next request stops at the gate."""

import pytest
from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.db import connection
from django.utils import timezone

from accounts.last_factor import replacing_second_factor
from accounts.roles import Role
from config.settings import base
from tests.accounts.helpers import INBOX_COUNT, make_role_user, session_methods, signed_in_user_id
from tests.factories import PASSWORD, CallFactory, current_totp_code, make_user, mark_session_mfa

pytestmark = pytest.mark.django_db

ROLES = ["juror", "staff", "ministry", "admin"]
GATE = "/account/security-required/?next="


def gate_for(url):
    return GATE + url.replace("/", "%2F").replace("?", "%3F").replace("=", "%3D")


def add_security_key(user, name="Key"):
    return Authenticator.objects.create(
        user=user, type=Authenticator.Type.WEBAUTHN, data={"name": name}
    )


def confirm_session(client, user, authenticator):
    """A session that passed allauth's second-factor step with ``authenticator``."""
    client.force_login(user)
    session = client.session
    now = timezone.now().timestamp()
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": now},
        {"method": "mfa", "at": now, "id": authenticator.pk, "type": authenticator.type},
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()


def remove_outside_the_application(user):
    """What no page and no model method allows (accounts.last_factor): a row deleted in the
    database directly."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM mfa_authenticator WHERE user_id = %s", [user.pk])


def reauthenticate(client):
    response = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302
    return response


# Finding 1: the admin login ---------------------------------------------------------------


def test_admin_login_page_sends_to_allauths_login(client):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"


def test_admin_login_form_does_not_sign_in_with_the_password(client):
    admin = make_role_user("admin")

    response = client.post(
        "/admin/login/?next=/admin/", {"username": admin.email, "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"
    assert signed_in_user_id(client) is None
    assert client.get("/admin/")["Location"] == "/admin/login/?next=/admin/"


def test_the_admin_site_is_reached_through_allauths_login_with_totp(client):
    admin = make_role_user("admin")

    to_login = client.get("/admin/login/?next=/admin/")["Location"]
    password = client.post(to_login, {"login": admin.email, "password": PASSWORD})
    code = client.post(password["Location"], {"code": current_totp_code()})

    assert password["Location"] == "/accounts/2fa/authenticate/"
    assert code["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_only_login_is_rate_limited(client, settings):
    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS
    admin = make_role_user("admin")
    for _ in range(5):
        client.post("/accounts/login/", {"login": admin.email, "password": "wrong"})

    through_admin = client.post(
        "/admin/login/", {"username": admin.email, "password": PASSWORD}, follow=True
    )
    through_allauth = client.post("/accounts/login/", {"login": admin.email, "password": PASSWORD})

    assert signed_in_user_id(client) is None
    assert through_admin.redirect_chain[0] == ("/accounts/login/?next=%2Fadmin%2Flogin%2F", 302)
    assert "Too many failed login attempts" in through_allauth.content.decode()


def test_a_staff_user_already_signed_in_cannot_use_the_admin_login_for_another_user(client):
    staff_user = make_user(Role.STAFF, is_staff=True)
    admin = make_role_user("admin")
    mark_session_mfa(client, staff_user)

    response = client.post("/admin/login/", {"username": admin.email, "password": PASSWORD})

    assert signed_in_user_id(client) == str(staff_user.pk)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


# Finding 1: what a session without its second factor may reach ----------------------------

# Re-authentication, recovery codes, authenticator changes, e-mail and password, the admin
# site and the role pages: all closed while the session has not used the second factor.
CLOSED_WITH_AUTHENTICATOR = [
    "/accounts/reauthenticate/",
    "/accounts/2fa/reauthenticate/",
    "/accounts/2fa/",
    "/accounts/2fa/recovery-codes/",
    "/accounts/2fa/recovery-codes/download/",
    "/accounts/2fa/recovery-codes/generate/",
    "/accounts/2fa/totp/activate/",
    "/accounts/2fa/totp/deactivate/",
    "/accounts/2fa/totp/replace/",
    "/accounts/2fa/webauthn/",
    "/accounts/2fa/webauthn/add/",
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/password/set/",
    "/accounts/password/reset/",
    "/admin/",
    "/admin/login/",
    "/admin/accounts/user/",
    "/admin/mfa/authenticator/",
    "/dashboard/",
    "/staff/",
    "/jury/",
    "/ministry/",
    "/applicant/",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", CLOSED_WITH_AUTHENTICATOR)
def test_password_only_session_with_authenticator_reaches_only_the_gate(client, role, url):
    # The session Django's admin login used to make: signed in, no second factor used.
    client.force_login(make_role_user(role))

    get = client.get(url)
    post = client.post(url, {"password": PASSWORD})

    assert get.status_code == 302
    assert get["Location"] == gate_for(url)
    assert post.status_code == 302
    assert post["Location"] == gate_for(url)


def test_the_recovery_code_attack_is_closed(client):
    """The reviewer's path: password-only session → re-authenticate with the password →
    list the recovery codes → pass the second-factor step with one → /admin/."""
    admin = make_role_user("admin")
    RecoveryCodes.activate(admin)
    client.force_login(admin)

    reauth = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    codes = client.get("/accounts/2fa/recovery-codes/")
    download = client.get("/accounts/2fa/recovery-codes/download/")
    deactivate = client.post("/accounts/2fa/totp/deactivate/")
    mfa_reauth = client.post("/accounts/2fa/reauthenticate/", {"code": "anything"})

    for response in (reauth, codes, download, deactivate, mfa_reauth):
        assert response.status_code == 302
        assert response["Location"].startswith(GATE)
    assert session_methods(client, admin) == []
    assert Authenticator.objects.filter(user=admin, type=Authenticator.Type.TOTP).exists()
    assert client.get("/admin/")["Location"] == gate_for("/admin/")
    assert client.get("/staff/")["Location"] == gate_for("/staff/")


@pytest.mark.parametrize("role", ROLES)
def test_password_only_session_reaches_sign_out_and_public_pages(client, role):
    call = CallFactory()
    client.force_login(make_role_user(role))

    for url in (
        "/",
        f"/calls/{call.slug}/",
        "/imprint/",
        "/privacy/",
        "/accessibility/",
        "/account/security-required/",
        "/accounts/logout/",
    ):
        assert client.get(url).status_code == 200, url
    assert client.post("/accounts/logout/")["Location"] == "/"
    assert signed_in_user_id(client) is None


@pytest.mark.urls("tests.accounts.urls_with_a_namespace")
@pytest.mark.parametrize("role", ROLES)
def test_the_gate_reads_open_page_names_only_outside_namespaces(client, role):
    """The page "plugin:home" is not the public "home": the allow-list names our own pages,
    so a namespaced page that happens to share a name stays closed."""
    client.force_login(make_role_user(role))

    public = client.get("/")
    namespaced = client.get("/plugin/")

    assert public.status_code == 200
    assert namespaced.status_code == 302
    assert namespaced["Location"] == gate_for("/plugin/")


# Without any second factor: enrolment is open, nothing else.

OPEN_FOR_ENROLMENT = ["/accounts/2fa/", "/accounts/reauthenticate/"]
CLOSED_WITHOUT_AUTHENTICATOR = [
    "/accounts/2fa/reauthenticate/",
    "/accounts/2fa/recovery-codes/",
    "/accounts/2fa/recovery-codes/generate/",
    "/accounts/2fa/totp/deactivate/",
    "/accounts/2fa/webauthn/",
    "/accounts/email/",
    "/accounts/password/change/",
    "/admin/",
    "/staff/",
]


@pytest.mark.parametrize("role", ROLES)
def test_without_authenticator_only_enrolment_opens(client, role):
    client.force_login(make_role_user(role, mfa=False))
    assert OPEN_FOR_ENROLMENT and CLOSED_WITHOUT_AUTHENTICATOR  # the loops below check something

    for url in OPEN_FOR_ENROLMENT:
        assert client.get(url).status_code == 200, url
    # allauth confirms the password before it adds an authenticator.
    for url in ("/accounts/2fa/totp/activate/", "/accounts/2fa/webauthn/add/"):
        response = client.get(url)
        assert response["Location"].startswith("/accounts/reauthenticate/?next="), url
    for url in CLOSED_WITHOUT_AUTHENTICATOR:
        assert client.get(url)["Location"] == gate_for(url), url


def test_enrolment_closes_for_a_second_authenticator_until_the_first_was_used(client):
    """Otherwise a password-only session could add its own security key next to the real
    owner's authenticator app and sign in with it."""
    juror = make_role_user("juror")
    client.force_login(juror)

    response = client.post("/accounts/2fa/webauthn/add/", {"name": "Attacker's key"})

    assert response["Location"] == gate_for("/accounts/2fa/webauthn/add/")
    assert not Authenticator.objects.filter(type=Authenticator.Type.WEBAUTHN).exists()


def test_an_applicant_is_not_gated(client):
    applicant = make_user(Role.APPLICANT)
    client.force_login(applicant)

    assert client.get("/accounts/email/").status_code == 200
    assert client.get("/applicant/").status_code == 200


def test_a_user_who_may_open_the_admin_site_needs_a_second_factor(client):
    client.force_login(make_user(is_staff=True))

    assert client.get("/admin/")["Location"] == gate_for("/admin/")


# Finding 2: the last second factor stays ---------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_only_authenticator_app_of_an_mfa_role_cannot_be_deactivated(client, role):
    user = make_role_user(role)
    mark_session_mfa(client, user)
    reauthenticate(client)

    form = client.get("/accounts/2fa/totp/deactivate/")
    response = client.post("/accounts/2fa/totp/deactivate/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Your role requires a second factor and this is your only one" in html
    assert 'href="/accounts/2fa/totp/replace/"' in html
    assert "Your role requires a second factor" in form.content.decode()
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).count() == 1


def test_an_authenticator_app_can_go_while_a_security_key_remains(client):
    juror = make_role_user("juror")
    key = add_security_key(juror)
    mark_session_mfa(client, juror)
    reauthenticate(client)

    response = client.post("/accounts/2fa/totp/deactivate/")

    assert response["Location"] == "/accounts/2fa/"
    assert list(
        Authenticator.objects.filter(user=juror).exclude(type=Authenticator.Type.RECOVERY_CODES)
    ) == [key]


def test_the_only_security_key_of_an_mfa_role_cannot_be_removed(client):
    juror = make_role_user("juror", mfa=False)
    key = add_security_key(juror)
    confirm_session(client, juror, key)
    reauthenticate(client)

    response = client.post(f"/accounts/2fa/webauthn/keys/{key.pk}/remove/", follow=True)

    assert response.redirect_chain == [("/accounts/2fa/webauthn/", 302)]
    assert "Your role requires a second factor and this is your only one" in (
        response.content.decode()
    )
    assert Authenticator.objects.filter(pk=key.pk).exists()


def test_a_security_key_can_go_while_an_authenticator_app_remains(client):
    juror = make_role_user("juror")
    key = add_security_key(juror)
    mark_session_mfa(client, juror)
    reauthenticate(client)

    response = client.post(f"/accounts/2fa/webauthn/keys/{key.pk}/remove/")

    assert response["Location"] == "/accounts/2fa/webauthn/"
    assert not Authenticator.objects.filter(pk=key.pk).exists()


def test_someone_elses_security_key_is_not_found(client):
    juror = make_role_user("juror")
    other_key = add_security_key(make_role_user("juror"))
    mark_session_mfa(client, juror)
    reauthenticate(client)

    response = client.post(f"/accounts/2fa/webauthn/keys/{other_key.pk}/remove/")

    assert response.status_code == 404
    assert Authenticator.objects.filter(pk=other_key.pk).exists()


def test_an_applicant_may_deactivate_an_optional_authenticator_app(client):
    applicant = make_user(Role.APPLICANT, mfa=True)
    mark_session_mfa(client, applicant)
    reauthenticate(client)

    response = client.post("/accounts/2fa/totp/deactivate/")

    assert response["Location"] == "/accounts/2fa/"
    assert not Authenticator.objects.filter(user=applicant).exists()


def test_replacing_the_authenticator_app_keeps_the_session_and_the_recovery_codes(client):
    juror = make_role_user("juror")
    recovery_codes = RecoveryCodes.activate(juror).get_unused_codes()
    old = Authenticator.objects.get(user=juror, type=Authenticator.Type.TOTP)
    mark_session_mfa(client, juror)
    reauthenticate(client)

    form = client.get("/accounts/2fa/totp/replace/")
    secret = client.session["mfa.totp.secret"]
    wrong = client.post("/accounts/2fa/totp/replace/", {"code": current_totp_code(offset=10)})
    assert Authenticator.objects.get(user=juror, type=Authenticator.Type.TOTP) == old
    done = client.post("/accounts/2fa/totp/replace/", {"code": current_totp_code(secret)})

    assert form.status_code == 200
    assert secret in form.content.decode()
    assert "Incorrect code." in wrong.content.decode()
    assert done["Location"] == "/accounts/2fa/"
    new = Authenticator.objects.get(user=juror, type=Authenticator.Type.TOTP)
    assert new.pk != old.pk
    assert TOTP(new).validate_code(current_totp_code(secret, offset=-1))
    assert "mfa.totp.secret" not in client.session
    assert client.get("/jury/").status_code == 200
    assert (
        Authenticator.objects.get(user=juror, type=Authenticator.Type.RECOVERY_CODES)
        .wrap()
        .get_unused_codes()
        == recovery_codes
    )


def test_replacing_needs_an_authenticator_app_to_replace(client):
    juror = make_role_user("juror", mfa=False)
    key = add_security_key(juror)
    confirm_session(client, juror, key)
    reauthenticate(client)

    assert client.get("/accounts/2fa/totp/replace/")["Location"] == "/accounts/2fa/totp/activate/"


@pytest.mark.parametrize("role", ROLES)
def test_a_vanished_second_factor_stops_the_session_at_the_next_request(client, role):
    user = make_role_user(role)
    mark_session_mfa(client, user)
    page = "/jury/" if role == "juror" else "/ministry/" if role == "ministry" else "/staff/"
    assert client.get(page).status_code == 200

    remove_outside_the_application(user)

    assert client.get(page)["Location"] == gate_for(page)
    assert client.get("/account/security-required/").context["has_second_factor"] is False


def test_a_session_confirmed_with_a_replaced_authenticator_stops_at_the_gate(client):
    juror = make_role_user("juror")
    mark_session_mfa(client, juror)
    # Another session (the owner's) replaces the authenticator app: this one used the old.
    with replacing_second_factor(juror):
        Authenticator.objects.filter(user=juror).delete()
        TOTP.activate(juror, "NEWSECRETNEWSECRETNEWSECRETNEW22")

    response = client.get("/jury/")

    assert response["Location"] == gate_for("/jury/")


# Query counts -----------------------------------------------------------------------------


@pytest.mark.parametrize("keys", [1, 3])
def test_replace_page_makes_a_fixed_number_of_queries(client, django_assert_num_queries, keys):
    juror = make_role_user("juror")
    for number in range(keys):
        add_security_key(juror, name=f"Key {number}")
    mark_session_mfa(client, juror)
    reauthenticate(client)

    # Session, user, groups, the gate's authenticators; allauth's re-authentication check
    # (verified addresses, then one query per authenticator type: 4); "has an app?"; the new
    # secret saved in the session (savepoint, update, release); the inbox count.
    with django_assert_num_queries(12 + INBOX_COUNT):
        response = client.get("/accounts/2fa/totp/replace/")

    assert response.status_code == 200


@pytest.mark.parametrize("keys", [1, 3])
def test_security_page_makes_a_fixed_number_of_queries(client, django_assert_num_queries, keys):
    juror = make_role_user("juror")
    for number in range(keys):
        add_security_key(juror, name=f"Key {number}")
    client.force_login(juror)

    # Session, user, groups, the gate's authenticators (read once for the page too).
    with django_assert_num_queries(4):
        response = client.get("/account/security-required/")

    assert response.context["has_second_factor"] is True
