"""The last second factor of a role that needs one cannot be removed by any path (issue 15,
item 9): an HTTP DELETE on the security key's remove address deleted it, because the check
ran only on POST. Other methods are refused now, and the model itself refuses."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.db import transaction

from accounts.last_factor import LastSecondFactorError, replacing_second_factor
from accounts.roles import Role
from tests.accounts.helpers import make_role_user
from tests.accounts.test_second_factor_gate import (
    add_security_key,
    confirm_session,
    reauthenticate,
)
from tests.factories import make_user, mark_session_mfa

pytestmark = pytest.mark.django_db


def second_factors(user):
    return set(
        Authenticator.objects.filter(user=user)
        .exclude(type=Authenticator.Type.RECOVERY_CODES)
        .values_list("type", flat=True)
    )


@pytest.fixture
def juror_with_only_a_key(client):
    juror = make_role_user("juror", mfa=False)
    key = add_security_key(juror)
    confirm_session(client, juror, key)
    reauthenticate(client)
    return juror, key


@pytest.mark.parametrize("method", ["delete", "put", "patch"])
def test_other_methods_than_get_and_post_are_refused(client, juror_with_only_a_key, method):
    juror, key = juror_with_only_a_key

    response = getattr(client, method)(f"/accounts/2fa/webauthn/keys/{key.pk}/remove/")

    assert response.status_code == 405
    assert response["Allow"] == "GET, POST"
    assert Authenticator.objects.filter(pk=key.pk).exists()


def test_delete_is_refused_also_for_a_key_that_may_go(client):
    juror = make_role_user("juror")
    key = add_security_key(juror)
    mark_session_mfa(client, juror)
    reauthenticate(client)

    response = client.delete(f"/accounts/2fa/webauthn/keys/{key.pk}/remove/")

    assert response.status_code == 405
    assert second_factors(juror) == {"totp", "webauthn"}


def test_the_confirmation_page_still_opens(client, juror_with_only_a_key):
    _juror, key = juror_with_only_a_key

    assert client.get(f"/accounts/2fa/webauthn/keys/{key.pk}/remove/").status_code == 200


# The model layer --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["juror", "staff", "ministry", "admin"])
def test_the_model_refuses_to_delete_the_last_second_factor(role):
    user = make_role_user(role)
    totp = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)

    with pytest.raises(LastSecondFactorError), transaction.atomic():
        totp.delete()

    assert second_factors(user) == {"totp"}


def test_a_bulk_delete_of_all_second_factors_is_refused_as_a_whole():
    """Django asks before deleting any row: with an app and a key, each row alone could go,
    both together cannot, and nothing is deleted."""
    juror = make_role_user("juror")
    add_security_key(juror)

    with pytest.raises(LastSecondFactorError), transaction.atomic():
        Authenticator.objects.filter(user=juror).delete()

    assert second_factors(juror) == {"totp", "webauthn"}


def test_one_of_two_second_factors_may_go():
    juror = make_role_user("juror")
    key = add_security_key(juror)

    Authenticator.objects.filter(pk=key.pk).delete()

    assert second_factors(juror) == {"totp"}


def test_an_applicant_may_remove_an_optional_second_factor():
    applicant = make_user(Role.APPLICANT, mfa=True)

    Authenticator.objects.filter(user=applicant).delete()

    assert second_factors(applicant) == set()


def test_a_replacement_in_one_step_is_allowed():
    juror = make_role_user("juror")

    with replacing_second_factor(juror):
        Authenticator.objects.filter(user=juror).delete()
    other = make_role_user("juror")

    assert second_factors(juror) == set()
    # Only for the person named, only within the block.
    with pytest.raises(LastSecondFactorError), transaction.atomic():
        Authenticator.objects.filter(user=other).delete()


def test_deleting_a_person_deletes_their_authenticators():
    juror = make_role_user("juror")
    pk = juror.pk

    get_user_model().objects.filter(pk=pk).delete()

    assert not Authenticator.objects.filter(user_id=pk).exists()
