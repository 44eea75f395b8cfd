"""A person who lost their second factor gets it reset by another administrator in the admin
site, after re-authentication and a confirmed identity; logged, and the person is told."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.core import mail
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.events import SECOND_FACTOR_RESET
from accounts.services import SecondFactorResetRefused, reset_second_factor
from tests.accounts.helpers import make_role_user, reauthenticate, sign_in
from tests.factories import make_user
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db

REASON = "Phone lost; called back on the number in our files on 3 December."


@pytest.fixture
def juror():
    user = make_role_user("juror", full_name="Dr. Jana Juror", language="de")
    RecoveryCodes.activate(user)
    return user


@pytest.fixture
def admin():
    return make_role_user("admin", full_name="Ada Admin")


def kinds(user) -> list[str]:
    return sorted(Authenticator.objects.filter(user=user).values_list("type", flat=True))


def url(user) -> str:
    return reverse("admin:accounts_user_reset_mfa", args=[user.pk])


# The service ------------------------------------------------------------------------------


def test_a_reset_removes_every_second_factor_logs_and_tells_the_person(
    juror, admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        removed = reset_second_factor(
            request=RequestFactory().post("/"), user=juror, actor=admin, reason=f"  {REASON}\n"
        )

    assert removed == {"recovery_codes": 1, "totp": 1}
    assert kinds(juror) == []
    entry = TransitionLog.objects.get(action=SECOND_FACTOR_RESET)
    assert (entry.actor, entry.object_id) == (admin, juror.pk)
    assert entry.data == {"reason": REASON, "removed": {"recovery_codes": 1, "totp": 1}}
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [juror.email]
    assert message.subject.endswith("Der zweite Faktor Ihres Kontos wurde zurückgesetzt")
    assert message.body.startswith("Guten Tag Dr. Jana Juror,")
    assert "Wenn Sie das nicht veranlasst haben" in message.body


def test_nobody_resets_their_own_and_the_refusal_changes_nothing(admin):
    before = kinds(admin)

    with pytest.raises(SecondFactorResetRefused, match="another administrator"):
        reset_second_factor(
            request=RequestFactory().post("/"), user=admin, actor=admin, reason=REASON
        )

    assert kinds(admin) == before == ["totp"]
    assert not TransitionLog.objects.filter(action=SECOND_FACTOR_RESET).exists()
    assert mail.outbox == []


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_a_reset_needs_a_reason(juror, admin, reason):
    with pytest.raises(SecondFactorResetRefused, match="Say why"):
        reset_second_factor(
            request=RequestFactory().post("/"), user=juror, actor=admin, reason=reason
        )

    assert kinds(juror) == ["recovery_codes", "totp"]


def test_someone_without_a_second_factor_has_nothing_to_reset(admin):
    applicant = make_user()

    with pytest.raises(SecondFactorResetRefused, match="no second factor"):
        reset_second_factor(
            request=RequestFactory().post("/"), user=applicant, actor=admin, reason=REASON
        )

    assert not TransitionLog.objects.filter(action=SECOND_FACTOR_RESET).exists()


def test_after_a_reset_the_gate_asks_for_a_new_second_factor(client, juror, admin):
    reset_second_factor(request=RequestFactory().post("/"), user=juror, actor=admin, reason=REASON)
    client.force_login(juror)

    response = client.get(reverse("jury_dashboard"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_required"))


# The admin page ---------------------------------------------------------------------------


def test_an_administrator_resets_after_re_authentication(client, juror, admin):
    sign_in(client, admin)

    first = client.get(url(juror))
    assert first.status_code == 302
    assert first["Location"].startswith(reverse("account_reauthenticate"))
    reauthenticate(client)
    page = client.get(url(juror), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert "<li>Authenticator app (set up on " in html
    assert "<li>Recovery codes (set up on " in html
    response = client.post(url(juror), {"reason": REASON, "identity_checked": "on"})

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:accounts_user_change", args=[juror.pk])
    assert kinds(juror) == []
    assert TransitionLog.objects.get(action=SECOND_FACTOR_RESET).actor == admin
    change = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The second factor is removed; the person has been told by e-mail." in change
    assert f'href="{url(juror)}">Reset a lost second factor</a>' in change


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"reason": REASON}, "This field is required."),
        ({"reason": "", "identity_checked": "on"}, "This field is required."),
        ({"reason": "x" * 501, "identity_checked": "on"}, "at most 500 characters"),
    ],
)
def test_an_incomplete_form_changes_nothing(client, juror, admin, data, error):
    sign_in(client, admin)
    reauthenticate(client)

    response = client.post(url(juror), data, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert error in response.content.decode()
    assert kinds(juror) == ["recovery_codes", "totp"]


def test_the_own_account_is_refused_on_the_page(client, admin):
    sign_in(client, admin)
    reauthenticate(client)

    response = client.post(url(admin), {"reason": REASON, "identity_checked": "on"})

    assert response.status_code == 200
    assert "another administrator must do it" in response.content.decode()
    assert kinds(admin) == ["totp"]
    change = client.get(reverse("admin:accounts_user_change", args=[admin.pk])).content.decode()
    assert "Reset a lost second factor" not in change


def test_an_unknown_person_is_not_found(client, admin):
    sign_in(client, admin)
    reauthenticate(client)

    assert client.get(reverse("admin:accounts_user_reset_mfa", args=[10**9])).status_code == 404


@pytest.mark.parametrize("role", ["applicant", "juror", "staff", "ministry"])
def test_no_other_role_reaches_the_page(client, juror, role):
    sign_in(client, make_role_user(role))

    response = client.get(url(juror))

    # The admin site sends everyone who is not an administrator to its sign-in.
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    assert kinds(juror) == ["recovery_codes", "totp"]


def test_an_admin_site_user_who_is_not_a_superuser_is_refused(client, juror):
    clerk = make_user(is_staff=True, mfa=True)
    sign_in(client, clerk)
    reauthenticate(client)

    response = client.post(url(juror), {"reason": REASON, "identity_checked": "on"})

    assert response.status_code == 403
    assert kinds(juror) == ["recovery_codes", "totp"]


def test_anonymous_goes_to_sign_in(client, juror):
    response = client.get(url(juror))

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_page_costs_a_fixed_number_of_queries(client, juror, admin):
    sign_in(client, admin)
    reauthenticate(client)
    client.get(url(juror))  # warm caches (content types, site)

    with CaptureQueriesContext(connection) as first:
        client.get(url(juror))
    RecoveryCodes.activate(make_user())  # another person's rows change nothing here
    with CaptureQueriesContext(connection) as second:
        client.get(url(juror))

    # Session, user, the second-factor gate, the re-authentication, the person, their
    # second factors, the admin's sidebar: the same with more rows elsewhere.
    assert len(first) == len(second) == 10, [query["sql"] for query in first.captured_queries]
